#include "dashboard/http/internal/route.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace failover {
namespace dashboard {
namespace http_internal {
namespace {

struct FixedRoute {
  absl::string_view path;  // Below {base}/.
  RouteKind kind;
  absl::string_view endpoint;
  unsigned methods;
};

constexpr FixedRoute kFixedRoutes[] = {
    {"vendor/chart.umd.js", RouteKind::kVendor, "", kGet},
    {"api/config", RouteKind::kConfig, "config", kGet},
    {"api/config/settings", RouteKind::kConfigSettings, "config", kGet},
    {"api/failover-health", RouteKind::kFailoverHealth, "failover-health", kGet},
    {"api/metrics", RouteKind::kMetrics, "metrics", kGet},
    {"api/metrics/series", RouteKind::kMetricsSeries, "metrics", kGet},
    {"api/metrics/exceptions", RouteKind::kMetricsExceptions, "metrics", kGet},
    {"api/health", RouteKind::kHealth, "health", kGet},
    {"api/instances", RouteKind::kInstances, "instances", kGet},
    {"api/cluster/snapshot", RouteKind::kIngestSnapshot, "cluster", kPost},
    {"api/cluster/heartbeat", RouteKind::kIngestHeartbeat, "cluster", kPost},
    {"api/naming/switch", RouteKind::kNamingSwitch, "naming", kGet | kPut},
    {"api/naming/services", RouteKind::kNamingServices, "naming", kGet},
    {"api/payloads", RouteKind::kPayloads, "payloads", kGet},
};

}  // namespace

std::optional<Route> MatchRoute(absl::string_view base_path, absl::string_view path) {
  Route route;
  if (path == kPrometheusMetricsPath) {
    route.kind = RouteKind::kPrometheusMetrics;
    route.methods = kGet;
    return route;
  }
  if (!absl::ConsumePrefix(&path, base_path)) return std::nullopt;
  if (path.empty() || path == "/") {
    route.kind = RouteKind::kUiIndex;
    route.methods = kGet;
    return route;
  }
  if (!absl::ConsumePrefix(&path, "/")) return std::nullopt;  // "/base-pathX" is not ours.
  for (const FixedRoute& fixed : kFixedRoutes) {
    if (path == fixed.path) {
      route.kind = fixed.kind;
      route.endpoint = fixed.endpoint;
      route.methods = fixed.methods;
      return route;
    }
  }
  absl::string_view rest = path;
  if (absl::ConsumePrefix(&rest, "ui/") && !rest.empty() && !absl::StrContains(rest, '/')) {
    route.kind = RouteKind::kUiFile;
    route.methods = kGet;
    route.argument = std::string(rest);
    return route;
  }
  rest = path;
  if (absl::ConsumePrefix(&rest, "api/naming/services/") && !rest.empty()) {
    route.kind = RouteKind::kNamingService;
    route.endpoint = "naming";
    route.methods = kGet | kPut | kDelete;
    route.argument = std::string(rest);
    return route;
  }
  route.kind = RouteKind::kUnknown;
  return route;
}

bool IsUi(RouteKind kind) {
  return kind == RouteKind::kUiIndex || kind == RouteKind::kUiFile || kind == RouteKind::kVendor;
}

bool IsIngest(RouteKind kind) {
  return kind == RouteKind::kIngestSnapshot || kind == RouteKind::kIngestHeartbeat;
}

unsigned MethodBit(absl::string_view method) {
  if (method == "GET" || method == "HEAD") return kGet;
  if (method == "POST") return kPost;
  if (method == "PUT") return kPut;
  if (method == "DELETE") return kDelete;
  return 0;
}

std::string AllowHeader(unsigned methods) {
  std::vector<absl::string_view> names;
  if (methods & kGet) names.push_back("GET, HEAD");
  if (methods & kPost) names.push_back("POST");
  if (methods & kPut) names.push_back("PUT");
  if (methods & kDelete) names.push_back("DELETE");
  return absl::StrJoin(names, ", ");
}

}  // namespace http_internal
}  // namespace dashboard
}  // namespace failover
