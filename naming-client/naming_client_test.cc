#include "naming-client/naming_client.h"

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/metrics/metrics_registry.h"
#include "core/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/disk_failover_data_source.h"
#include "naming-client/internal/temp_dir.h"
#include "naming-client/service_info_json.h"

namespace failover {
namespace naming {
namespace {

using naming_internal::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kSwitch[] = "00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00";
constexpr char kSvcA[] = "DEFAULT_GROUP%40%40svcA";
constexpr absl::Duration kPoll = absl::Seconds(5);
const ServiceKey kKeyA{"DEFAULT_GROUP", "svcA", ""};
const ServiceKey kKeyB{"DEFAULT_GROUP", "svcB", ""};

v1::ServiceInfo Info(const ServiceKey& key, const std::vector<std::string>& ips) {
  v1::ServiceInfo info;
  info.set_name(key.service);
  info.set_group_name(key.group);
  info.set_clusters(key.clusters);
  info.set_cache_millis(10000);
  for (const std::string& ip : ips) {
    v1::Instance* host = info.add_hosts();
    host->set_ip(ip);
    host->set_port(8080);
  }
  return info;
}

// An upstream answering from a map the test sets, counting queries.
class ScriptedUpstream final : public NamingUpstream {
 public:
  absl::StatusOr<v1::ServiceInfo> Query(const ServiceKey& key, bool healthy_only) override {
    MutexLock lock(&mu_);
    ++queries_;
    if (!error_.ok()) return error_;
    auto it = services_.find(key);
    if (it == services_.end()) return Info(key, {});
    return it->second;
  }
  void Set(const ServiceKey& key, const std::vector<std::string>& ips) {
    MutexLock lock(&mu_);
    services_[key] = Info(key, ips);
  }
  void Fail(absl::Status error) {
    MutexLock lock(&mu_);
    error_ = std::move(error);
  }
  int queries() {
    MutexLock lock(&mu_);
    return queries_;
  }

 private:
  Mutex mu_;
  std::map<ServiceKey, v1::ServiceInfo> services_ ABSL_GUARDED_BY(mu_);
  absl::Status error_ ABSL_GUARDED_BY(mu_);
  int queries_ ABSL_GUARDED_BY(mu_) = 0;
};

// Returns the values the test queues, then 0.
class QueuedRandom final : public RandomSource {
 public:
  double Uniform01() override {
    if (values.empty()) return 0;
    const double v = values.front();
    values.erase(values.begin());
    return v;
  }
  std::vector<double> values;
};

std::vector<std::string> Ips(const std::vector<v1::Instance>& hosts) {
  std::vector<std::string> ips;
  for (const v1::Instance& host : hosts) ips.push_back(host.ip());
  return ips;
}

std::vector<std::string> Ips(const NamingLookup& lookup) {
  return Ips(std::vector<v1::Instance>(lookup.info->hosts().begin(), lookup.info->hosts().end()));
}

class NamingClientTest : public ::testing::Test {
 protected:
  void Start(bool with_upstream = true, bool with_reactor = true) {
    NamingClientParts parts;
    if (with_reactor) {
      DiskFailoverOptions disk;
      disk.directory = failover_.path();
      FailoverReactorOptions options;
      options.poll_interval = kPoll;
      parts.reactor =
          *FailoverReactor::Create(*DiskFailoverDataSource::Create(disk), clock_, options);
    }
    ServiceInfoHolderOptions holder;
    holder.cache_directory = cache_.path();
    parts.holder = *ServiceInfoHolder::Create(holder);
    if (with_upstream) {
      auto upstream = std::make_unique<ScriptedUpstream>();
      upstream_ = upstream.get();
      parts.upstream = std::move(upstream);
    }
    parts.metrics = &registry_;
    auto client = NamingClient::Create(std::move(parts), clock_, random_);
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }

  void Subscribe(const ServiceKey& key) {
    auto id = client_->Subscribe(key, [this](const NamingEvent& e) {
      events_.push_back(absl::StrCat(LookupSourceName(e.source), " ", e.key.ToString(), " ",
                                     e.info->hosts_size(), " +", e.diff.added.size(), " -",
                                     e.diff.removed.size()));
    });
    ASSERT_TRUE(id.ok()) << id.status();
    ids_.push_back(*id);
  }

  uint64_t Lookups(absl::string_view source) {
    return registry_.GetCounter(NamingMetrics::kLookups, Tags({{"source", source}})).Value();
  }

  std::vector<std::string> TakeEvents() { return std::exchange(events_, {}); }

  TempDir failover_;
  TempDir cache_;
  SimulatedClock clock_;
  QueuedRandom random_;
  MetricsRegistry registry_;
  ScriptedUpstream* upstream_ = nullptr;
  std::unique_ptr<NamingClient> client_;
  std::vector<std::string> events_;
  std::vector<NamingSubscriptionId> ids_;
};

// Reference scenario 1.
TEST_F(NamingClientTest, FailoverDataIsServedWithoutTouchingTheUpstream) {
  failover_.WriteFile(kSwitch, "1");
  failover_.WriteFile(
      kSvcA,
      R"({"name":"svcA","groupName":"DEFAULT_GROUP","hosts":[{"ip":"10.0.0.1","port":8080}]})");
  Start();
  upstream_->Set(kKeyA, {"192.168.0.1"});
  auto found = client_->Lookup(kKeyA);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->source, LookupSource::kFailover);
  EXPECT_THAT(Ips(*found), ElementsAre("10.0.0.1"));
  EXPECT_EQ(found->info->hosts(0).port(), 8080);
  EXPECT_EQ(upstream_->queries(), 0);
  EXPECT_EQ(Lookups("failover"), 1u);
}

// Reference scenarios 2 and 3, and the cache answering the next lookup.
TEST_F(NamingClientTest, SwitchOffOrNoFailoverFileGoesToTheUpstreamThenTheCache) {
  failover_.WriteFile(kSwitch, "1");
  failover_.WriteFile(kSvcA, R"({"hosts":[{"ip":"10.0.0.1","port":8080}]})");
  Start();
  upstream_->Set(kKeyB, {"192.168.0.2"});
  auto first = client_->Lookup(kKeyB);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->source, LookupSource::kUpstream);
  EXPECT_THAT(Ips(*first), ElementsAre("192.168.0.2"));
  auto second = client_->Lookup(kKeyB);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->source, LookupSource::kCache);
  EXPECT_EQ(upstream_->queries(), 1);

  failover_.WriteFile(kSwitch, "0");
  clock_.Advance(kPoll);
  upstream_->Set(kKeyA, {"192.168.0.1"});
  auto a = client_->Lookup(kKeyA, /*subscribe=*/false);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->source, LookupSource::kUpstream);
  EXPECT_THAT(Ips(*a), ElementsAre("192.168.0.1"));
}

// Reference scenario 4.
TEST_F(NamingClientTest, FailoverFileWithoutHostsFallsThrough) {
  failover_.WriteFile(kSwitch, "1");
  failover_.WriteFile(kSvcA, R"({"hosts":[]})");
  Start();
  upstream_->Set(kKeyA, {"192.168.0.1"});
  auto found = client_->Lookup(kKeyA);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->source, LookupSource::kUpstream);
}

// Reference scenario 6: one event per flip, on the reactor's poll.
TEST_F(NamingClientTest, RuntimeFlipsNotifySubscribersOncePerChange) {
  failover_.WriteFile(kSwitch, "0");
  failover_.WriteFile(kSvcA, R"({"hosts":[{"ip":"10.0.0.1","port":8080}]})");
  Start();
  upstream_->Set(kKeyA, {"192.168.0.1", "192.168.0.2"});
  Subscribe(kKeyA);
  EXPECT_THAT(TakeEvents(), ElementsAre("cache DEFAULT_GROUP@@svcA 2 +2 -0"));

  failover_.WriteFile(kSwitch, "1");
  clock_.Advance(kPoll);
  EXPECT_THAT(TakeEvents(), ElementsAre("failover DEFAULT_GROUP@@svcA 1 +1 -2"));
  EXPECT_EQ(client_->Lookup(kKeyA)->source, LookupSource::kFailover);

  failover_.WriteFile(kSwitch, "0");
  clock_.Advance(kPoll);
  EXPECT_THAT(TakeEvents(), ElementsAre("cache DEFAULT_GROUP@@svcA 2 +2 -1"));
  EXPECT_EQ(client_->Lookup(kKeyA)->source, LookupSource::kCache);
}

TEST_F(NamingClientTest, FlipWithIdenticalDataSendsNoEvent) {
  failover_.WriteFile(kSwitch, "0");
  failover_.WriteFile(kSvcA, R"({"name":"svcA","cacheMillis":10000,
                                 "hosts":[{"ip":"192.168.0.1","port":8080}]})");
  Start();
  upstream_->Set(kKeyA, {"192.168.0.1"});
  Subscribe(kKeyA);
  TakeEvents();
  failover_.WriteFile(kSwitch, "1");
  clock_.Advance(kPoll);
  EXPECT_THAT(TakeEvents(), IsEmpty());
  EXPECT_EQ(client_->Lookup(kKeyA)->source, LookupSource::kFailover);
}

// Reference scenario 7.
TEST_F(NamingClientTest, ClusterFilteredLookupLeavesTheDataIntact) {
  failover_.WriteFile(kSwitch, "1");
  failover_.WriteFile(kSvcA, R"({"hosts":[{"ip":"10.0.1.1","port":1,"clusterName":"c1"},
                                          {"ip":"10.0.2.1","port":2,"clusterName":"c2"}]})");
  Start();
  auto c1 = client_->GetAllInstances({"DEFAULT_GROUP", "svcA", "c1"});
  ASSERT_TRUE(c1.ok());
  EXPECT_THAT(Ips(*c1), ElementsAre("10.0.1.1"));
  auto all = client_->GetAllInstances(kKeyA);
  ASSERT_TRUE(all.ok());
  EXPECT_THAT(Ips(*all), ElementsAre("10.0.1.1", "10.0.2.1"));
  EXPECT_EQ(upstream_->queries(), 0);
}

// Reference scenario 8.
TEST_F(NamingClientTest, OnlyUnhealthyHostsAreListedButNeverSelected) {
  failover_.WriteFile(kSwitch, "1");
  failover_.WriteFile(kSvcA, R"({"hosts":[{"ip":"10.0.0.1","port":1,"healthy":false},
                                          {"ip":"10.0.0.2","port":2,"healthy":"false"}]})");
  Start();
  EXPECT_THAT(Ips(*client_->GetAllInstances(kKeyA)), ElementsAre("10.0.0.1", "10.0.0.2"));
  EXPECT_THAT(*client_->SelectInstances(kKeyA, /*healthy=*/true), IsEmpty());
  EXPECT_THAT(Ips(*client_->SelectInstances(kKeyA, /*healthy=*/false)),
              ElementsAre("10.0.0.1", "10.0.0.2"));
  auto one = client_->SelectOneHealthyInstance(kKeyA);
  EXPECT_EQ(one.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(one.status().message(), HasSubstr("DEFAULT_GROUP@@svcA"));
  EXPECT_THAT(one.status().message(), HasSubstr("2 instances from failover"));
}

TEST_F(NamingClientTest, SelectOneIsWeightedRandomOverUsableHosts) {
  failover_.WriteFile(kSwitch, "1");
  failover_.WriteFile(kSvcA, R"({"hosts":[
      {"ip":"10.0.0.1","port":1,"weight":1},
      {"ip":"10.0.0.2","port":1,"weight":5,"enabled":false},
      {"ip":"10.0.0.3","port":1,"weight":0},
      {"ip":"10.0.0.4","port":1,"weight":5,"healthy":false},
      {"ip":"10.0.0.5","port":1,"weight":3}]})");
  Start();
  // Usable: .1 (weight 1) and .5 (weight 3): [0, 0.25) picks .1, [0.25, 1) picks .5.
  random_.values = {0.0, 0.24, 0.26, 0.99};
  std::vector<std::string> chosen;
  for (int i = 0; i < 4; ++i) chosen.push_back(client_->SelectOneHealthyInstance(kKeyA)->ip());
  EXPECT_THAT(chosen, ElementsAre("10.0.0.1", "10.0.0.1", "10.0.0.5", "10.0.0.5"));
  EXPECT_THAT(Ips(*client_->SelectInstances(kKeyA, true)), ElementsAre("10.0.0.1", "10.0.0.5"));
}

TEST_F(NamingClientTest, CachedValueServesWhileTheUpstreamFails) {
  Start();
  upstream_->Set(kKeyA, {"192.168.0.1"});
  ASSERT_TRUE(client_->Lookup(kKeyA).ok());
  upstream_->Fail(absl::UnavailableError("nacos down"));
  auto direct = client_->Lookup(kKeyA, /*subscribe=*/false);  // Queries, fails, uses the cache.
  ASSERT_TRUE(direct.ok()) << direct.status();
  EXPECT_EQ(direct->source, LookupSource::kCache);
  clock_.Advance(absl::Seconds(30));  // Polls fail; the cache keeps its value.
  EXPECT_THAT(Ips(*client_->Lookup(kKeyA)), ElementsAre("192.168.0.1"));

  auto missing = client_->Lookup(kKeyB);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(missing.status().message(), HasSubstr("DEFAULT_GROUP@@svcB"));
  EXPECT_THAT(missing.status().message(), HasSubstr("nacos down"));
  EXPECT_EQ(Lookups("none"), 1u);
}

TEST_F(NamingClientTest, PollingKeepsSubscribedServicesCurrentUntilUnsubscribed) {
  Start();
  upstream_->Set(kKeyA, {"192.168.0.1"});
  Subscribe(kKeyA);
  EXPECT_THAT(TakeEvents(), ElementsAre("cache DEFAULT_GROUP@@svcA 1 +1 -0"));
  upstream_->Set(kKeyA, {"192.168.0.1", "192.168.0.9"});
  clock_.Advance(absl::Seconds(1));  // The first poll, one default period after subscribing.
  EXPECT_THAT(TakeEvents(), ElementsAre("cache DEFAULT_GROUP@@svcA 2 +1 -0"));
  EXPECT_THAT(Ips(*client_->Lookup(kKeyA)), ElementsAre("192.168.0.1", "192.168.0.9"));

  ASSERT_TRUE(client_->Unsubscribe(ids_[0]));
  EXPECT_FALSE(client_->Unsubscribe(ids_[0]));
  const int queries = upstream_->queries();
  upstream_->Set(kKeyA, {"192.168.0.3"});
  clock_.Advance(absl::Minutes(2));
  EXPECT_EQ(upstream_->queries(), queries);
  EXPECT_THAT(TakeEvents(), IsEmpty());
}

// Subscribing lookups ask the poller once per thread and key, and again after the service was
// unsubscribed (Java: a subscribing lookup of an unsubscribed service subscribes it again).
TEST_F(NamingClientTest, SubscribingLookupsPollAgainAfterAnUnsubscription) {
  Start();
  upstream_->Set(kKeyA, {"192.168.0.1"});
  Subscribe(kKeyA);
  EXPECT_THAT(client_->poller()->Subscriptions(), ElementsAre(kKeyA));
  EXPECT_EQ(client_->Lookup(kKeyA)->source, LookupSource::kCache);
  ASSERT_TRUE(client_->Unsubscribe(ids_[0]));
  EXPECT_THAT(client_->poller()->Subscriptions(), IsEmpty());
  EXPECT_EQ(client_->Lookup(kKeyA, /*subscribe=*/false)->source, LookupSource::kUpstream);
  EXPECT_THAT(client_->poller()->Subscriptions(), IsEmpty());
  EXPECT_EQ(client_->Lookup(kKeyA)->source, LookupSource::kCache);
  EXPECT_THAT(client_->poller()->Subscriptions(), ElementsAre(kKeyA));
  const int queries = upstream_->queries();
  clock_.Advance(absl::Seconds(10));  // cacheMillis 10 s: polled again.
  EXPECT_GT(upstream_->queries(), queries);
}

TEST_F(NamingClientTest, SubscribingWhileTheUpstreamIsDownHearsWhenItComesBack) {
  Start();
  upstream_->Fail(absl::UnavailableError("nacos down"));
  Subscribe(kKeyA);
  EXPECT_THAT(TakeEvents(), IsEmpty());
  upstream_->Fail(absl::OkStatus());
  upstream_->Set(kKeyA, {"192.168.0.1"});
  clock_.Advance(absl::Seconds(5));
  EXPECT_THAT(TakeEvents(), ElementsAre("cache DEFAULT_GROUP@@svcA 1 +1 -0"));
}

TEST_F(NamingClientTest, ListenerMayUnsubscribeItself) {
  Start();
  upstream_->Set(kKeyA, {"192.168.0.1"});
  int calls = 0;
  NamingSubscriptionId id = 0;
  auto subscribed = client_->Subscribe(kKeyA, [&](const NamingEvent&) {
    ++calls;
    client_->Unsubscribe(id);
  });
  ASSERT_TRUE(subscribed.ok());
  id = *subscribed;
  // The initial event ran before `id` was known: unsubscribe again through a change.
  upstream_->Set(kKeyA, {"192.168.0.2"});
  clock_.Advance(absl::Seconds(1));
  upstream_->Set(kKeyA, {"192.168.0.3"});
  clock_.Advance(absl::Seconds(20));
  EXPECT_EQ(calls, 2);
}

TEST_F(NamingClientTest, WithoutUpstreamOnlyFailoverAndCacheAnswer) {
  Start(/*with_upstream=*/false);
  EXPECT_EQ(client_->poller(), nullptr);
  auto missing = client_->Lookup(kKeyA);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("no upstream"));
  ASSERT_TRUE(client_->holder().ProcessServiceInfo(Info(kKeyA, {"192.168.0.1"})).ok());
  EXPECT_EQ(client_->Lookup(kKeyA, /*subscribe=*/false)->source, LookupSource::kCache);
}

TEST_F(NamingClientTest, BadKeysAndPartsAreRejected) {
  Start();
  EXPECT_EQ(client_->Lookup({"", "svc", ""}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client_->Subscribe({"G", "", ""}, [](const NamingEvent&) {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client_->Subscribe(kKeyA, nullptr).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NamingClient::Create(NamingClientParts(), clock_, random_).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Lookups on two threads while the reactor and the poller run on the real clock, the switch
// flips and the upstream changes (run under --config=tsan and asan).
TEST(NamingClientConcurrencyTest, LookupsRaceWithPollsFlipsAndSubscriptions) {
  TempDir failover;
  TempDir cache;
  failover.WriteFile(kSwitch, "1");
  failover.WriteFile(kSvcA, R"({"hosts":[{"ip":"10.0.0.1","port":8080}]})");
  NamingClientParts parts;
  DiskFailoverOptions disk;
  disk.directory = failover.path();
  FailoverReactorOptions reactor_options;
  reactor_options.poll_interval = absl::Milliseconds(1);
  parts.reactor = *FailoverReactor::Create(*DiskFailoverDataSource::Create(disk), SystemClock(),
                                           reactor_options);
  ServiceInfoHolderOptions holder;
  holder.cache_directory = cache.path();
  parts.holder = *ServiceInfoHolder::Create(holder);
  auto upstream = std::make_unique<ScriptedUpstream>();
  ScriptedUpstream* scripted = upstream.get();
  scripted->Set(kKeyA, {"192.168.0.1"});
  scripted->Set(kKeyB, {"192.168.0.2"});
  parts.upstream = std::move(upstream);
  parts.poller.first_poll_delay = absl::Milliseconds(1);
  parts.poller.min_period = absl::Milliseconds(1);
  parts.poller.default_period = absl::Milliseconds(1);
  // Not SystemRandom(): its pool lives in Debian's Abseil, which TSan cannot see into.
  SeededRandom random(7);
  auto client = NamingClient::Create(std::move(parts), SystemClock(), random);
  ASSERT_TRUE(client.ok()) << client.status();
  std::atomic<int> events{0};
  ASSERT_TRUE((*client)->Subscribe(kKeyA, [&events](const NamingEvent&) { ++events; }).ok());

  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      while (!stop) {
        EXPECT_TRUE((*client)->SelectOneHealthyInstance(kKeyA).ok());
        EXPECT_TRUE((*client)->GetAllInstances(kKeyB).ok());
      }
    });
  }
  for (int i = 0; i < 40; ++i) {
    failover.WriteFile(kSwitch, i % 2 == 0 ? "0" : "1");
    scripted->Set(kKeyA, {absl::StrCat("192.168.1.", i)});
    auto id = (*client)->Subscribe(kKeyB, [](const NamingEvent&) {});
    ASSERT_TRUE(id.ok());
    // Overlap with the polls on the real clock's timer thread (no sleep: lookups meanwhile).
    for (int j = 0; j < 200; ++j) EXPECT_TRUE((*client)->GetAllInstances(kKeyA).ok());
    EXPECT_TRUE((*client)->Unsubscribe(*id));
  }
  stop = true;
  for (std::thread& reader : readers) reader.join();
  client->reset();
  EXPECT_GT(events.load(), 0);
}

}  // namespace
}  // namespace naming
}  // namespace failover
