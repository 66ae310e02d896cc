// Which endpoint a request path names: relative to base-path, except /metrics at the root (the
// path Prometheus scrapes by default). Pure functions; thread-safe.
#ifndef FAILOVER_DASHBOARD_HTTP_INTERNAL_ROUTE_H_
#define FAILOVER_DASHBOARD_HTTP_INTERNAL_ROUTE_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace failover {
namespace dashboard {
namespace http_internal {

enum class RouteKind {
  kUiIndex,  // {base}, {base}/
  kUiFile,   // {base}/ui/<file>
  kVendor,   // {base}/vendor/chart.umd.js
  kConfig,
  kConfigSettings,
  kFailoverHealth,
  kMetrics,
  kMetricsSeries,
  kMetricsExceptions,
  kHealth,
  kInstances,
  kIngestSnapshot,
  kIngestHeartbeat,
  kNamingSwitch,
  kNamingServices,
  kNamingService,  // argument: the service key
  kPayloads,
  kPrometheusMetrics,  // /metrics at the root, not under base-path
  kUnknown,            // Under base-path, but no such endpoint.
};

// Methods, as bits.
enum Method : unsigned { kGet = 1, kPost = 2, kPut = 4, kDelete = 8 };

struct Route {
  RouteKind kind = RouteKind::kUnknown;
  // The exposure name (failover.dashboard.exposure.include); "" for the UI, /metrics (not gated by
  // exposure) and kUnknown.
  absl::string_view endpoint;
  unsigned methods = 0;  // Allowed Method bits.
  std::string argument;  // kUiFile: the file name; kNamingService: the key.
};

inline constexpr absl::string_view kPrometheusMetricsPath = "/metrics";

// nullopt when `path` is outside `base_path` (which starts with '/' and does not end with one)
// and is not kPrometheusMetricsPath. That exact path is kPrometheusMetrics even when base_path is
// "/metrics" (the UI is then at "/metrics/").
std::optional<Route> MatchRoute(absl::string_view base_path, absl::string_view path);

bool IsUi(RouteKind kind);
bool IsIngest(RouteKind kind);

// The Method bit of an HTTP method; HEAD counts as GET. 0 for others.
unsigned MethodBit(absl::string_view method);
// "GET, PUT" for an Allow header.
std::string AllowHeader(unsigned methods);

}  // namespace http_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_HTTP_INTERNAL_ROUTE_H_
