// GET /metrics: failoverd's registry in Prometheus text at the listener's root.
#include <string>

#include "absl/strings/str_cat.h"
#include "core/metrics/instance_tag_policy.h"
#include "core/metrics/prometheus_text.h"
#include "dashboard/http/dashboard_http_server.h"
#include "dashboard/http/testing/server_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace dashboard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class MetricsEndpointTest : public DashboardHttpServerTest {
 protected:
  httplib::Result Scrape(const httplib::Headers& headers = kAdmin) {
    return client_->Get("/metrics", headers);
  }
  static std::string Ingested(absl::string_view result, int n) {
    return absl::StrCat("failover_dashboard_ingest_total{result=\"", result,
                        "\",transport=\"http\"} ", n, "\n");
  }
};

TEST_F(MetricsEndpointTest, NeedsTheMetricsOrTheAdminRole) {
  const auto anonymous = Scrape({});
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(anonymous->get_header_value("WWW-Authenticate"), "Basic realm=\"failoverd\"");
  EXPECT_THAT(anonymous->body, Not(HasSubstr("failover_")));
  EXPECT_EQ(Scrape(Basic("admin", "wrong"))->status, 401);
  EXPECT_EQ(Scrape(Basic("viewer", "viewer-pw"))->status, 403);
  EXPECT_EQ(Scrape(Basic("pusher", "pusher-pw"))->status, 403);
  // A scrape-only user reads /metrics and nothing else.
  EXPECT_EQ(Scrape(Basic("scraper", "scraper-pw"))->status, 200);
  EXPECT_EQ(client_->Get("/failover-dashboard/api/metrics", Basic("scraper", "scraper-pw"))->status,
            403);
  EXPECT_EQ(Scrape({{"Authorization", "Bearer push-token"}})->status, 401);  // Ingest only.
}

TEST_F(MetricsEndpointTest, ServesTheRegistryAsPrometheusText) {
  const auto res = Scrape();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), kPrometheusTextContentType);
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  ExpectSecurityHeaders(res);
  EXPECT_THAT(res->body, HasSubstr("# TYPE failover_dashboard_ingest_total counter\n"));
  EXPECT_THAT(res->body, HasSubstr(Ingested("accepted", 0)));
  EXPECT_THAT(res->body, HasSubstr("failover_dashboard_ingest_total{result=\"unauthorized\","
                                   "transport=\"grpc\"} 0\n"));
  // refresh_metrics ran before the page was rendered: the first scrape shows its gauge at 1.
  EXPECT_THAT(res->body, HasSubstr("\ntest_refreshes 1\n"));
  EXPECT_THAT(Scrape()->body, HasSubstr("\ntest_refreshes 2\n"));
  // `auto`: the scraper labels the target.
  EXPECT_THAT(res->body, Not(HasSubstr("instance=")));
}

TEST_F(MetricsEndpointTest, CountsHttpIngestByResult) {
  const httplib::Headers token = {{"Authorization", "Bearer push-token"}};
  for (int i = 0; i < 3; ++i) {
    v1::MetricsSnapshot snapshot;
    snapshot.set_instance_id(absl::StrCat("peer-", i));
    ASSERT_EQ(
        Post("/api/cluster/snapshot", snapshot.SerializeAsString(), "application/x-protobuf", token)
            ->status,
        202);
  }
  ASSERT_EQ(Post("/api/cluster/heartbeat", R"({"instanceId":"peer-0"})", "application/json", token)
                ->status,
            202);
  ASSERT_EQ(Post("/api/cluster/snapshot", "x", "text/plain", token)->status, 415);
  ASSERT_EQ(Post("/api/cluster/snapshot", "{not json", "application/json", token)->status, 400);
  ASSERT_EQ(Post("/api/cluster/snapshot", "{}", "application/json", {})->status, 401);
  ASSERT_EQ(
      Post("/api/cluster/snapshot", "{}", "application/json", Basic("viewer", "viewer-pw"))->status,
      403);
  ASSERT_EQ(Post("/api/cluster/snapshot", "{}", "application/json", Basic("pusher", "bad"))->status,
            401);
  // Not ingest: not counted.
  ASSERT_EQ(Get("/api/health", {})->status, 401);
  const std::string body = Scrape()->body;
  EXPECT_THAT(body, HasSubstr(Ingested("accepted", 4)));
  EXPECT_THAT(body, HasSubstr(Ingested("rejected", 2)));
  EXPECT_THAT(body, HasSubstr(Ingested("unauthorized", 3)));
}

TEST_F(MetricsEndpointTest, IngestRefusedOutsideSharedStoreModeIsRejected) {
  Start(BaseConfig(), /*with_ingest=*/false);
  ASSERT_EQ(Post("/api/cluster/snapshot", "{}", "application/json")->status, 409);
  EXPECT_THAT(Scrape()->body, HasSubstr(Ingested("rejected", 1)));
}

TEST_F(MetricsEndpointTest, HeadAnswersTheHeadersOnly) {
  const auto res = client_->Head("/metrics", kAdmin);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), kPrometheusTextContentType);
  EXPECT_TRUE(res->body.empty());
  EXPECT_EQ(client_->Head("/metrics", {})->status, 401);
}

TEST_F(MetricsEndpointTest, OtherMethodsAre405) {
  for (const absl::string_view method : {"POST", "PUT", "DELETE"}) {
    SCOPED_TRACE(method);
    const auto res = method == "POST"  ? client_->Post("/metrics", kAdmin, "", "text/plain")
                     : method == "PUT" ? client_->Put("/metrics", kAdmin, "", "text/plain")
                                       : client_->Delete("/metrics", kAdmin);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 405);
    EXPECT_EQ(res->get_header_value("Allow"), "GET, HEAD");
  }
}

TEST_F(MetricsEndpointTest, IsAtTheRootNotUnderTheBasePath) {
  EXPECT_EQ(Get("/metrics")->status, 404);
  DashboardConfig config = BaseConfig();
  config.base_path = "/ops";
  Start(config);
  EXPECT_EQ(Scrape()->status, 200);
  EXPECT_EQ(client_->Get("/ops/api/health", kAdmin)->status, 200);
}

TEST_F(MetricsEndpointTest, NotGatedByExposure) {
  DashboardConfig config = BaseConfig();
  config.exposure.include = {"health"};  // Not "metrics".
  Start(config);
  EXPECT_EQ(Get("/api/metrics")->status, 404);
  EXPECT_EQ(Scrape()->status, 200);
  config.exposure.api = false;
  config.exposure.ui = false;
  Start(config);
  const auto res = Scrape();
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->body, HasSubstr("failover_dashboard_ingest_total"));
}

TEST_F(MetricsEndpointTest, FailedLoginsLockOut) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Scrape(Basic("admin", "guess"))->status, 401);
  const auto locked = Scrape(Basic("admin", "guess"));
  EXPECT_EQ(locked->status, 429);
  EXPECT_FALSE(locked->get_header_value("Retry-After").empty());
}

TEST_F(MetricsEndpointTest, InstanceLabelFollowsThePolicy) {
  metrics_instance_ = InstanceTagPolicy(InstanceTagMode::kAlways, "failoverd-test");
  Start();
  EXPECT_THAT(Scrape()->body,
              HasSubstr("failover_dashboard_ingest_total{instance=\"failoverd-test\","
                        "result=\"accepted\",transport=\"http\"} 0\n"));
}

TEST_F(MetricsEndpointTest, WithoutARegistryIs404) {
  DashboardHttpServices services;
  services.api = &api_;
  services.auth = auth_.get();
  services.warnings = &sink_;
  DashboardConfig config = BaseConfig();
  auto server = DashboardHttpServer::Start(config, services);
  ASSERT_TRUE(server.ok()) << server.status();
  httplib::Client client("127.0.0.1", (*server)->port());
  EXPECT_EQ(client.Get("/metrics", kAdmin)->status, 404);
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
