#include "dashboard/http/dashboard_http_server.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "core/simulated_clock.h"
#include "dashboard/http/testing/server_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace dashboard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST_F(DashboardHttpServerTest, ServesTheApiToTheAdmin) {
  const auto res = Get("/api/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"endpoint":"health"})");
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  ExpectSecurityHeaders(res);
  EXPECT_EQ(Get("/api/metrics/series?windowSec=300")->body,
            R"({"endpoint":"metrics/series?windowSec=300"})");
  EXPECT_EQ(Get("/api/config/settings")->body, R"({"endpoint":"config/settings"})");
}

TEST_F(DashboardHttpServerTest, WithoutCredentialsIs401WithAChallenge) {
  const auto res = Get("/api/health", {});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Basic realm=\"failoverd\"");
  EXPECT_THAT(res->body, HasSubstr("\"error\""));
  ExpectSecurityHeaders(res);
  // The UI too.
  EXPECT_EQ(Get("/", {})->status, 401);
}

TEST_F(DashboardHttpServerTest, AUserWithoutTheRoleIs403) {
  EXPECT_EQ(Get("/api/health", Basic("viewer", "viewer-pw"))->status, 403);
  EXPECT_EQ(Get("/api/health", Basic("pusher", "pusher-pw"))->status, 403);
}

TEST_F(DashboardHttpServerTest, RepeatedFailuresLockOutWith429) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Get("/api/health", Basic("admin", "guess"))->status, 401);
  const auto res = Get("/api/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429);
  EXPECT_EQ(res->get_header_value("Retry-After"), "60");
  ExpectSecurityHeaders(res);
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(Get("/api/health")->status, 200);
}

TEST_F(DashboardHttpServerTest, UnexposedEndpointIs404WithOneWarning) {
  EXPECT_EQ(Get("/api/instances")->status, 404);
  EXPECT_EQ(Get("/api/instances")->status, 404);
  EXPECT_THAT(log_.messages(),
              ElementsAre(AllOf(HasSubstr("/failover-dashboard/api/instances"),
                                HasSubstr("'instances' is not in "
                                          "failover.dashboard.exposure.include"))));
}

TEST_F(DashboardHttpServerTest, UnexposedIngestIsLogged) {
  DashboardConfig config = BaseConfig();
  config.exposure.include = {"health"};
  Start(config);
  v1::HeartbeatRequest heartbeat;
  heartbeat.set_instance_id("peer-1");
  EXPECT_EQ(Post("/api/cluster/heartbeat", heartbeat.SerializeAsString(), "application/x-protobuf",
                 {{"Authorization", "Bearer push-token"}})
                ->status,
            404);
  EXPECT_THAT(log_.messages(), ElementsAre(HasSubstr("'cluster' endpoint is not exposed")));
  EXPECT_THAT(ingest_.heartbeats(), IsEmpty());
}

TEST_F(DashboardHttpServerTest, ExposureSwitchesHideTheUiOrTheApi) {
  DashboardConfig config = BaseConfig();
  config.exposure.ui = false;
  Start(config);
  EXPECT_EQ(Get("/")->status, 404);
  EXPECT_EQ(Get("/ui/app.js")->status, 404);
  EXPECT_EQ(Get("/api/health")->status, 200);

  config = BaseConfig();
  config.exposure.api = false;
  Start(config);
  EXPECT_EQ(Get("/")->status, 200);
  EXPECT_EQ(Get("/api/health")->status, 404);
  EXPECT_EQ(Get("/api/config")->status, 404);
  EXPECT_THAT(log_.messages(), ElementsAre(HasSubstr("failover.dashboard.exposure.api is false"),
                                           HasSubstr("failover.dashboard.exposure.api is false")));
}

TEST_F(DashboardHttpServerTest, ServesOnlyUnderTheBasePath) {
  const auto outside = client_->Get("/api/health", kAdmin);
  ASSERT_TRUE(outside);
  EXPECT_EQ(outside->status, 404);
  EXPECT_THAT(outside->body, HasSubstr("the dashboard is under /failover-dashboard"));
  ExpectSecurityHeaders(outside);
  EXPECT_EQ(client_->Get("/failover-dashboardX/api/health", kAdmin)->status, 404);
  const auto unknown = Get("/api/nope");
  EXPECT_EQ(unknown->status, 404);
  EXPECT_THAT(unknown->body, HasSubstr("no such endpoint"));

  DashboardConfig config = BaseConfig();
  config.base_path = "/ops";
  Start(config);
  EXPECT_EQ(client_->Get("/ops/api/health", kAdmin)->status, 200);
  EXPECT_EQ(Get("/api/health")->status, 404);
}

TEST_F(DashboardHttpServerTest, WrongMethodIs405) {
  const auto res = client_->Delete(absl::StrCat(kBase, "/api/health"), kAdmin);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(res->get_header_value("Allow"), "GET, HEAD");
  EXPECT_EQ(Get("/api/cluster/snapshot")->status, 405);
}

TEST_F(DashboardHttpServerTest, ServesTheUi) {
  // The page's relative URLs (ui/app.js, api/metrics) need the trailing slash.
  const auto bare = Get("");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->status, 308);
  EXPECT_EQ(bare->get_header_value("Location"), absl::StrCat(kBase, "/"));
  for (const char* path : {"/"}) {
    const auto index = Get(path);
    ASSERT_TRUE(index);
    EXPECT_EQ(index->status, 200) << path;
    EXPECT_THAT(index->get_header_value("Content-Type"), HasSubstr("text/html"));
    EXPECT_THAT(index->body, HasSubstr("<html"));
    EXPECT_EQ(index->get_header_value("Cache-Control"), "no-cache");
    ExpectSecurityHeaders(index);
  }
  const auto app = Get("/ui/app.js");
  EXPECT_EQ(app->status, 200);
  EXPECT_THAT(app->get_header_value("Content-Type"), HasSubstr("javascript"));
  EXPECT_EQ(Get("/ui/missing.js")->status, 404);
}

TEST_F(DashboardHttpServerTest, ServesChartJsFromTheVendorFolder) {
  EXPECT_EQ(Get("/vendor/chart.umd.js")->status, 404);  // No vendor folder.
  const char* tmp = std::getenv("TEST_TMPDIR");
  ASSERT_NE(tmp, nullptr);
  vendor_dir_ = absl::StrCat(tmp, "/vendor");
  ASSERT_EQ(std::system(absl::StrCat("mkdir -p ", vendor_dir_).c_str()), 0);
  Start();
  EXPECT_EQ(Get("/vendor/chart.umd.js")->status, 404);  // Not installed there.
  std::ofstream(absl::StrCat(vendor_dir_, "/chart.umd.js")) << "/* chart */";
  const auto res = Get("/vendor/chart.umd.js");
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "/* chart */");
  EXPECT_THAT(res->get_header_value("Content-Type"), HasSubstr("javascript"));
}

TEST_F(DashboardHttpServerTest, StopWaitsForRequestsInFlight) {
  api_.hold_health_ = true;
  int status = 0;
  std::thread request([&] {
    const auto result = Get("/api/health");
    if (result) status = result->status;
  });
  api_.entered_.WaitForNotification();
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    server_->Stop();
    stopped = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(stopped);
  api_.release_.Notify();
  stopper.join();
  request.join();
  EXPECT_TRUE(stopped);
  EXPECT_EQ(status, 200);
  EXPECT_FALSE(client_->Get(absl::StrCat(kBase, "/api/health"), kAdmin));  // Not listening.
}

TEST(DashboardHttpServerStartTest, RefusesBadListenAddressesAndMissingServices) {
  FakeEndpoints api;
  SimulatedClock clock;
  WarningSink sink = [](absl::string_view) {};
  auto auth = Authenticator::Create(DashboardSecurityConfig(), clock, sink);
  ASSERT_TRUE(auth.ok());
  DashboardHttpServices services;
  services.api = &api;
  services.auth = auth->get();
  services.warnings = &sink;
  DashboardConfig config;
  config.listen = "nonsense";
  EXPECT_THAT(DashboardHttpServer::Start(config, services).status().message(),
              HasSubstr("failover.dashboard.listen"));
  config.listen = "127.0.0.1:0";
  auto first = DashboardHttpServer::Start(config, services);
  ASSERT_TRUE(first.ok());
  config.listen = absl::StrCat("127.0.0.1:", (*first)->port());
  EXPECT_EQ(DashboardHttpServer::Start(config, services).status().code(),
            absl::StatusCode::kUnavailable);
  services.auth = nullptr;
  EXPECT_EQ(DashboardHttpServer::Start(config, services).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
