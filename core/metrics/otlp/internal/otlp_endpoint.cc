#include "core/metrics/otlp/internal/otlp_endpoint.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace failover {
namespace otlp_internal {
namespace {

constexpr char kEndpointKey[] = "failover.observable.otlp.endpoint";

}  // namespace

absl::Status InvalidOtlpEndpoint(absl::string_view url, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(kEndpointKey, ": '", url, "' ", problem));
}

absl::StatusOr<OtlpEndpointUrl> SplitOtlpEndpointUrl(absl::string_view url,
                                                     absl::string_view scheme_hint) {
  if (std::any_of(url.begin(), url.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte <= 0x20 || byte == 0x7f;
      })) {
    return absl::InvalidArgumentError(
        absl::StrCat(kEndpointKey, ": must not contain spaces or control characters"));
  }
  OtlpEndpointUrl parts;
  absl::string_view rest = url;
  if (absl::ConsumePrefix(&rest, "https://")) {
    parts.https = true;
  } else if (!absl::ConsumePrefix(&rest, "http://")) {
    return InvalidOtlpEndpoint(url,
                               absl::StrCat("must start with http:// or https://", scheme_hint));
  }
  const size_t path_start = rest.find_first_of("/?#");
  parts.authority = rest.substr(0, path_start);
  if (path_start != absl::string_view::npos) parts.path = rest.substr(path_start);
  return parts;
}

absl::StatusOr<OtlpEndpointHost> ParseOtlpEndpointHost(absl::string_view url,
                                                       absl::string_view authority) {
  if (absl::StrContains(authority, '@')) return InvalidOtlpEndpoint(url, "must not have user info");
  OtlpEndpointHost result;
  absl::string_view host = authority;
  absl::string_view port;
  if (absl::ConsumePrefix(&host, "[")) {
    const size_t close = host.find(']');
    if (close == absl::string_view::npos) return InvalidOtlpEndpoint(url, "has an unclosed '['");
    absl::string_view after = host.substr(close + 1);
    host = host.substr(0, close);
    if (!after.empty() && !absl::ConsumePrefix(&after, ":")) {
      return InvalidOtlpEndpoint(url, "has text after its IPv6 address");
    }
    port = after;
    result.ipv6 = true;
  } else if (const size_t colon = host.find(':'); colon != absl::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) return InvalidOtlpEndpoint(url, "must name a host");
  int number = 0;
  if (absl::EndsWith(authority, ":") ||
      (!port.empty() && (!std::all_of(port.begin(), port.end(), absl::ascii_isdigit) ||
                         !absl::SimpleAtoi(port, &number) || number < 1 || number > 65535))) {
    return InvalidOtlpEndpoint(url, "has an invalid port (1-65535)");
  }
  if (!port.empty()) result.port = number;
  result.host = std::string(host);
  return result;
}

}  // namespace otlp_internal
}  // namespace failover
