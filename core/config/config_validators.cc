#include "core/config/config_validators.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/config/duration_text.h"
#include "core/scheduling/cron_expression.h"

namespace failover {
namespace {

bool IsWordChar(char c) { return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_'; }

absl::Status Invalid(absl::string_view message) { return absl::InvalidArgumentError(message); }

}  // namespace

ConfigValidator<double> InClosedRange(double lo, double hi) {
  return [lo, hi](const double& value) {
    if (value >= lo && value <= hi) return absl::OkStatus();
    return Invalid(absl::StrCat("must be between ", lo, " and ", hi));
  };
}

ConfigValidator<absl::Duration> DurationAtLeast(absl::Duration min) {
  return [min](const absl::Duration& value) {
    if (value >= min) return absl::OkStatus();
    return Invalid(absl::StrCat("must be at least ", FormatConfigDuration(min)));
  };
}

ConfigValidator<std::optional<absl::Duration>> PositiveIfSet() {
  return [](const std::optional<absl::Duration>& value) {
    if (!value.has_value() || *value > absl::ZeroDuration()) return absl::OkStatus();
    return Invalid("must be positive (or empty for no limit)");
  };
}

ConfigValidator<std::string> NotBlank() {
  return [](const std::string& value) {
    if (!absl::StripAsciiWhitespace(value).empty()) return absl::OkStatus();
    return Invalid("must not be blank");
  };
}

ConfigValidator<std::string> OneOf(std::vector<std::string> allowed) {
  return [allowed = std::move(allowed)](const std::string& value) {
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) {
      return absl::OkStatus();
    }
    return Invalid(absl::StrCat("is not one of ", absl::StrJoin(allowed, ", ")));
  };
}

ConfigValidator<std::string> TablePrefix() {
  return [](const std::string& value) {
    // ([A-Za-z0-9_]+\.)*[A-Za-z0-9_]*: word characters, dots only after a non-empty qualifier.
    const std::vector<absl::string_view> parts = absl::StrSplit(value, '.');
    bool ok = true;
    for (size_t i = 0; i < parts.size(); ++i) {
      ok &= std::all_of(parts[i].begin(), parts[i].end(), IsWordChar);
      ok &= !(i + 1 < parts.size() && parts[i].empty());
    }
    if (ok) return absl::OkStatus();
    return Invalid("may contain only letters, digits, underscores and dots");
  };
}

ConfigValidator<std::string> SqlIdentifierOrEmpty() {
  return [](const std::string& value) {
    if (std::all_of(value.begin(), value.end(), IsWordChar)) return absl::OkStatus();
    return Invalid("may contain only letters, digits and underscores");
  };
}

ConfigValidator<std::string> BasePath() {
  return [](const std::string& value) {
    if (!absl::StartsWith(value, "/")) return Invalid("must start with '/'");
    if (value == "/") return Invalid("must not be '/' (use a dedicated path)");
    if (absl::EndsWith(value, "/")) return Invalid("must not end with '/'");
    // Unreserved URL characters only: nothing to percent-encode, nothing a router or proxy could
    // read differently (no "//", "/./", "/../", spaces, '?', '#', '%').
    for (absl::string_view segment : absl::StrSplit(absl::string_view(value).substr(1), '/')) {
      if (segment.empty() || segment == "." || segment == "..") {
        return Invalid("must not contain empty, '.' or '..' segments");
      }
      if (!std::all_of(segment.begin(), segment.end(), [](char c) {
            return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
                   c == '~' || c == '-';
          })) {
        return Invalid("must be '/'-separated segments of letters, digits, '.', '_', '~' and '-'");
      }
    }
    return absl::OkStatus();
  };
}

ConfigValidator<std::string> CipherId() {
  return [](const std::string& value) {
    if (absl::StripAsciiWhitespace(value).empty()) return Invalid("must not be blank");
    if (value.find_first_of(":)") != std::string::npos) {
      return Invalid("must not contain ':' or ')'");
    }
    return absl::OkStatus();
  };
}

ConfigValidator<std::string> HttpUrlOrEmpty() {
  return [](const std::string& value) {
    if (value.empty()) return absl::OkStatus();
    absl::string_view rest = value;
    if (!absl::ConsumePrefix(&rest, "http://") && !absl::ConsumePrefix(&rest, "https://")) {
      return Invalid("must be an http:// or https:// URL");
    }
    if (rest.empty() || rest[0] == '/' || rest[0] == ':') return Invalid("must name a host");
    if (std::any_of(rest.begin(), rest.end(),
                    [](char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); })) {
      return Invalid("must not contain spaces");
    }
    return absl::OkStatus();
  };
}

ConfigValidator<std::string> HeaderAssignment() {
  return [](const std::string& value) {
    const size_t eq = value.find('=');
    if (eq == std::string::npos) return Invalid("must be Name=value");
    const absl::string_view name = absl::string_view(value).substr(0, eq);
    if (name.empty()) return Invalid("must name a header before '='");
    constexpr absl::string_view kTokenPunctuation = "!#$%&'*+-.^_`|~";
    for (char c : name) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
          kTokenPunctuation.find(c) == absl::string_view::npos) {
        return Invalid("must have a header name of letters, digits and !#$%&'*+-.^_`|~ only");
      }
    }
    for (char c : absl::string_view(value).substr(eq + 1)) {
      const auto byte = static_cast<unsigned char>(c);
      if ((byte < 0x20 && c != '\t') || byte == 0x7f) {
        return Invalid("must not have control characters (line breaks) in the header value");
      }
    }
    return absl::OkStatus();
  };
}

ConfigValidator<std::string> HostPort() {
  return [](const std::string& value) {
    const size_t colon = value.rfind(':');
    if (colon == std::string::npos) return Invalid("must be host:port");
    absl::string_view host = absl::string_view(value).substr(0, colon);
    const absl::string_view port = absl::string_view(value).substr(colon + 1);
    if (absl::ConsumePrefix(&host, "[")) {
      if (!absl::ConsumeSuffix(&host, "]")) return Invalid("has an unclosed '[' in its host");
    }
    if (host.empty()) return Invalid("must name a host before ':'");
    if (std::any_of(host.begin(), host.end(), [](char c) {
          return absl::ascii_isspace(static_cast<unsigned char>(c)) || c == '/';
        })) {
      return Invalid("must not contain spaces or '/' in its host");
    }
    int number = 0;
    if (port.empty() || !absl::SimpleAtoi(port, &number) || number < 0 || number > 65535 ||
        !std::all_of(port.begin(), port.end(), absl::ascii_isdigit)) {
      return Invalid("must end with a port 0-65535");
    }
    return absl::OkStatus();
  };
}

ConfigValidator<std::string> CronExpressionText() {
  return [](const std::string& value) {
    const absl::string_view trimmed = absl::StripAsciiWhitespace(value);
    if (trimmed == "-") return absl::OkStatus();
    const auto parsed = CronExpression::Parse(trimmed);
    if (parsed.ok()) return absl::OkStatus();
    // The report quotes the value already: keep the parser's message from "is not ..." on.
    absl::string_view message = parsed.status().message();
    absl::ConsumePrefix(&message, absl::StrCat("'", trimmed, "' "));
    return Invalid(message);
  };
}

namespace {

// `url` with the value of every `password=` query parameter replaced by "****".
std::string RedactQueryPassword(std::string url) {
  const size_t query = url.find('?');
  if (query == std::string::npos) return url;
  for (size_t at = query; (at = url.find("password=", at)) != std::string::npos;) {
    const char before = url[at - 1];
    at += 9;
    if (before != '?' && before != '&') continue;
    const size_t end = std::min(url.size(), url.find('&', at));
    url.replace(at, end - at, "****");
  }
  return url;
}

}  // namespace

std::string RedactUrlPassword(absl::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == absl::string_view::npos) return std::string(url);
  const size_t start = scheme + 3;
  const size_t end = std::min(url.size(), url.find_first_of("/?#", start));
  const size_t at = url.substr(start, end - start).rfind('@');
  const size_t colon =
      at == absl::string_view::npos ? absl::string_view::npos : url.substr(start, at).find(':');
  if (colon == absl::string_view::npos) return RedactQueryPassword(std::string(url));
  return RedactQueryPassword(
      absl::StrCat(url.substr(0, start + colon + 1), "****", url.substr(start + at)));
}

}  // namespace failover
