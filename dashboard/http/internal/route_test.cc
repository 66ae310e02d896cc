#include "dashboard/http/internal/route.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace http_internal {
namespace {

constexpr absl::string_view kBase = "/failover-dashboard";

RouteKind KindOf(absl::string_view path) {
  const std::optional<Route> route = MatchRoute(kBase, path);
  EXPECT_TRUE(route.has_value()) << path;
  return route.has_value() ? route->kind : RouteKind::kUnknown;
}

TEST(RouteTest, PathsOutsideTheBasePathAreNotOurs) {
  EXPECT_FALSE(MatchRoute(kBase, "/api/health").has_value());
  EXPECT_FALSE(MatchRoute(kBase, "/").has_value());
  EXPECT_FALSE(MatchRoute(kBase, "/failover-dashboardX/api/health").has_value());
  EXPECT_FALSE(MatchRoute(kBase, "/failover").has_value());
}

TEST(RouteTest, UiRoutes) {
  EXPECT_EQ(KindOf("/failover-dashboard"), RouteKind::kUiIndex);
  EXPECT_EQ(KindOf("/failover-dashboard/"), RouteKind::kUiIndex);
  const std::optional<Route> file = MatchRoute(kBase, "/failover-dashboard/ui/app.js");
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->kind, RouteKind::kUiFile);
  EXPECT_EQ(file->argument, "app.js");
  EXPECT_EQ(file->endpoint, "");
  EXPECT_EQ(KindOf("/failover-dashboard/ui/"), RouteKind::kUnknown);
  EXPECT_EQ(KindOf("/failover-dashboard/ui/a/b.js"), RouteKind::kUnknown);
  EXPECT_EQ(KindOf("/failover-dashboard/vendor/chart.umd.js"), RouteKind::kVendor);
  EXPECT_EQ(KindOf("/failover-dashboard/vendor/other.js"), RouteKind::kUnknown);
}

TEST(RouteTest, ApiRoutesCarryTheirExposureNameAndMethods) {
  struct Case {
    absl::string_view path;
    RouteKind kind;
    absl::string_view endpoint;
    unsigned methods;
  };
  const Case cases[] = {
      {"/api/config", RouteKind::kConfig, "config", kGet},
      {"/api/config/settings", RouteKind::kConfigSettings, "config", kGet},
      {"/api/failover-health", RouteKind::kFailoverHealth, "failover-health", kGet},
      {"/api/metrics", RouteKind::kMetrics, "metrics", kGet},
      {"/api/metrics/series", RouteKind::kMetricsSeries, "metrics", kGet},
      {"/api/metrics/exceptions", RouteKind::kMetricsExceptions, "metrics", kGet},
      {"/api/health", RouteKind::kHealth, "health", kGet},
      {"/api/instances", RouteKind::kInstances, "instances", kGet},
      {"/api/cluster/snapshot", RouteKind::kIngestSnapshot, "cluster", kPost},
      {"/api/cluster/heartbeat", RouteKind::kIngestHeartbeat, "cluster", kPost},
      {"/api/naming/switch", RouteKind::kNamingSwitch, "naming", kGet | kPut},
      {"/api/naming/services", RouteKind::kNamingServices, "naming", kGet},
      {"/api/payloads", RouteKind::kPayloads, "payloads", kGet},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    const std::optional<Route> route = MatchRoute(kBase, absl::StrCat(kBase, c.path));
    ASSERT_TRUE(route.has_value());
    EXPECT_EQ(route->kind, c.kind);
    EXPECT_EQ(route->endpoint, c.endpoint);
    EXPECT_EQ(route->methods, c.methods);
  }
  const std::optional<Route> service =
      MatchRoute(kBase, "/failover-dashboard/api/naming/services/DEFAULT_GROUP@@orders");
  ASSERT_TRUE(service.has_value());
  EXPECT_EQ(service->kind, RouteKind::kNamingService);
  EXPECT_EQ(service->argument, "DEFAULT_GROUP@@orders");
  EXPECT_EQ(service->methods, kGet | kPut | kDelete);
  EXPECT_EQ(KindOf("/failover-dashboard/api/nope"), RouteKind::kUnknown);
  EXPECT_EQ(KindOf("/failover-dashboard/api/health/"), RouteKind::kUnknown);
}

TEST(RouteTest, PrometheusMetricsIsAtTheRootOnly) {
  const std::optional<Route> root = MatchRoute(kBase, "/metrics");
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(root->kind, RouteKind::kPrometheusMetrics);
  EXPECT_EQ(root->endpoint, "");  // Not gated by exposure.include.
  EXPECT_EQ(root->methods, kGet);
  EXPECT_EQ(KindOf("/failover-dashboard/metrics"), RouteKind::kUnknown);
  EXPECT_FALSE(MatchRoute(kBase, "/metrics/").has_value());
  EXPECT_FALSE(MatchRoute(kBase, "/metricsX").has_value());
  // A base path of /metrics keeps its UI at /metrics/; the exact path is the scrape endpoint.
  EXPECT_EQ(MatchRoute("/metrics", "/metrics")->kind, RouteKind::kPrometheusMetrics);
  EXPECT_EQ(MatchRoute("/metrics", "/metrics/")->kind, RouteKind::kUiIndex);
}

TEST(RouteTest, Methods) {
  EXPECT_EQ(MethodBit("GET"), kGet);
  EXPECT_EQ(MethodBit("HEAD"), kGet);
  EXPECT_EQ(MethodBit("PATCH"), 0u);
  EXPECT_EQ(AllowHeader(kGet | kPut), "GET, HEAD, PUT");
  EXPECT_TRUE(IsIngest(RouteKind::kIngestHeartbeat));
  EXPECT_FALSE(IsIngest(RouteKind::kHealth));
  EXPECT_TRUE(IsUi(RouteKind::kVendor));
}

}  // namespace
}  // namespace http_internal
}  // namespace dashboard
}  // namespace failover
