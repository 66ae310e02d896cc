// NacosHttpUpstream and ServicePoller over real HTTP against FakeNacosServer on loopback: the
// requests Nacos sees, its answers and refusals, and outages (500, hangs, refused connections)
// that open the breaker while the poller's sink keeps the last good result, then recovery.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/sync.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/httplib_client.h"
#include "naming-client/nacos_http_upstream.h"
#include "naming-client/service_poller.h"
#include "naming-client/testing/fake_nacos_server.h"
#include "tests/naming-client/wait_for.h"

namespace failover {
namespace naming {
namespace {

using ::testing::HasSubstr;

const ServiceKey kOrders{"DEFAULT_GROUP", "orders", ""};

v1::ServiceInfo Orders(const std::string& ip, int64_t cache_millis = 100) {
  v1::ServiceInfo info;
  info.set_name("orders");
  info.set_group_name("DEFAULT_GROUP");
  info.set_cache_millis(cache_millis);
  for (const char* cluster : {"c1", "c2"}) {
    v1::Instance* host = info.add_hosts();
    host->set_ip(ip);
    host->set_port(cluster == std::string("c1") ? 8080 : 8081);
    host->set_cluster_name(cluster);
  }
  v1::Instance* sick = info.add_hosts();
  sick->set_ip(ip);
  sick->set_port(9090);
  sick->set_cluster_name("c1");
  sick->set_healthy(false);
  return info;
}

std::unique_ptr<FakeNacosServer> StartServer() {
  auto server = FakeNacosServer::Start();
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

// Fast settings for tests on the real clock: short timeouts and breaker wait, one pass.
NacosHttpUpstreamOptions FastOptions(std::vector<std::string> servers, NacosApiVersion version) {
  NacosHttpUpstreamOptions options;
  options.server_addresses = std::move(servers);
  options.api_version = version;
  options.connect_timeout = absl::Milliseconds(500);
  options.request_timeout = absl::Milliseconds(300);
  options.breaker.wait_duration_in_open_state = absl::Milliseconds(300);
  options.retry.max_attempts = 1;
  return options;
}

std::unique_ptr<NacosHttpUpstream> MakeUpstream(NacosHttpUpstreamOptions options) {
  auto upstream = NacosHttpUpstream::Create(std::move(options), NewHttplibClient(), SystemClock(),
                                            SystemRandom());
  EXPECT_TRUE(upstream.ok()) << upstream.status();
  return upstream.ok() ? *std::move(upstream) : nullptr;
}

TEST(NacosUpstreamHttpTest, V1QueryOverHttp) {
  auto server = StartServer();
  server->SetService("dev", Orders("10.0.0.1"));
  NacosHttpUpstreamOptions options = FastOptions({server->address()}, NacosApiVersion::kV1);
  options.nacos_namespace = "dev";
  auto upstream = MakeUpstream(options);
  absl::StatusOr<v1::ServiceInfo> info =
      upstream->Query({"DEFAULT_GROUP", "orders", "c1"}, /*healthy_only=*/true);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->name(), "orders");
  EXPECT_EQ(info->group_name(), "DEFAULT_GROUP");
  EXPECT_EQ(info->clusters(), "c1");
  ASSERT_EQ(info->hosts_size(), 1);  // c1 and healthy only, filtered by Nacos.
  EXPECT_EQ(info->hosts(0).port(), 8080);
  EXPECT_EQ(info->hosts(0).service_name(), "DEFAULT_GROUP@@orders");

  ASSERT_EQ(server->Requests().size(), 1u);
  const FakeNacosRequest request = server->Requests()[0];
  EXPECT_EQ(request.path, "/nacos/v1/ns/instance/list");
  const std::map<std::string, std::string> expected = {{"serviceName", "DEFAULT_GROUP@@orders"},
                                                       {"groupName", "DEFAULT_GROUP"},
                                                       {"namespaceId", "dev"},
                                                       {"clusters", "c1"},
                                                       {"healthyOnly", "true"}};
  EXPECT_EQ(request.params, expected);
}

TEST(NacosUpstreamHttpTest, V2QueryOverHttp) {
  auto server = StartServer();
  server->SetService("public", Orders("10.0.0.2"));
  auto upstream = MakeUpstream(FastOptions({server->address()}, NacosApiVersion::kV2));
  absl::StatusOr<v1::ServiceInfo> info = upstream->Query({"DEFAULT_GROUP", "orders", ""}, false);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->name(), "orders");
  EXPECT_EQ(info->hosts_size(), 3);
  EXPECT_EQ(info->cache_millis(), 100);

  const FakeNacosRequest request = server->Requests()[0];
  EXPECT_EQ(request.path, "/nacos/v2/ns/instance/list");
  const std::map<std::string, std::string> expected = {{"namespaceId", "public"},
                                                       {"groupName", "DEFAULT_GROUP"},
                                                       {"serviceName", "orders"},
                                                       {"clusterName", ""},
                                                       {"healthyOnly", "false"}};
  EXPECT_EQ(request.params, expected);
}

TEST(NacosUpstreamHttpTest, UnknownServiceIsEmptyOrNotFoundAsTheServerAnswers) {
  auto server = StartServer();
  for (NacosApiVersion version : {NacosApiVersion::kV1, NacosApiVersion::kV2}) {
    auto upstream = MakeUpstream(FastOptions({server->address()}, version));
    server->SetUnknownServiceNotFound(false);
    absl::StatusOr<v1::ServiceInfo> empty = upstream->Query({"g", "nobody", ""}, false);
    ASSERT_TRUE(empty.ok()) << empty.status();
    EXPECT_EQ(empty->hosts_size(), 0);
    EXPECT_EQ(empty->cache_millis(), 10000);
    EXPECT_EQ(empty->name(), "nobody");
  }
  auto upstream = MakeUpstream(FastOptions({server->address()}, NacosApiVersion::kV2));
  server->SetUnknownServiceNotFound(true);
  absl::StatusOr<v1::ServiceInfo> missing = upstream->Query({"g", "nobody", ""}, false);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("service not found: g@@nobody@public"));
  ASSERT_TRUE(GetNacosError(missing.status()).has_value());
  EXPECT_EQ(GetNacosError(missing.status())->code, 20004);
  EXPECT_EQ(upstream->Servers()[0].failures, 0);
}

TEST(NacosUpstreamHttpTest, MalformedJsonAndStoppedServersAreServerFailuresAndRotate) {
  auto a = StartServer();
  auto b = StartServer();
  a->SetService("public", Orders("10.0.0.1"));
  b->SetService("public", Orders("10.0.0.1"));
  a->SetFault(FakeNacosFault::kMalformedJson);
  b->Stop();
  auto upstream = MakeUpstream(FastOptions({a->address(), b->address()}, NacosApiVersion::kV1));
  absl::StatusOr<v1::ServiceInfo> info = upstream->Query(kOrders, false);
  EXPECT_EQ(info.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(upstream->Servers()[0].failures + upstream->Servers()[1].failures, 2);

  ASSERT_TRUE(b->Restart().ok());
  for (int i = 0; i < 4; ++i) {
    absl::StatusOr<v1::ServiceInfo> ok = upstream->Query(kOrders, false);
    ASSERT_TRUE(ok.ok()) << ok.status();  // a keeps failing; every query ends on b.
  }
  EXPECT_EQ(b->Requests().size(), 4u);
}

// A poller whose sink keeps the latest result per service, as a ServiceInfoHolder would.
class PolledOrders {
 public:
  explicit PolledOrders(NamingUpstream& upstream) {
    ServicePollerOptions options;
    options.min_period = absl::Milliseconds(50);
    options.max_period = absl::Milliseconds(800);
    auto poller = ServicePoller::Create(
        upstream, SystemClock(),
        [this](const v1::ServiceInfo& info) {
          MutexLock lock(&mu_);
          latest_[info.name()] = info;
        },
        [this](const ServiceKey&, const absl::Status& error) {
          MutexLock lock(&mu_);
          ++errors_;
          // A copy of the text: an absl::Status shared across threads is reference-counted
          // inside Debian's uninstrumented Abseil, which ThreadSanitizer cannot see.
          last_error_ = std::string(error.message());
        },
        options);
    EXPECT_TRUE(poller.ok()) << poller.status();
    poller_ = *std::move(poller);
    poller_->Subscribe(kOrders);
  }

  std::string FirstIp() {
    MutexLock lock(&mu_);
    const auto it = latest_.find("orders");
    return it == latest_.end() || it->second.hosts_size() == 0 ? "" : it->second.hosts(0).ip();
  }
  int errors() {
    MutexLock lock(&mu_);
    return errors_;
  }
  std::string last_error() {
    MutexLock lock(&mu_);
    return last_error_;
  }

 private:
  Mutex mu_;
  std::map<std::string, v1::ServiceInfo> latest_ ABSL_GUARDED_BY(mu_);
  int errors_ ABSL_GUARDED_BY(mu_) = 0;
  std::string last_error_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<ServicePoller> poller_;  // Last: destroyed first, while the rest is alive.
};

void OutageThenRecovery(FakeNacosFault fault) {
  auto server = StartServer();
  server->SetService("public", Orders("10.0.0.1"));
  NacosHttpUpstreamOptions options = FastOptions({server->address()}, NacosApiVersion::kV2);
  // Longer than the poller's longest period, so that polls while open fail fast.
  options.breaker.wait_duration_in_open_state = absl::Seconds(3);
  auto upstream = MakeUpstream(options);
  PolledOrders polled(*upstream);
  ASSERT_TRUE(WaitFor([&] { return polled.FirstIp() == "10.0.0.1"; }));

  server->SetFault(fault, absl::Seconds(30));
  ASSERT_TRUE(
      WaitFor([&] { return upstream->Servers()[0].breaker_state == CircuitBreakerState::kOpen; }));
  const int64_t failures_when_open = upstream->Servers()[0].failures;
  EXPECT_GE(failures_when_open, 3);
  // Open: polls fail without reaching the server, and the sink keeps the last good result.
  ASSERT_TRUE(
      WaitFor([&] { return absl::StrContains(polled.last_error(), "circuit breaker open"); }));
  EXPECT_EQ(upstream->Servers()[0].failures, failures_when_open);
  EXPECT_EQ(polled.FirstIp(), "10.0.0.1");

  // The server is back: after the open wait the breaker's trial call succeeds, and new data
  // flows again.
  server->SetService("public", Orders("10.0.0.9"));
  server->SetFault(FakeNacosFault::kNone);
  ASSERT_TRUE(WaitFor([&] { return polled.FirstIp() == "10.0.0.9"; }));
  EXPECT_EQ(upstream->Servers()[0].breaker_state, CircuitBreakerState::kClosed);
}

TEST(NacosUpstreamOutageTest, Http500OpensTheBreakerKeepsTheLastGoodResultAndRecovers) {
  OutageThenRecovery(FakeNacosFault::kHttp500);
}

TEST(NacosUpstreamOutageTest, HangingServerTimesOutOpensTheBreakerAndRecovers) {
  OutageThenRecovery(FakeNacosFault::kHang);
}

TEST(NacosUpstreamOutageTest, HangingServerFailsWithDeadlineExceeded) {
  auto server = StartServer();
  server->SetService("public", Orders("10.0.0.1"));
  server->SetFault(FakeNacosFault::kHang, absl::Seconds(30));
  auto upstream = MakeUpstream(FastOptions({server->address()}, NacosApiVersion::kV1));
  absl::StatusOr<v1::ServiceInfo> info = upstream->Query(kOrders, false);
  EXPECT_EQ(info.status().code(), absl::StatusCode::kDeadlineExceeded) << info.status();
  EXPECT_EQ(upstream->Servers()[0].failures, 1);
  server->SetFault(FakeNacosFault::kNone);
}

}  // namespace
}  // namespace naming
}  // namespace failover
