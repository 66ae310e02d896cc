#include "dashboard/http/dashboard_http_server.h"

#include <httplib.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/random.h"
#include "core/simulated_clock.h"
#include "core/sync.h"
#include "core/testing/warning_log.h"
#include "dashboard/http/api_endpoints.h"
#include "dashboard/ingest_sink.h"
#include "dashboard/payloads/payload_reader.h"
#include "dashboard/security/authenticator.h"
#include "dashboard/security/password_hash.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "naming-client/failover_data_store.h"
#include "proto/metrics_snapshot.pb.h"
#include "store-jdbc/testing/map_failover_store.h"

namespace failover {
namespace dashboard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kBase[] = "/failover-dashboard";

// Answers {"endpoint":"<name>"}; Health() can be held to test Stop().
class FakeEndpoints final : public DashboardEndpoints {
 public:
  ApiResponse Config() override { return Answer("config"); }
  ApiResponse ConfigSettings() override { return Answer("config/settings"); }
  ApiResponse FailoverHealth() override { return Answer("failover-health"); }
  ApiResponse Metrics() override { return Answer("metrics"); }
  ApiResponse MetricsSeries(absl::string_view window) override {
    return Answer(absl::StrCat("metrics/series?windowSec=", window));
  }
  ApiResponse MetricsExceptions() override { return Answer("metrics/exceptions"); }
  ApiResponse Health() override {
    if (hold_health_) {
      entered_.Notify();
      release_.WaitForNotification();
    }
    return Answer("health");
  }
  ApiResponse Instances() override { return Answer("instances"); }

  std::atomic<bool> hold_health_{false};
  Notification entered_;
  Notification release_;

 private:
  static ApiResponse Answer(absl::string_view name) {
    return {200, absl::StrCat("{\"endpoint\":\"", name, "\"}")};
  }
};

class FakeIngest final : public IngestSink {
 public:
  absl::Status AcceptSnapshot(v1::MetricsSnapshot snapshot) override {
    MutexLock lock(&mu_);
    if (!answer_.ok()) return answer_;
    snapshots_.push_back(snapshot.instance_id());
    return absl::OkStatus();
  }
  absl::Status AcceptHeartbeat(const v1::HeartbeatRequest& heartbeat) override {
    MutexLock lock(&mu_);
    if (!answer_.ok()) return answer_;
    heartbeats_.push_back(heartbeat.instance_id());
    return absl::OkStatus();
  }
  void Answer(absl::Status status) {
    MutexLock lock(&mu_);
    answer_ = std::move(status);
  }
  std::vector<std::string> snapshots() {
    MutexLock lock(&mu_);
    return snapshots_;
  }
  std::vector<std::string> heartbeats() {
    MutexLock lock(&mu_);
    return heartbeats_;
  }

 private:
  Mutex mu_;
  absl::Status answer_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> snapshots_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> heartbeats_ ABSL_GUARDED_BY(mu_);
};

httplib::Headers Basic(absl::string_view user, absl::string_view password) {
  return {{"Authorization",
           absl::StrCat("Basic ", absl::Base64Escape(absl::StrCat(user, ":", password)))}};
}
const httplib::Headers kAdmin = Basic("admin", "admin-pw");

DashboardConfig BaseConfig() {
  DashboardConfig config;
  config.listen = "127.0.0.1:0";
  config.exposure.include = {"config",  "failover-health", "metrics", "health",
                             "cluster", "naming",          "payloads"};  // Not "instances".
  SeededRandom random(7);
  for (const auto& [name, role] : {std::pair<std::string, std::string>{"admin", "FAILOVER_ADMIN"},
                                   {"viewer", "VIEWER"},
                                   {"pusher", "FAILOVER_INGEST"}}) {
    DashboardUserConfig user;
    user.username = name;
    user.password_hash = HashPassword(name + "-pw", random, kMinPbkdf2Iterations);
    user.roles = {role};
    config.security.users.push_back(user);
  }
  config.security.ingest_tokens = {"push-token"};
  config.security.max_failures = 3;
  config.security.lockout = absl::Minutes(1);
  return config;
}

class DashboardHttpServerTest : public ::testing::Test {
 protected:
  void Start(DashboardConfig config = BaseConfig(), bool with_ingest = true,
             size_t max_body = 8 << 20) {
    if (server_ != nullptr) server_->Stop();
    auto auth = Authenticator::Create(config.security, clock_, sink_);
    ASSERT_TRUE(auth.ok()) << auth.status();
    auth_ = *std::move(auth);
    DashboardHttpServices services;
    services.api = &api_;
    services.auth = auth_.get();
    services.ingest = with_ingest ? &ingest_ : nullptr;
    services.naming_data = &naming_;
    services.payloads = &payloads_;
    services.warnings = &sink_;
    services.vendor_dir = vendor_dir_;
    services.max_request_body_bytes = max_body;
    auto server = DashboardHttpServer::Start(config, services);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  void SetUp() override { Start(); }

  httplib::Result Get(absl::string_view path, const httplib::Headers& headers = kAdmin) {
    return client_->Get(absl::StrCat(kBase, path), headers);
  }
  httplib::Result Post(absl::string_view path, const std::string& body, const char* type,
                       const httplib::Headers& headers = kAdmin) {
    return client_->Post(absl::StrCat(kBase, path), headers, body, type);
  }
  httplib::Result Put(absl::string_view path, const std::string& body,
                      const httplib::Headers& headers = kAdmin) {
    return client_->Put(absl::StrCat(kBase, path), headers, body, "application/json");
  }

  SimulatedClock clock_;
  WarningLog log_;
  WarningSink sink_ = log_.Sink();
  FakeEndpoints api_;
  FakeIngest ingest_;
  naming::FailoverDataStore naming_;
  MapFailoverStore store_;
  PayloadReader payloads_{store_, clock_};
  std::string vendor_dir_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<DashboardHttpServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

void ExpectSecurityHeaders(const httplib::Result& res) {
  EXPECT_EQ(res->get_header_value("Content-Security-Policy"),
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; frame-ancestors 'none'; base-uri 'none'");
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(res->get_header_value_count("Content-Security-Policy"), 1u);
}

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
  for (const char* path : {"", "/"}) {
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

TEST_F(DashboardHttpServerTest, IngestAcceptsBinaryAndJson) {
  v1::MetricsSnapshot snapshot;
  snapshot.set_instance_id("peer-1");
  const auto binary = Post("/api/cluster/snapshot", snapshot.SerializeAsString(),
                           "application/x-protobuf", Basic("pusher", "pusher-pw"));
  ASSERT_TRUE(binary);
  EXPECT_EQ(binary->status, 202);
  EXPECT_EQ(binary->body, R"({"accepted":true})");
  EXPECT_EQ(Post("/api/cluster/snapshot", R"({"instanceId":"peer-2","unknownField":1})",
                 "application/json; charset=utf-8", {{"Authorization", "Bearer push-token"}})
                ->status,
            202);
  EXPECT_EQ(
      Post("/api/cluster/heartbeat", R"({"instanceId":"peer-3"})", "application/json")->status,
      202);
  EXPECT_THAT(ingest_.snapshots(), ElementsAre("peer-1", "peer-2"));
  EXPECT_THAT(ingest_.heartbeats(), ElementsAre("peer-3"));
}

TEST_F(DashboardHttpServerTest, IngestRefusals) {
  const httplib::Headers token = {{"Authorization", "Bearer push-token"}};
  const auto bad_json = Post("/api/cluster/snapshot", "{not json", "application/json", token);
  EXPECT_EQ(bad_json->status, 400);
  EXPECT_THAT(bad_json->body, HasSubstr("not failover.v1.MetricsSnapshot protobuf JSON"));
  const auto bad_binary =
      Post("/api/cluster/heartbeat", "\xff\xff\xff", "application/x-protobuf", token);
  EXPECT_EQ(bad_binary->status, 400);
  EXPECT_THAT(bad_binary->body, HasSubstr("not a binary failover.v1.HeartbeatRequest"));
  const auto text = Post("/api/cluster/snapshot", "x", "text/plain", token);
  EXPECT_EQ(text->status, 415);
  EXPECT_THAT(text->body, HasSubstr("application/x-protobuf"));

  ingest_.Answer(absl::InvalidArgumentError("instance_id: blank"));
  const auto invalid = Post("/api/cluster/snapshot", "{}", "application/json", token);
  EXPECT_EQ(invalid->status, 400);
  EXPECT_THAT(invalid->body, HasSubstr("instance_id: blank"));
  ingest_.Answer(absl::UnavailableError("shutting down"));
  EXPECT_EQ(Post("/api/cluster/snapshot", "{}", "application/json", token)->status, 503);

  EXPECT_EQ(Post("/api/cluster/snapshot", "{}", "application/json", {})->status, 401);
  EXPECT_EQ(
      Post("/api/cluster/snapshot", "{}", "application/json", Basic("viewer", "viewer-pw"))->status,
      403);
}

TEST_F(DashboardHttpServerTest, IngestOutsideSharedStoreModeIs409) {
  Start(BaseConfig(), /*with_ingest=*/false);
  const auto res = Post("/api/cluster/snapshot", "{}", "application/json");
  EXPECT_EQ(res->status, 409);
  EXPECT_THAT(res->body, HasSubstr("failover.dashboard.cluster.mode is not shared-store"));
}

TEST_F(DashboardHttpServerTest, TooLargeBodyIs413) {
  Start(BaseConfig(), true, /*max_body=*/1024);
  const auto res = Post("/api/cluster/snapshot", std::string(4096, 'x'), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_THAT(res->body, HasSubstr("too large"));
  ExpectSecurityHeaders(res);
  EXPECT_THAT(ingest_.snapshots(), IsEmpty());
}

TEST_F(DashboardHttpServerTest, NamingSwitchRecordsWhoChangedIt) {
  const auto put = Put("/api/naming/switch?namespace=dev",
                       R"({"enabled":true,"reason":"registry maintenance"})");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 200);
  const auto get = Get("/api/naming/switch?namespace=dev");
  EXPECT_EQ(get->status, 200);
  EXPECT_THAT(get->body, HasSubstr(R"("enabled":true)"));
  EXPECT_THAT(get->body, HasSubstr(R"("reason":"admin: registry maintenance")"));
  EXPECT_TRUE(naming_.GetSwitch("dev")->enabled);
  EXPECT_FALSE(naming_.GetSwitch("public")->enabled);
  const auto bad = Put("/api/naming/switch", R"({"enabled":"yes"})");
  EXPECT_EQ(bad->status, 400);
  EXPECT_THAT(bad->body, HasSubstr("enabled"));
}

TEST_F(DashboardHttpServerTest, NamingServicesPutGetListDelete) {
  const std::string key = "DEFAULT_GROUP@@orders";
  const auto put = Put(absl::StrCat("/api/naming/services/", key),
                       R"({"name":"orders","groupName":"DEFAULT_GROUP",)"
                       R"("hosts":[{"ip":"10.0.0.1","port":8080}]})");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 200) << put->body;
  const auto get = Get(absl::StrCat("/api/naming/services/", key));
  EXPECT_EQ(get->status, 200);
  EXPECT_THAT(get->body, HasSubstr("\"ip\":\"10.0.0.1\""));
  EXPECT_THAT(get->body, HasSubstr(absl::StrCat("\"key\":\"", key, "\"")));
  const auto list = Get("/api/naming/services");
  EXPECT_THAT(list->body, HasSubstr(absl::StrCat("\"key\":\"", key, "\"")));
  EXPECT_THAT(list->body, HasSubstr("\"hosts\":1"));
  EXPECT_EQ(Put(absl::StrCat("/api/naming/services/", key), "{broken")->status, 400);
  EXPECT_EQ(client_->Delete(absl::StrCat(kBase, "/api/naming/services/", key), kAdmin)->status,
            200);
  EXPECT_EQ(Get(absl::StrCat("/api/naming/services/", key))->status, 404);
  EXPECT_EQ(Get("/api/naming/services?pageSize=-1")->status, 400);
}

TEST_F(DashboardHttpServerTest, ReadsPayloads) {
  const absl::Time now = clock_.WallNow();
  store_.Put(
      FailoverStoreEntry{"quotes", "k1", now, now + absl::Hours(1), R"({"px":1.5})", "acme.Quote"});
  const auto one = Get("/api/payloads?name=quotes&key=k1");
  EXPECT_EQ(one->status, 200);
  EXPECT_THAT(one->body, HasSubstr(R"("payloadClass":"acme.Quote")"));
  EXPECT_THAT(one->body, HasSubstr(R"("payload":"{\"px\":1.5}")"));
  const auto page = Get("/api/payloads?name=quotes");
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr(R"("key":"k1")"));
  EXPECT_EQ(Get("/api/payloads?name=quotes&key=nope")->status, 404);
  EXPECT_EQ(Get("/api/payloads?name=quotes&pageSize=x")->status, 400);
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
