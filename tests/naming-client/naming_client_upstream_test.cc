// A NamingClient from YAML (NewNamingClient) against a FakeNacosServer over HTTP, with a real
// cache directory: outages (500, hangs, a stopped server) that open the breaker while lookups and
// subscriptions keep the cached value, a restart with load-cache-at-start while Nacos is down,
// push-empty-protection, and an unknown data source.
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/nacos_http_upstream.h"
#include "tests/naming-client/naming_client_fixture.h"
#include "tests/naming-client/wait_for.h"

namespace failover {
namespace naming {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const ServiceKey kOrders{"DEFAULT_GROUP", "orders", ""};

class NamingClientUpstreamTest : public NamingClientFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartServer());
    server_->SetService("public", ServerService("orders", {"10.0.0.1"}));
  }

  std::unique_ptr<NamingClient> Client(const std::string& more = "") {
    auto client = NewClient(more);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  static NacosServerState Server(const NamingClient& client) {
    const auto* upstream = dynamic_cast<const NacosHttpUpstream*>(client.upstream());
    EXPECT_NE(upstream, nullptr);
    return upstream == nullptr ? NacosServerState() : upstream->Servers().at(0);
  }

  static std::string FirstIp(NamingClient& client, bool subscribe = true) {
    auto found = client.Lookup(kOrders, subscribe);
    if (!found.ok()) return found.status().ToString();
    return found->info->hosts_size() == 0 ? "no hosts" : found->info->hosts(0).ip();
  }
};

enum class Outage { kHttp500, kHang, kStopped };

class NamingClientOutageTest : public NamingClientUpstreamTest,
                               public ::testing::WithParamInterface<Outage> {};

TEST_P(NamingClientOutageTest, BreakerOpensCacheAnswersAndTheListenerHearsOnlyRealChanges) {
  auto client = Client();
  ASSERT_NE(client, nullptr);
  EventLog events;
  ASSERT_TRUE(client->Lookup(kOrders).ok());
  ASSERT_TRUE(client->Subscribe(kOrders, events.Listener()).ok());
  ASSERT_THAT(events.lines(), ElementsAre("cache 10.0.0.1:8080"));

  switch (GetParam()) {
    case Outage::kHttp500:
      server_->SetFault(FakeNacosFault::kHttp500);
      break;
    case Outage::kHang:  // Longer than request-timeout (300ms); short enough to free threads.
      server_->SetFault(FakeNacosFault::kHang, absl::Seconds(2));
      break;
    case Outage::kStopped:
      server_->Stop();
      break;
  }
  ASSERT_TRUE(WaitFor([&] { return Server(*client).breaker_state == CircuitBreakerState::kOpen; }))
      << Server(*client).failures;
  EXPECT_GE(Server(*client).failures, 3);

  // Lookups answer from the cache, subscribing or not (the query fails, the cached value stays).
  EXPECT_EQ(FirstIp(*client), "10.0.0.1");
  EXPECT_EQ(FirstIp(*client, /*subscribe=*/false), "10.0.0.1");
  EXPECT_EQ(client->Lookup(kOrders)->source, LookupSource::kCache);
  // Failed polls go on (the breaker half-opens, fails its trial, opens again) without an event.
  const int64_t failures = Server(*client).failures;
  ASSERT_TRUE(WaitFor([&] { return Server(*client).failures >= failures + 2; }));
  EXPECT_THAT(events.lines(), ElementsAre("cache 10.0.0.1:8080"));

  // Back with changed data: the breaker's trial succeeds and the listener gets the change.
  server_->SetService("public", ServerService("orders", {"10.0.0.2"}));
  if (GetParam() == Outage::kStopped) {
    ASSERT_TRUE(server_->Restart().ok());
  } else {
    server_->SetFault(FakeNacosFault::kNone);
  }
  ASSERT_TRUE(WaitFor([&] { return events.size() == 2; })) << Server(*client).failures;
  EXPECT_THAT(events.lines(), ElementsAre("cache 10.0.0.1:8080", "cache 10.0.0.2:8080"));
  EXPECT_EQ(FirstIp(*client), "10.0.0.2");
  EXPECT_EQ(Server(*client).breaker_state, CircuitBreakerState::kClosed);
}

INSTANTIATE_TEST_SUITE_P(Outages, NamingClientOutageTest,
                         ::testing::Values(Outage::kHttp500, Outage::kHang, Outage::kStopped),
                         [](const ::testing::TestParamInfo<Outage>& info) {
                           switch (info.param) {
                             case Outage::kHttp500:
                               return "Http500";
                             case Outage::kHang:
                               return "Hang";
                             case Outage::kStopped:
                               return "Stopped";
                           }
                           return "Unknown";
                         });

TEST_F(NamingClientUpstreamTest, RestartWhileNacosIsDownAnswersFromTheCacheFilesWhenLoaded) {
  {
    auto first = Client();
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(FirstIp(*first), "10.0.0.1");  // Queried, stored, and written to the cache file.
  }
  server_->Stop();
  const size_t requests = server_->Requests().size();

  auto loaded = Client("    load-cache-at-start: true\n");
  ASSERT_NE(loaded, nullptr);
  auto found = loaded->Lookup(kOrders);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->source, LookupSource::kCache);
  EXPECT_EQ(found->info->hosts(0).ip(), "10.0.0.1");
  loaded.reset();

  auto cold = Client("    load-cache-at-start: false\n");
  ASSERT_NE(cold, nullptr);
  auto missing = cold->Lookup(kOrders);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kUnavailable) << missing.status();
  EXPECT_THAT(missing.status().message(), HasSubstr("DEFAULT_GROUP@@orders"));
  EXPECT_EQ(server_->Requests().size(), requests);  // Stopped: nothing reached it.
}

class NamingClientPushEmptyTest : public NamingClientUpstreamTest,
                                  public ::testing::WithParamInterface<bool> {};

TEST_P(NamingClientPushEmptyTest, EmptyAnswerKeepsOrEmptiesTheCache) {
  const bool protect = GetParam();
  auto client =
      Client(absl::StrCat("    push-empty-protection: ", protect ? "true" : "false", "\n"));
  ASSERT_NE(client, nullptr);
  EventLog events;
  ASSERT_TRUE(client->Lookup(kOrders).ok());
  ASSERT_TRUE(client->Subscribe(kOrders, events.Listener()).ok());

  server_->SetService("public", ServerService("orders", {}));
  if (protect) {
    ASSERT_TRUE(WaitFor([&] { return client->holder().counters().ignored_empty >= 2; }));
    EXPECT_EQ(FirstIp(*client), "10.0.0.1");
    EXPECT_THAT(events.lines(), ElementsAre("cache 10.0.0.1:8080"));
  } else {
    ASSERT_TRUE(WaitFor([&] { return events.size() == 2; }));
    EXPECT_THAT(events.lines(), ElementsAre("cache 10.0.0.1:8080", "cache "));
    EXPECT_EQ(FirstIp(*client), "no hosts");
  }
}

INSTANTIATE_TEST_SUITE_P(Protection, NamingClientPushEmptyTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "On" : "Off";
                         });

TEST_F(NamingClientUpstreamTest, UnknownDataSourceFailsConstruction) {
  auto client = NewClient("    data-source: nacos-redis\n");
  EXPECT_EQ(client.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(client.status().message(),
              HasSubstr("failover.naming.data-source: failover data source 'nacos-redis' is not "
                        "registered (registered: disk)"));
  EXPECT_TRUE(server_->Requests().empty());
}

}  // namespace
}  // namespace naming
}  // namespace failover
