// The "grpc" source against a real gRPC server on loopback (InMemoryFailoverDataServer), with a
// real FailoverReactor on the system clock: these are integration tests, so they wait (briefly,
// polling) for things that happen on other threads.
#include "naming-client/grpc_failover_data_source.h"

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/sync.h"
#include "gtest/gtest.h"
#include "naming-client/failover_data_source_registry.h"
#include "naming-client/failover_reactor.h"
#include "naming-client/testing/in_memory_failover_data_server.h"

namespace failover {
namespace naming {
namespace {

constexpr char kOrders[] = "DEFAULT_GROUP@@orders";
const ServiceKey kOrdersKey{"DEFAULT_GROUP", "orders", ""};

v1::ServiceInfo OneHost(const std::string& ip) {
  v1::ServiceInfo info;
  v1::Instance* host = info.add_hosts();
  host->set_ip(ip);
  host->set_port(8080);
  return info;
}

// Polls `condition` every 2 ms for up to `timeout`.
bool WaitFor(const std::function<bool()>& condition, absl::Duration timeout = absl::Seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(timeout);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

class GrpcFailoverDataSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<InMemoryFailoverDataServer>> server =
        InMemoryFailoverDataServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  FailoverDataStore& store() { return server_->store(); }

  // Quick backoff so reconnection tests take milliseconds, fixed jitter.
  GrpcFailoverOptions Options(const std::string& nacos_namespace = "public") {
    GrpcFailoverOptions options;
    options.target = server_->target();
    options.nacos_namespace = nacos_namespace;
    options.initial_backoff = absl::Milliseconds(20);
    options.max_backoff = absl::Milliseconds(200);
    options.random = &random_;
    return options;
  }

  std::unique_ptr<GrpcFailoverDataSource> NewSource(const GrpcFailoverOptions& options) {
    absl::StatusOr<std::unique_ptr<GrpcFailoverDataSource>> source =
        GrpcFailoverDataSource::Create(options);
    EXPECT_TRUE(source.ok()) << source.status();
    return source.ok() ? *std::move(source) : nullptr;
  }

  static bool Synced(const GrpcFailoverDataSource& source) { return source.watch_status().synced; }

  std::unique_ptr<FailoverReactor> NewReactor(std::unique_ptr<FailoverDataSource> source) {
    absl::StatusOr<std::unique_ptr<FailoverReactor>> reactor =
        FailoverReactor::Create(std::move(source), SystemClock());  // Poll interval 5 s.
    EXPECT_TRUE(reactor.ok()) << reactor.status();
    return reactor.ok() ? *std::move(reactor) : nullptr;
  }

  SeededRandom random_{7};
  std::unique_ptr<InMemoryFailoverDataServer> server_;
};

TEST_F(GrpcFailoverDataSourceTest, FirstSnapshotMakesSwitchAndDataAvailable) {
  ASSERT_TRUE(store().SetSwitch("public", true, "registry maintenance").ok());
  ASSERT_TRUE(store().UpsertService("public", kOrders, OneHost("10.0.0.1")).ok());
  auto source = NewSource(Options());
  ASSERT_TRUE(WaitFor([&] { return Synced(*source); }));

  absl::StatusOr<FailoverSwitch> on = source->GetSwitch();
  ASSERT_TRUE(on.ok()) << on.status();
  EXPECT_TRUE(on->enabled);
  EXPECT_NE(on->reason.find("registry maintenance"), std::string::npos) << on->reason;
  EXPECT_NE(on->reason.find(server_->target()), std::string::npos) << on->reason;
  absl::StatusOr<FailoverData> data = source->GetData();
  ASSERT_TRUE(data.ok());
  ASSERT_EQ(data->services.size(), 1u);
  const FailoverServiceData& orders = data->services.at(kOrders);
  EXPECT_EQ(orders.key, kOrdersKey);
  EXPECT_EQ(orders.info->name(), "orders");
  EXPECT_EQ(orders.info->hosts(0).ip(), "10.0.0.1");
  EXPECT_EQ(source->watch_status().revision, 2u);
}

TEST_F(GrpcFailoverDataSourceTest, SwitchFlipReachesTheReactorWellUnderOneSecond) {
  ASSERT_TRUE(store().UpsertService("public", kOrders, OneHost("10.0.0.1")).ok());
  auto source = NewSource(Options());
  ASSERT_TRUE(WaitFor([&] { return Synced(*source); }));
  auto reactor = NewReactor(std::move(source));
  ASSERT_FALSE(reactor->switch_on());

  Mutex mu;
  std::vector<std::pair<bool, std::chrono::steady_clock::time_point>> flips;
  reactor->AddSwitchListener([&](const FailoverSwitchEvent& e) {
    MutexLock lock(&mu);
    flips.emplace_back(e.enabled, std::chrono::steady_clock::now());
  });
  for (int round = 0; round < 5; ++round) {
    const bool on = round % 2 == 0;
    const auto flipped = std::chrono::steady_clock::now();
    ASSERT_TRUE(store().SetSwitch("public", on, "drill").ok());
    ASSERT_TRUE(WaitFor(
        [&] {
          MutexLock lock(&mu);
          return flips.size() == static_cast<size_t>(round + 1);
        },
        absl::Seconds(4)));  // Under the 5 s poll interval: the watch did it.
    MutexLock lock(&mu);
    EXPECT_EQ(flips.back().first, on);
    const auto latency =
        std::chrono::duration_cast<std::chrono::microseconds>(flips.back().second - flipped);
    EXPECT_LT(latency, std::chrono::seconds(1));
    std::printf("switch flip %s reached the reactor's listener in %.2f ms\n", on ? "on" : "off",
                latency.count() / 1000.0);
  }
  EXPECT_TRUE(reactor->switch_on());
  EXPECT_EQ(reactor->Lookup(kOrdersKey)->hosts(0).ip(), "10.0.0.1");
}

TEST_F(GrpcFailoverDataSourceTest, ServiceUpsertsAndRemovalsReachReactorListeners) {
  auto reactor = NewReactor(NewSource(Options()));
  Mutex mu;
  std::vector<std::pair<std::string, FailoverServiceChange>> events;
  reactor->AddServiceListener([&](const FailoverServiceEvent& e) {
    MutexLock lock(&mu);
    events.emplace_back(e.key, e.change);
  });
  auto count = [&] {
    MutexLock lock(&mu);
    return events.size();
  };
  ASSERT_TRUE(store().UpsertService("public", kOrders, OneHost("10.0.0.1")).ok());
  ASSERT_TRUE(WaitFor([&] { return count() == 1; }, absl::Seconds(4)));
  ASSERT_TRUE(store().UpsertService("public", kOrders, OneHost("10.0.0.2")).ok());
  ASSERT_TRUE(WaitFor([&] { return count() == 2; }, absl::Seconds(4)));
  ASSERT_TRUE(store().RemoveService("public", kOrders).ok());
  ASSERT_TRUE(WaitFor([&] { return count() == 3; }, absl::Seconds(4)));
  MutexLock lock(&mu);
  EXPECT_EQ(events[0], std::make_pair(std::string(kOrders), FailoverServiceChange::kAdded));
  EXPECT_EQ(events[1], std::make_pair(std::string(kOrders), FailoverServiceChange::kChanged));
  EXPECT_EQ(events[2], std::make_pair(std::string(kOrders), FailoverServiceChange::kRemoved));
}

TEST_F(GrpcFailoverDataSourceTest, ServerRestartResumesWithChangesMadeWhileDisconnected) {
  ASSERT_TRUE(store().UpsertService("public", kOrders, OneHost("10.0.0.1")).ok());
  auto source = NewSource(Options());
  GrpcFailoverDataSource* raw = source.get();
  ASSERT_TRUE(WaitFor([&] { return Synced(*raw); }));
  auto reactor = NewReactor(std::move(source));

  server_->Stop();
  ASSERT_TRUE(WaitFor([&] { return !raw->watch_status().streaming; }));
  EXPECT_FALSE(raw->watch_status().last_error.ok());
  // Served from memory while the server is down.
  ASSERT_TRUE(raw->GetData().ok());
  ASSERT_TRUE(store().SetSwitch("public", true, "while you were away").ok());
  ASSERT_TRUE(store().UpsertService("public", kOrders, OneHost("10.0.0.9")).ok());
  const uint64_t watches = raw->watch_status().watches;
  ASSERT_TRUE(server_->Restart().ok());

  ASSERT_TRUE(WaitFor([&] { return reactor->switch_on(); }, absl::Seconds(4)));
  ASSERT_TRUE(WaitFor([&] {
    auto info = reactor->Lookup(kOrdersKey);
    return info != nullptr && info->hosts(0).ip() == "10.0.0.9";
  }));
  EXPECT_GT(raw->watch_status().watches, watches);
  EXPECT_EQ(raw->watch_status().revision, 3u);
}

TEST_F(GrpcFailoverDataSourceTest, AServerThatLostItsHistorySendsASnapshotThatReplacesAll) {
  ASSERT_TRUE(store().UpsertService("public", kOrders, OneHost("10.0.0.1")).ok());
  ASSERT_TRUE(store().UpsertService("public", "DEFAULT_GROUP@@gone", OneHost("10.0.0.2")).ok());
  auto source = NewSource(Options());
  GrpcFailoverDataSource* raw = source.get();
  ASSERT_TRUE(WaitFor([&] { return Synced(*raw); }));
  const std::string old_epoch = raw->watch_status().epoch;

  server_->Stop();
  ASSERT_TRUE(server_->ReplaceStore().ok());
  // The new store reaches revision 3, beyond the client's 2, with different content.
  for (const char* ip : {"10.1.0.1", "10.1.0.2", "10.1.0.3"}) {
    ASSERT_TRUE(store().UpsertService("public", kOrders, OneHost(ip)).ok());
  }
  ASSERT_TRUE(server_->Restart().ok());
  ASSERT_TRUE(WaitFor([&] { return raw->watch_status().epoch != old_epoch; }));
  absl::StatusOr<FailoverData> data = raw->GetData();
  ASSERT_TRUE(data.ok());
  ASSERT_EQ(data->services.size(), 1u);
  EXPECT_EQ(data->services.at(kOrders).info->hosts(0).ip(), "10.1.0.3");
}

TEST_F(GrpcFailoverDataSourceTest, ServerDownAtStartIsReportedThenRecoveredFrom) {
  ASSERT_TRUE(store().SetSwitch("public", true, "").ok());
  ASSERT_TRUE(store().UpsertService("public", kOrders, OneHost("10.0.0.1")).ok());
  server_->Stop();

  auto source = NewSource(Options());
  GrpcFailoverDataSource* raw = source.get();
  absl::StatusOr<FailoverSwitch> unsynced = raw->GetSwitch();
  EXPECT_EQ(unsynced.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(unsynced.status().message().find(server_->target()), std::string::npos)
      << unsynced.status();
  auto reactor = NewReactor(std::move(source));
  EXPECT_EQ(reactor->last_error().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(reactor->last_error().message().find(server_->target()), std::string::npos);
  EXPECT_FALSE(reactor->switch_on());
  ASSERT_TRUE(WaitFor([&] { return raw->watch_status().watches >= 3; }));  // Retrying.

  ASSERT_TRUE(server_->Restart().ok());
  ASSERT_TRUE(WaitFor([&] { return reactor->switch_on(); }, absl::Seconds(4)));
  EXPECT_TRUE(reactor->last_error().ok()) << reactor->last_error();
  EXPECT_NE(reactor->Lookup(kOrdersKey), nullptr);
}

TEST_F(GrpcFailoverDataSourceTest, FailingCallsAreReportedAndRetried) {
  server_->FailCalls(absl::UnavailableError("maintenance"));
  auto source = NewSource(Options());
  ASSERT_TRUE(WaitFor([&] {
    return absl::StrContains(source->watch_status().last_error.message(), "maintenance");
  }));
  EXPECT_FALSE(source->GetData().ok());
  server_->FailCalls(absl::OkStatus());
  ASSERT_TRUE(WaitFor([&] { return Synced(*source); }));
  // An open watch is ended by a failure, and the source keeps serving what it has.
  server_->FailCalls(absl::InternalError("disk full"));
  ASSERT_TRUE(WaitFor(
      [&] { return absl::StrContains(source->watch_status().last_error.message(), "disk full"); }));
  EXPECT_TRUE(source->GetData().ok());
  server_->FailCalls(absl::OkStatus());
}

TEST_F(GrpcFailoverDataSourceTest, ABadServiceKeyIsAProblemAndTheRestIsServed) {
  ASSERT_TRUE(store().SetSwitch("public", true, "").ok());
  ASSERT_TRUE(store().UpsertService("public", kOrders, OneHost("10.0.0.1")).ok());
  store().UpsertUncheckedForTest("public", "no-group-separator", OneHost("10.0.0.2"));
  auto reactor = NewReactor(NewSource(Options()));
  ASSERT_TRUE(WaitFor([&] { return reactor->switch_on(); }));
  EXPECT_NE(reactor->Lookup(kOrdersKey), nullptr);
  const std::vector<FailoverFileProblem> problems = reactor->problems();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].origin, "no-group-separator");
  EXPECT_EQ(problems[0].kind, FailoverProblemKind::kBadName);
  EXPECT_NE(problems[0].message.find(server_->target()), std::string::npos) << problems[0].message;
}

TEST_F(GrpcFailoverDataSourceTest, NamespacesAreIsolated) {
  ASSERT_TRUE(store().SetSwitch("prod", true, "").ok());
  ASSERT_TRUE(store().UpsertService("prod", kOrders, OneHost("10.0.0.1")).ok());
  auto prod = NewSource(Options("prod"));
  auto blank = NewSource(Options(""));  // public
  ASSERT_TRUE(WaitFor([&] { return Synced(*prod) && Synced(*blank); }));
  ASSERT_TRUE(store().UpsertService("public", "DEFAULT_GROUP@@other", OneHost("10.0.0.2")).ok());
  ASSERT_TRUE(WaitFor([&] { return blank->watch_status().revision == 1; }));
  EXPECT_TRUE(prod->GetSwitch()->enabled);
  EXPECT_FALSE(blank->GetSwitch()->enabled);
  EXPECT_EQ(prod->GetData()->services.count(kOrders), 1u);
  EXPECT_EQ(prod->GetData()->services.size(), 1u);
  EXPECT_EQ(blank->GetData()->services.count(kOrders), 0u);
  EXPECT_EQ(blank->GetData()->services.size(), 1u);
}

TEST_F(GrpcFailoverDataSourceTest, DestructionIsPromptWhileStreamingConnectingOrBackingOff) {
  auto timed_destroy = [](std::unique_ptr<GrpcFailoverDataSource> source) {
    const auto start = std::chrono::steady_clock::now();
    source.reset();
    return std::chrono::steady_clock::now() - start;
  };
  auto streaming = NewSource(Options());
  ASSERT_TRUE(WaitFor([&] { return streaming->watch_status().streaming; }));
  EXPECT_LT(timed_destroy(std::move(streaming)), std::chrono::milliseconds(500));

  GrpcFailoverOptions slow = Options();
  slow.initial_backoff = slow.max_backoff = absl::Seconds(30);
  server_->Stop();
  auto backing_off = NewSource(slow);
  ASSERT_TRUE(WaitFor([&] { return !backing_off->watch_status().last_error.ok(); }));
  EXPECT_LT(timed_destroy(std::move(backing_off)), std::chrono::milliseconds(500));

  // A routable address nobody answers: the watch is still connecting when destroyed.
  GrpcFailoverOptions blackhole = Options();
  blackhole.target = "10.255.255.1:9";
  auto connecting = NewSource(blackhole);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_LT(timed_destroy(std::move(connecting)), std::chrono::milliseconds(500));
}

TEST_F(GrpcFailoverDataSourceTest, ManyWatchersAllSeeAFlipWithinOneSecond) {
  constexpr int kWatchers = 24;
  std::vector<std::unique_ptr<GrpcFailoverDataSource>> sources;
  for (int i = 0; i < kWatchers; ++i) sources.push_back(NewSource(Options()));
  ASSERT_TRUE(WaitFor([&] {
    for (const auto& s : sources) {
      if (!Synced(*s)) return false;
    }
    return true;
  }));
  EXPECT_EQ(server_->active_watches(), kWatchers);
  const auto flipped = std::chrono::steady_clock::now();
  ASSERT_TRUE(store().SetSwitch("public", true, "all hands").ok());
  ASSERT_TRUE(WaitFor(
      [&] {
        for (const auto& s : sources) {
          absl::StatusOr<FailoverSwitch> on = s->GetSwitch();
          if (!on.ok() || !on->enabled) return false;
        }
        return true;
      },
      absl::Seconds(1)));
  std::printf("%d watchers saw the flip within %.2f ms\n", kWatchers,
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - flipped)
                  .count());
  sources.clear();
  ASSERT_TRUE(WaitFor([&] { return server_->active_watches() == 0; }));
}

TEST_F(GrpcFailoverDataSourceTest, RegisteredAsGrpcWhenLinkedAndNeedsATarget) {
  FailoverDataSourceParams params;
  params.nacos_namespace = "";
  params.grpc_target = "  ";
  absl::StatusOr<std::unique_ptr<FailoverDataSource>> missing =
      CreateFailoverDataSource("grpc", params);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("failover.naming.grpc.target"), std::string::npos)
      << missing.status();

  ASSERT_TRUE(store().SetSwitch("public", true, "").ok());
  params.grpc_target = server_->target();
  absl::StatusOr<std::unique_ptr<FailoverDataSource>> source =
      CreateFailoverDataSource("grpc", params);
  ASSERT_TRUE(source.ok()) << source.status();
  ASSERT_TRUE(WaitFor([&] {
    absl::StatusOr<FailoverSwitch> on = (*source)->GetSwitch();
    return on.ok() && on->enabled;
  }));

  FailoverDataSourceRegistry registry;
  EXPECT_TRUE(RegisterGrpcFailoverDataSource(registry).ok());
  EXPECT_EQ(registry.Names(), std::vector<std::string>{"grpc"});
}

TEST_F(GrpcFailoverDataSourceTest, BadOptionsAreRefused) {
  GrpcFailoverOptions options = Options();
  options.idle_timeout = options.heartbeat_interval;
  EXPECT_EQ(GrpcFailoverDataSource::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = Options("../etc");
  EXPECT_EQ(GrpcFailoverDataSource::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = Options();
  options.target = "";
  EXPECT_EQ(GrpcFailoverDataSource::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace naming
}  // namespace failover
