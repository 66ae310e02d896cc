// Parsing of failover.observable.otlp.endpoint, http[s]://host[:port][path], shared by the
// OTLP/HTTP and OTLP/gRPC transports. It takes two steps so that each transport can apply its
// own rule to the path (gRPC takes none, HTTP keeps it) before the host is looked at, and a URL
// with several faults is refused for the first of them:
//
//   absl::StatusOr<OtlpEndpointUrl> parts = SplitOtlpEndpointUrl(url, "");
//   if (!parts.ok()) return parts.status();
//   if (absl::StrContains(parts->path, '#')) return InvalidOtlpEndpoint(url, "...");
//   absl::StatusOr<OtlpEndpointHost> host = ParseOtlpEndpointHost(url, parts->authority);
//
// Every error is InvalidArgument "failover.observable.otlp.endpoint: '<url>' <problem>" (or,
// for spaces and control characters, without the URL). Pure functions; thread-safe.
#ifndef FAILOVER_CORE_METRICS_OTLP_INTERNAL_OTLP_ENDPOINT_H_
#define FAILOVER_CORE_METRICS_OTLP_INTERNAL_OTLP_ENDPOINT_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace failover {
namespace otlp_internal {

// InvalidArgument "failover.observable.otlp.endpoint: '<url>' <problem>".
absl::Status InvalidOtlpEndpoint(absl::string_view url, absl::string_view problem);

// The scheme of an endpoint URL, and the rest split at its first '/', '?' or '#'. The views
// point into the parsed URL.
struct OtlpEndpointUrl {
  bool https = false;
  absl::string_view authority;  // "host[:port]" as written ("[v6]:port" for IPv6)
  absl::string_view path;       // from the first '/', '?' or '#' on; "" when there is none
};

// Refuses spaces and control characters, and schemes other than http:// and https://;
// `scheme_hint` follows "must start with http:// or https://" in that message.
absl::StatusOr<OtlpEndpointUrl> SplitOtlpEndpointUrl(absl::string_view url,
                                                     absl::string_view scheme_hint);

struct OtlpEndpointHost {
  std::string host;         // without IPv6 brackets
  bool ipv6 = false;        // the URL wrote the host in brackets
  std::optional<int> port;  // 1-65535; nullopt when the authority names none
};

// The host and port of `authority` (from SplitOtlpEndpointUrl(url, ...)). Refuses user info, an
// unclosed '[', text after "]" other than ":port", an empty host, and a port that is empty or
// not a decimal number in 1-65535.
absl::StatusOr<OtlpEndpointHost> ParseOtlpEndpointHost(absl::string_view url,
                                                       absl::string_view authority);

}  // namespace otlp_internal
}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_OTLP_INTERNAL_OTLP_ENDPOINT_H_
