// ListenAddress: the host:port of failover.observable.prometheus.listen, split and checked, and a
// readable reason when binding it failed. Kept apart from the httplib adapter so the parsing is
// tested without sockets.
//
//   absl::StatusOr<ListenAddress> address = ParseListenAddress("[::1]:0");
//   address->host;  // "::1" (brackets removed)
//   address->port;  // 0 = any free port
//   FormatHostPort(address->host, 9464);  // "[::1]:9464"
//
// Thread-safety: free functions; safe to call concurrently.
#ifndef FAILOVER_CORE_METRICS_EXPORT_INTERNAL_LISTEN_ADDRESS_H_
#define FAILOVER_CORE_METRICS_EXPORT_INTERNAL_LISTEN_ADDRESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace failover {
namespace export_internal {

struct ListenAddress {
  std::string host;  // a name or an address; IPv6 without brackets
  int port = 0;      // 0..65535; 0 = any free port
};

// "host:port", "[v6-address]:port". InvalidArgument (naming `property` and the value) for a
// missing or non-numeric port, a port outside 0..65535, an empty host, or an IPv6 address
// without brackets.
absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view listen,
                                                 absl::string_view property);

// "host:port", with brackets around a host that contains ':'.
std::string FormatHostPort(absl::string_view host, int port);

// Why host:port cannot be bound, found by trying it with a plain socket (SO_REUSEADDR, as the
// listener sets): "is in use", "cannot be resolved: ...", or the bind(2) error text. Called only
// after a bind failed, so a TIME_WAIT leftover does not count as in use.
std::string DescribeBindFailure(const std::string& host, int port);

}  // namespace export_internal
}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_EXPORT_INTERNAL_LISTEN_ADDRESS_H_
