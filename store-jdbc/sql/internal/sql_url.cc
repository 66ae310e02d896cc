#include "store-jdbc/sql/internal/sql_url.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/config/config_validators.h"

namespace failover {
namespace {

constexpr absl::string_view kProperty = "failover.store.jdbc.url";

absl::Status UrlError(absl::string_view url, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(kProperty, ": '", MaskSqlUrl(url), "' ", problem));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = absl::ascii_tolower(static_cast<unsigned char>(c));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Decodes %XX escapes; false on a malformed escape.
bool PercentDecode(absl::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int high = HexValue(in[i + 1]), low = HexValue(in[i + 2]);
    if (high < 0 || low < 0) return false;
    out->push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return true;
}

// Splits host[:port] (host may be a bracketed IPv6 literal) into params.
absl::Status AddHostPort(absl::string_view url, absl::string_view hostport, SqlUrl* parsed) {
  absl::string_view host = hostport, port;
  if (absl::StartsWith(hostport, "[")) {
    const size_t close = hostport.find(']');
    if (close == absl::string_view::npos) return UrlError(url, "has an unclosed '[' in its host");
    host = hostport.substr(1, close - 1);
    absl::string_view rest = hostport.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') return UrlError(url, "has text after its IPv6 host");
    port = rest.empty() ? rest : rest.substr(1);
  } else if (const size_t colon = hostport.rfind(':'); colon != absl::string_view::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
  }
  std::string decoded;
  if (!PercentDecode(host, &decoded)) return UrlError(url, "has a bad %-escape in its host");
  if (!decoded.empty()) parsed->postgres_params.emplace_back("host", decoded);
  if (!port.empty()) {
    uint32_t number = 0;
    if (!absl::SimpleAtoi(port, &number) || number < 1 || number > 65535) {
      return UrlError(url, absl::StrCat("has port '", port, "', expected 1..65535"));
    }
    parsed->postgres_params.emplace_back("port", std::string(port));
  }
  return absl::OkStatus();
}

absl::Status AddUserInfo(absl::string_view url, absl::string_view userinfo, SqlUrl* parsed) {
  const size_t colon = userinfo.find(':');
  std::string user, password;
  if (!PercentDecode(userinfo.substr(0, colon), &user)) {
    return UrlError(url, "has a bad %-escape in its user");
  }
  if (!user.empty()) parsed->postgres_params.emplace_back("user", user);
  if (colon != absl::string_view::npos) {
    if (!PercentDecode(userinfo.substr(colon + 1), &password)) {
      return UrlError(url, "has a bad %-escape in its password");
    }
    parsed->postgres_params.emplace_back("password", password);
  }
  return absl::OkStatus();
}

absl::Status AddQuery(absl::string_view url, absl::string_view query, SqlUrl* parsed) {
  for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    const size_t equals = pair.find('=');
    std::string key, value;
    if (equals == absl::string_view::npos || !PercentDecode(pair.substr(0, equals), &key) ||
        !PercentDecode(pair.substr(equals + 1), &value) || key.empty()) {
      return UrlError(url, absl::StrCat("has a malformed query parameter '",
                                        absl::StartsWith(pair, "password") ? "password=****" : pair,
                                        "', expected key=value"));
    }
    parsed->postgres_params.emplace_back(key, value);
  }
  return absl::OkStatus();
}

bool HasParam(const SqlUrl& parsed, absl::string_view key) {
  for (const auto& [name, value] : parsed.postgres_params) {
    if (name == key) return true;
  }
  return false;
}

absl::StatusOr<SqlUrl> ParsePostgresUrl(absl::string_view url, absl::string_view rest) {
  SqlUrl parsed;
  parsed.dialect = SqlDialect::kPostgres;
  parsed.display = MaskSqlUrl(url);
  const size_t query_start = rest.find('?');
  const absl::string_view query =
      query_start == absl::string_view::npos ? "" : rest.substr(query_start + 1);
  rest = rest.substr(0, query_start);
  const size_t slash = rest.find('/');
  const absl::string_view authority = rest.substr(0, slash);
  const absl::string_view path = slash == absl::string_view::npos ? "" : rest.substr(slash + 1);
  const size_t at = authority.rfind('@');
  if (at != absl::string_view::npos) {
    if (absl::Status status = AddUserInfo(url, authority.substr(0, at), &parsed); !status.ok()) {
      return status;
    }
  }
  const absl::string_view hostport =
      at == absl::string_view::npos ? authority : authority.substr(at + 1);
  if (absl::Status status = AddHostPort(url, hostport, &parsed); !status.ok()) return status;
  std::string dbname;
  if (!PercentDecode(path, &dbname)) return UrlError(url, "has a bad %-escape in its database");
  if (dbname.find('/') != std::string::npos) return UrlError(url, "has a '/' in its database");
  if (!dbname.empty()) parsed.postgres_params.emplace_back("dbname", dbname);
  if (absl::Status status = AddQuery(url, query, &parsed); !status.ok()) return status;
  if (!HasParam(parsed, "connect_timeout"))
    parsed.postgres_params.emplace_back("connect_timeout", "10");
  if (!HasParam(parsed, "client_encoding"))
    parsed.postgres_params.emplace_back("client_encoding", "UTF8");
  return parsed;
}

}  // namespace

std::string MaskSqlUrl(absl::string_view url) {
  std::string masked = RedactUrlPassword(url);
  const size_t query = masked.find('?');
  if (query == std::string::npos) return masked;
  for (size_t pos = masked.find("password=", query); pos != std::string::npos;
       pos = masked.find("password=", pos + 1)) {
    if (masked[pos - 1] != '?' && masked[pos - 1] != '&') continue;
    const size_t start = pos + 9;
    const size_t end = std::min(masked.size(), masked.find('&', start));
    masked.replace(start, end - start, "****");
  }
  return masked;
}

absl::StatusOr<SqlUrl> ParseSqlUrl(absl::string_view url) {
  const size_t scheme_end = url.find("://");
  const std::string scheme =
      absl::AsciiStrToLower(url.substr(0, scheme_end == absl::string_view::npos ? 0 : scheme_end));
  if (scheme_end == absl::string_view::npos || scheme.empty()) {
    return UrlError(url, "is not a URL: expected sqlite://<path> or postgresql://...");
  }
  const absl::string_view rest = url.substr(scheme_end + 3);
  if (scheme == "sqlite") {
    if (rest.empty()) return UrlError(url, "has no database path: expected sqlite://<path>");
    SqlUrl parsed;
    parsed.dialect = SqlDialect::kSqlite;
    parsed.display = std::string(url);
    parsed.sqlite_path = std::string(rest);
    return parsed;
  }
  if (scheme == "postgresql" || scheme == "postgres") return ParsePostgresUrl(url, rest);
  return UrlError(url, absl::StrCat("has unsupported scheme '", scheme,
                                    "': expected sqlite, postgresql or postgres"));
}

}  // namespace failover
