// A NamingClient from YAML (NewNamingClient) against a FakeNacosServer over HTTP and a real
// failover directory: the Java client's documented file format, and the reference scenarios 1-8
// (docs/naming-client.md; /work/shared/reference/nacos-failover.md) end to end on the system
// clock.
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/naming-client/naming_client_fixture.h"
#include "tests/naming-client/wait_for.h"

namespace failover {
namespace naming {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kPoll[] = "    poll-interval: 200ms\n";
constexpr absl::Duration kPollInterval = absl::Milliseconds(200);

const ServiceKey kOrders{"DEFAULT_GROUP", "orders", ""};
const ServiceKey kTest2{"DEFAULT_GROUP", "test.2", ""};
const ServiceKey kSvcA{"DEFAULT_GROUP", "svcA", ""};
const ServiceKey kSvcB{"DEFAULT_GROUP", "svcB", ""};

constexpr char kSvcAFile[] = "DEFAULT_GROUP%40%40svcA";
constexpr char kSvcAJson[] =
    R"({"name":"svcA","groupName":"DEFAULT_GROUP","hosts":[{"ip":"10.0.0.1","port":8080}]})";

// What the Java client's DiskCache writes: one line (nacos-java-client-failover.md; the same
// bytes as naming-client/testdata/java_single_line.json).
constexpr char kJavaSingleLine[] =
    R"({"name":"DEFAULT_GROUP@@orders","groupName":"DEFAULT_GROUP","clusters":"","cacheMillis":10000,)"
    R"("hosts":[{"instanceId":"10.0.0.1#8080#c1#DEFAULT_GROUP@@orders","ip":"10.0.0.1","port":8080,)"
    R"("weight":1.0,"healthy":true,"enabled":true,"ephemeral":true,"clusterName":"c1",)"
    R"("serviceName":"DEFAULT_GROUP@@orders","metadata":{"version":"v2","zone":"a"},)"
    R"("instanceHeartBeatInterval":5000,"instanceHeartBeatTimeOut":15000,"ipDeleteTimeout":30000},)"
    R"({"instanceId":"10.0.0.2#8080#c2#DEFAULT_GROUP@@orders","ip":"10.0.0.2","port":8080,)"
    R"("weight":2.5,"healthy":false,"enabled":true,"ephemeral":true,"clusterName":"c2",)"
    R"("serviceName":"DEFAULT_GROUP@@orders","metadata":{},"instanceHeartBeatInterval":5000,)"
    R"("instanceHeartBeatTimeOut":15000,"ipDeleteTimeout":30000}],"lastRefTime":1700000000123,)"
    R"("checksum":"3bbcf6dd1175203a8afdade0e77a27cd","allIPs":false,"reachProtectionThreshold":false,)"
    R"("valid":true})";

// The example of the Nacos documentation, pretty-printed (which the Java client cannot load).
constexpr char kDocPretty[] = R"({
    "name":"DEFAULT_GROUP@@test.2",
    "groupName":"DEFAULT_GROUP",
    "clusters":"",
    "cacheMillis":10000,
    "hosts":[
        {
            "instanceId":"1.1.2.1#8888#DEFAULT#DEFAULT_GROUP@@test.2",
            "ip":"1.1.2.1",
            "port":8888,
            "weight":1,
            "healthy":true,
            "enabled":true,
            "ephemeral":true,
            "clusterName":"DEFAULT",
            "serviceName":"DEFAULT_GROUP@@test.2",
            "metadata":{
                "k1":"v1"
            },
            "instanceHeartBeatInterval":5000,
            "instanceHeartBeatTimeOut":15000,
            "ipDeleteTimeout":30000
        }
    ],
    "lastRefTime":1689835375819,
    "checksum":"",
    "allIPs":false,
    "reachProtectionThreshold":false,
    "valid":true
}
)";

std::vector<std::string> Addresses(const std::vector<v1::Instance>& hosts) {
  std::vector<std::string> out;
  for (const v1::Instance& host : hosts) out.push_back(absl::StrCat(host.ip(), ":", host.port()));
  return out;
}

class NamingClientFailoverTest : public NamingClientFixture {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(StartServer()); }

  std::unique_ptr<NamingClient> Client(const std::string& more = kPoll) {
    auto client = NewClient(more);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }
};

TEST_F(NamingClientFailoverTest, JavaFormatSingleLineAndPrettyPrintedServedWithoutAskingTheServer) {
  server_->SetService("public", ServerService("orders", {"192.168.0.1"}));
  server_->SetService("public", ServerService("test.2", {"192.168.0.2"}));
  WriteFailoverFile(kSwitchFile, "1\n");
  WriteFailoverFile("DEFAULT_GROUP%40%40orders", kJavaSingleLine);
  WriteFailoverFile("DEFAULT_GROUP%40%40test.2", kDocPretty);
  auto client = Client();
  ASSERT_NE(client, nullptr);

  auto orders = client->GetAllInstances(kOrders);
  ASSERT_TRUE(orders.ok()) << orders.status();
  EXPECT_THAT(Addresses(*orders), ElementsAre("10.0.0.1:8080", "10.0.0.2:8080"));
  EXPECT_EQ((*orders)[1].weight(), 2.5);
  EXPECT_EQ((*orders)[0].metadata().at("zone"), "a");
  auto one = client->SelectOneHealthyInstance(kOrders);  // 10.0.0.2 is unhealthy.
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->ip(), "10.0.0.1");

  auto test2 = client->Lookup(kTest2);
  ASSERT_TRUE(test2.ok()) << test2.status();
  EXPECT_EQ(test2->source, LookupSource::kFailover);
  ASSERT_EQ(test2->info->hosts_size(), 1);
  EXPECT_EQ(test2->info->hosts(0).ip(), "1.1.2.1");
  EXPECT_EQ(test2->info->hosts(0).port(), 8888);
  EXPECT_EQ(test2->info->hosts(0).metadata().at("k1"), "v1");
  EXPECT_THAT(client->reactor()->problems(), IsEmpty());

  EXPECT_THAT(server_->Requests(), IsEmpty());
}

// Scenarios 2, 3 and 4: the switch absent, no file for the service, a file without hosts: the
// server answers (and the cache after it).
TEST_F(NamingClientFailoverTest, SwitchOffNoFileOrNoHostsGoToTheServer) {
  server_->SetService("public", ServerService("svcA", {"192.168.0.1"}));
  server_->SetService("public", ServerService("svcB", {"192.168.0.2"}));
  WriteFailoverFile(kSvcAFile, kSvcAJson);
  auto client = Client();
  ASSERT_NE(client, nullptr);
  auto a = client->Lookup(kSvcA);  // Switch absent.
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->source, LookupSource::kUpstream);
  EXPECT_EQ(a->info->hosts(0).ip(), "192.168.0.1");
  ASSERT_EQ(server_->Requests().size(), 1u);
  EXPECT_EQ(server_->Requests()[0].params.at("serviceName"), "DEFAULT_GROUP@@svcA");

  client.reset();
  WriteFailoverFile(kSwitchFile, "1");
  WriteFailoverFile("DEFAULT_GROUP%40%40svcB", R"({"hosts":[]})");
  client = Client();
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->Lookup(kSvcA)->source, LookupSource::kFailover);
  auto b = client->Lookup(kSvcB);  // Scenario 4: no hosts in the file.
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->source, LookupSource::kUpstream);
  EXPECT_EQ(b->info->hosts(0).ip(), "192.168.0.2");
  EXPECT_EQ(client->Lookup(kSvcB)->source, LookupSource::kCache);

  RemoveFailoverFile("DEFAULT_GROUP%40%40svcB");  // Scenario 3: no file.
  auto c = client->Lookup({"DEFAULT_GROUP", "svcC", ""});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->source, LookupSource::kUpstream);
  EXPECT_EQ(c->info->hosts_size(), 0);  // Nacos 2.x: an unknown service has no hosts.
}

// Scenario 5.
TEST_F(NamingClientFailoverTest, TruncatedFileBesideAIsReportedAndAIsServed) {
  WriteFailoverFile(kSwitchFile, "1");
  WriteFailoverFile(kSvcAFile, kSvcAJson);
  WriteFailoverFile("DEFAULT_GROUP%40%40broken", R"({"name":"broken","hosts":[{"ip":"10.)");
  auto client = Client();
  ASSERT_NE(client, nullptr);
  auto a = client->Lookup(kSvcA);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->source, LookupSource::kFailover);
  ASSERT_EQ(client->reactor()->problems().size(), 1u);
  EXPECT_THAT(client->reactor()->problems()[0].message, HasSubstr("DEFAULT_GROUP%40%40broken"));
  EXPECT_EQ(metrics_.GetGauge(NamingMetrics::kBadFiles, Tags({{"namespace", "public"}})).Value(),
            1);
  EXPECT_THAT(server_->Requests(), IsEmpty());
}

// Scenario 6 on real time: each flip reaches a subscribed listener as exactly one event within
// one poll interval (plus the time a poll takes).
TEST_F(NamingClientFailoverTest, RuntimeFlipsSendOneEventWithinOnePollInterval) {
  server_->SetService("public", ServerService("svcA", {"192.168.0.1"}, /*cache_millis=*/100));
  WriteFailoverFile(kSwitchFile, "0");
  WriteFailoverFile(kSvcAFile, kSvcAJson);
  auto client = Client();
  ASSERT_NE(client, nullptr);
  std::atomic<int> polls{0};
  client->reactor()->AddPollListener([&polls](const FailoverPollEvent&) { ++polls; });
  // Two polls from now: every change written before now has been seen.
  auto two_more_polls = [&polls] {
    const int now = polls.load();
    return WaitFor([&] { return polls.load() >= now + 2; });
  };
  ASSERT_TRUE(client->Lookup(kSvcA).ok());
  EventLog events;
  ASSERT_TRUE(client->Subscribe(kSvcA, events.Listener()).ok());
  ASSERT_THAT(events.lines(), ElementsAre("cache 192.168.0.1:8080"));

  // Sanitizers and loaded machines slow polls down; a miss of a whole poll would not fit.
  const absl::Duration allowed = kPollInterval + absl::Milliseconds(150);
  for (const char* flip : {"1", "0"}) {
    const size_t before = events.size();
    const absl::Time written = absl::Now();
    WriteFailoverFile(kSwitchFile, flip);
    ASSERT_TRUE(WaitFor([&] { return events.size() > before; }, absl::Seconds(10))) << flip;
    const absl::Duration latency = absl::Now() - written;
    EXPECT_LE(latency, allowed) << "flip to " << flip;
    std::printf("flip to %s: event after %s\n", flip, absl::FormatDuration(latency).c_str());
    ASSERT_TRUE(two_more_polls());
    EXPECT_EQ(events.size(), before + 1) << testing::PrintToString(events.lines());
    const bool on = flip[0] == '1';
    EXPECT_EQ(events.last(), on ? "failover 10.0.0.1:8080" : "cache 192.168.0.1:8080");
    EXPECT_EQ(client->Lookup(kSvcA)->source, on ? LookupSource::kFailover : LookupSource::kCache);
  }
}

// Scenario 7.
TEST_F(NamingClientFailoverTest, ClusterFilteredLookupThenUnfilteredSeesBothClusters) {
  WriteFailoverFile(kSwitchFile, "1");
  WriteFailoverFile(kSvcAFile, R"({"hosts":[{"ip":"10.0.0.1","port":1,"clusterName":"c1"},
                                             {"ip":"10.0.0.2","port":2,"clusterName":"c2"}]})");
  auto client = Client();
  ASSERT_NE(client, nullptr);
  auto c1 = client->GetAllInstances({"DEFAULT_GROUP", "svcA", "c1"});
  ASSERT_TRUE(c1.ok()) << c1.status();
  EXPECT_THAT(Addresses(*c1), ElementsAre("10.0.0.1:1"));
  auto all = client->GetAllInstances(kSvcA);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(Addresses(*all), ElementsAre("10.0.0.1:1", "10.0.0.2:2"));
  EXPECT_THAT(server_->Requests(), IsEmpty());
}

// Scenario 8.
TEST_F(NamingClientFailoverTest, OnlyUnhealthyHostsAreListedButNotSelected) {
  WriteFailoverFile(kSwitchFile, "1");
  WriteFailoverFile(kSvcAFile, R"({"hosts":[{"ip":"10.0.0.1","port":1,"healthy":false},
                                             {"ip":"10.0.0.2","port":2,"healthy":"false"}]})");
  auto client = Client();
  ASSERT_NE(client, nullptr);
  auto all = client->GetAllInstances(kSvcA);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 2u);
  auto healthy = client->SelectInstances(kSvcA, /*healthy=*/true);
  ASSERT_TRUE(healthy.ok()) << healthy.status();
  EXPECT_THAT(*healthy, IsEmpty());
  auto one = client->SelectOneHealthyInstance(kSvcA);
  EXPECT_EQ(one.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(one.status().message(), HasSubstr("svcA"));
  EXPECT_THAT(server_->Requests(), IsEmpty());
}

}  // namespace
}  // namespace naming
}  // namespace failover
