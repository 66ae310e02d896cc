// The DashboardHttpServer tests' fixture: a server on 127.0.0.1:0 over fake endpoints, a
// recording IngestSink, a real FailoverDataStore and a PayloadReader over a MapFailoverStore,
// with four users (admin: FAILOVER_ADMIN, viewer: no dashboard role, pusher: FAILOVER_INGEST,
// scraper: FAILOVER_METRICS), one ingest token ("push-token"), max-failures 3 and a 1-minute
// lockout on a SimulatedClock, /metrics over registry_ (whose gauge `test.refreshes` counts the
// refresh_metrics calls) with ingest_counters_; requests go through a real httplib::Client.
//
//   TEST_F(DashboardHttpServerTest, Example) {
//     EXPECT_EQ(Get("/api/health")->status, 200);          // as admin
//     EXPECT_EQ(Get("/api/health", {})->status, 401);      // no credentials
//   }
#ifndef FAILOVER_DASHBOARD_HTTP_TESTING_SERVER_FIXTURE_H_
#define FAILOVER_DASHBOARD_HTTP_TESTING_SERVER_FIXTURE_H_

#include <httplib.h>

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/metrics/instance_tag_policy.h"
#include "core/metrics/metrics_registry.h"
#include "core/random.h"
#include "core/simulated_clock.h"
#include "core/sync.h"
#include "core/testing/warning_log.h"
#include "dashboard/http/api_endpoints.h"
#include "dashboard/http/dashboard_http_server.h"
#include "dashboard/ingest_counters.h"
#include "dashboard/ingest_sink.h"
#include "dashboard/payloads/payload_reader.h"
#include "dashboard/security/authenticator.h"
#include "dashboard/security/password_hash.h"
#include "gtest/gtest.h"
#include "naming-client/failover_data_store.h"
#include "proto/metrics_snapshot.pb.h"
#include "store-jdbc/testing/map_failover_store.h"

namespace failover {
namespace dashboard {

inline constexpr char kBase[] = "/failover-dashboard";

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

inline httplib::Headers Basic(absl::string_view user, absl::string_view password) {
  return {{"Authorization",
           absl::StrCat("Basic ", absl::Base64Escape(absl::StrCat(user, ":", password)))}};
}
inline const httplib::Headers kAdmin = Basic("admin", "admin-pw");

inline DashboardConfig BaseConfig() {
  DashboardConfig config;
  config.listen = "127.0.0.1:0";
  config.exposure.include = {"config",  "failover-health", "metrics", "health",
                             "cluster", "naming",          "payloads"};  // Not "instances".
  SeededRandom random(7);
  for (const auto& [name, role] : {std::pair<std::string, std::string>{"admin", "FAILOVER_ADMIN"},
                                   {"viewer", "VIEWER"},
                                   {"pusher", "FAILOVER_INGEST"},
                                   {"scraper", "FAILOVER_METRICS"}}) {
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
    services.metrics = &registry_;
    services.metrics_instance = metrics_instance_;
    services.refresh_metrics = [this] { registry_.GetGauge("test.refreshes").Add(1); };
    services.ingest_counters = &ingest_counters_;
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
  MetricsRegistry registry_;
  IngestCounters ingest_counters_{registry_};
  InstanceTagPolicy metrics_instance_{InstanceTagMode::kAuto, "failoverd-test"};
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<DashboardHttpServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

inline void ExpectSecurityHeaders(const httplib::Result& res) {
  EXPECT_EQ(res->get_header_value("Content-Security-Policy"),
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; frame-ancestors 'none'; base-uri 'none'");
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(res->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(res->get_header_value_count("Content-Security-Policy"), 1u);
}

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_HTTP_TESTING_SERVER_FIXTURE_H_
