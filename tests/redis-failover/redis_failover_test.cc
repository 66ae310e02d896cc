// RedisFailoverClient under real faults: a killed primary, a hung one, a flapping one, every
// endpoint down, and fast failover of a blocked command.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "redis-failover/redis_client.h"
#include "tests/redis-failover/client_test_util.h"

namespace failover {
namespace redis {
namespace {

using client_testing::CommandCalls;
using client_testing::FastOptions;
using client_testing::MakeClient;
using client_testing::StartServers;
using client_testing::SwitchLog;
using client_testing::WaitFor;
using client_testing::WaitUntilSettled;

// SET/GET from `threads` threads until stopped; counts successes and errors.
class Load {
 public:
  Load(RedisFailoverClient& client, int threads) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, &client, t] {
        for (int i = 0; !stop_.load(); ++i) {
          const std::string key = absl::StrCat("k", t, "-", i % 100);
          absl::Status s = client.Set(key, "v").status();
          if (s.ok()) s = client.Get(key).status();
          (s.ok() ? ok_ : errors_).fetch_add(1);
        }
      });
    }
  }
  ~Load() { Stop(); }
  void Stop() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  int64_t ok() const { return ok_.load(); }
  int64_t errors() const { return errors_.load(); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> ok_{0};
  std::atomic<int64_t> errors_{0};
  std::vector<std::thread> threads_;
};

TEST(RedisFailoverTest, KilledPrimaryUnderLoadSwitchesOnceAndIsNotUsedAgain) {
  auto servers = StartServers(2);
  ASSERT_EQ(servers.size(), 2u);
  RedisClientOptions options = FastOptions(servers, {1.0, 0.5});
  options.failback.grace_period = absl::Minutes(5);  // No failback within this test.
  options.circuit_breaker.wait_duration_in_open_state = absl::Minutes(5);
  auto client = MakeClient(options);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(WaitUntilSettled(*client, "east"));
  SwitchLog log(*client);
  Load load(*client, 2);
  ASSERT_TRUE(WaitFor([&] { return load.ok() > 100; }));

  const absl::Time killed = absl::Now();
  ASSERT_TRUE(servers[0]->Kill().ok());
  ASSERT_TRUE(WaitFor([&] { return client->active_endpoint() == "west"; }));
  const absl::Duration failover = absl::Now() - killed;
  const int64_t ok_at_switch = load.ok();
  ASSERT_TRUE(WaitFor([&] { return load.ok() > ok_at_switch + 200; }));

  // East comes back, but stays out for its grace period: no command reaches it.
  ASSERT_TRUE(servers[0]->Restart().ok());
  ASSERT_TRUE(servers[0]->Command({"CONFIG", "RESETSTAT"}).ok());
  const int64_t ok_after_restart = load.ok();
  // Wait for the health checks to see east again, and for plenty of load meanwhile.
  ASSERT_TRUE(WaitFor(
      [&] { return load.ok() > ok_after_restart + 300 && CommandCalls(*servers[0], "ping") > 2; }));
  load.Stop();

  // One switch; under load the breaker (five connection errors in a row) usually sees the
  // crash before the next health check does.
  const std::string switches = log.ToString();
  EXPECT_TRUE(switches == "east -> west (CIRCUIT_BREAKER)" ||
              switches == "east -> west (HEALTH_CHECK)")
      << switches;
  EXPECT_EQ(CommandCalls(*servers[0], "set"), 0);
  EXPECT_EQ(CommandCalls(*servers[0], "get"), 0);
  EXPECT_GT(CommandCalls(*servers[0], "ping"), 0);  // Health checks go on.
  EXPECT_GT(CommandCalls(*servers[1], "set"), 200);
  EXPECT_LT(failover, absl::Seconds(2));
  // Errors are limited to the commands in flight when east died (each retried once).
  EXPECT_LT(load.errors(), 20) << "ok " << load.ok();
  std::cout << "failover took " << failover << ", " << load.errors() << " errors, " << load.ok()
            << " ok\n";
}

TEST(RedisFailoverTest, HungPrimaryFailsOverAndFailsBackOnlyAfterTheGracePeriod) {
  auto servers = StartServers(2);
  ASSERT_EQ(servers.size(), 2u);
  RedisClientOptions options = FastOptions(servers, {1.0, 0.5});
  options.failback.grace_period = absl::Seconds(1);
  options.circuit_breaker.wait_duration_in_open_state = absl::Seconds(1);
  auto client = MakeClient(options);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(WaitUntilSettled(*client, "east"));
  SwitchLog log(*client);

  ASSERT_TRUE(servers[0]->Pause().ok());
  ASSERT_TRUE(WaitFor([&] { return log.size() == 1; }));
  const absl::Time switched = log.entries()[0].at;
  ASSERT_TRUE(servers[0]->Resume().ok());
  EXPECT_TRUE(client->Set("during", "x").ok());
  EXPECT_EQ(*servers[1]->Command({"GET", "during"}), "x");

  ASSERT_TRUE(WaitFor([&] { return log.size() == 2; }, absl::Seconds(5)));
  const auto entries = log.entries();
  EXPECT_EQ(log.ToString(), "east -> west (HEALTH_CHECK), west -> east (FAILBACK)");
  const absl::Duration back_after = entries[1].at - switched;
  EXPECT_GE(back_after, absl::Milliseconds(990));
  // Grace period + one failback check + one health round, with room for a slow (sanitized,
  // 2-core) machine; docs/benchmarks.md has the measured figure.
  EXPECT_LT(back_after, absl::Seconds(3));
  EXPECT_TRUE(client->Set("after", "y").ok());
  EXPECT_EQ(*servers[0]->Command({"GET", "after"}), "y");
}

// A primary that keeps hanging and recovering every 150 ms must not drag traffic back and
// forth: after each failure it stays out for its whole grace period.
TEST(RedisFailoverTest, FlappingPrimaryDoesNotPingPong) {
  auto servers = StartServers(2);
  ASSERT_EQ(servers.size(), 2u);
  RedisClientOptions options = FastOptions(servers, {1.0, 0.5});
  options.failback.grace_period = absl::Milliseconds(800);
  options.circuit_breaker.wait_duration_in_open_state = absl::Milliseconds(800);
  auto client = MakeClient(options);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(WaitUntilSettled(*client, "east"));
  SwitchLog log(*client);
  Load load(*client, 1);

  const absl::Time start = absl::Now();
  while (absl::Now() - start < absl::Seconds(3)) {
    ASSERT_TRUE(servers[0]->Pause().ok());
    absl::SleepFor(absl::Milliseconds(150));
    ASSERT_TRUE(servers[0]->Resume().ok());
    absl::SleepFor(absl::Milliseconds(150));
  }
  load.Stop();
  const auto entries = log.entries();
  // 3 s of flapping with an 800 ms grace period: at most one failover and one failback per
  // grace period (a ping-pong would be ~20 switches).
  EXPECT_GE(entries.size(), 1u);
  EXPECT_LE(entries.size(), 8u) << log.ToString();
  for (size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].event.to == "east") {
      EXPECT_GE(entries[i].at - entries[i - 1].at, absl::Milliseconds(790)) << log.ToString();
    }
  }
  EXPECT_GT(load.ok(), 0);
}

TEST(RedisFailoverTest, AllDownThenTheLowerWeightReturnsFirst) {
  auto servers = StartServers(2);
  ASSERT_EQ(servers.size(), 2u);
  RedisClientOptions options = FastOptions(servers, {1.0, 0.5});
  options.all_down.max_attempts = 2;
  options.all_down.delay = absl::Milliseconds(300);
  auto client = MakeClient(options);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(WaitUntilSettled(*client, "east"));
  SwitchLog log(*client);
  Mutex mu;
  std::vector<std::string> availability;
  client->AddAvailabilityListener([&](const AvailabilityEvent& e) {
    MutexLock lock(&mu);
    availability.push_back(e.ToString());
  });

  ASSERT_TRUE(servers[0]->Kill().ok());
  ASSERT_TRUE(servers[1]->Kill().ok());
  ASSERT_TRUE(WaitFor([&] { return client->active_endpoint().empty(); }));
  absl::Status down = client->Get("k").status();
  EXPECT_TRUE(IsAllEndpointsDown(down)) << down;
  EXPECT_FALSE(IsPermanentlyUnavailable(down)) << down;
  EXPECT_NE(down.message().find("east: unhealthy"), absl::string_view::npos) << down;
  ASSERT_TRUE(WaitFor([&] { return client->availability() == Availability::kUnavailable; }));
  down = client->Get("k").status();
  EXPECT_TRUE(IsPermanentlyUnavailable(down)) << down;

  ASSERT_TRUE(servers[1]->Restart().ok());  // The lower weight returns first.
  ASSERT_TRUE(WaitFor([&] { return client->active_endpoint() == "west"; }));
  EXPECT_TRUE(client->Set("k", "on-west").ok());
  EXPECT_EQ(client->availability(), Availability::kAvailable);
  ASSERT_TRUE(servers[0]->Restart().ok());
  ASSERT_TRUE(WaitFor([&] { return client->active_endpoint() == "east"; }));
  EXPECT_EQ(*servers[1]->Command({"GET", "k"}), "on-west");

  const std::string switches = log.ToString();
  EXPECT_EQ(switches.substr(switches.size() - std::string("west -> east (FAILBACK)").size()),
            "west -> east (FAILBACK)")
      << switches;
  EXPECT_NE(switches.find("(none) -> west (HEALTH_CHECK)"), std::string::npos) << switches;
  MutexLock lock(&mu);
  EXPECT_EQ(availability, (std::vector<std::string>{"AVAILABLE -> TEMPORARILY_UNAVAILABLE",
                                                    "TEMPORARILY_UNAVAILABLE -> UNAVAILABLE",
                                                    "UNAVAILABLE -> AVAILABLE"}));
}

// Fast failover: a BLPOP blocked on the old endpoint returns at the switch instead of at its
// timeout; with retry-on-failover it is re-run on the new endpoint and gets the element there.
TEST(RedisFailoverTest, FastFailoverUnblocksABlockedPop) {
  for (bool retry_on_failover : {false, true}) {
    SCOPED_TRACE(absl::StrCat("retry_on_failover=", retry_on_failover));
    auto servers = StartServers(2);
    ASSERT_EQ(servers.size(), 2u);
    RedisClientOptions options = FastOptions(servers, {1.0, 0.5});
    options.fast_failover = true;
    options.retry_on_failover = retry_on_failover;
    auto client = MakeClient(options);
    ASSERT_NE(client, nullptr);
    absl::StatusOr<std::optional<std::pair<std::string, std::string>>> popped;
    absl::Time returned;
    std::thread waiter([&] {
      popped = client->BLPop({"queue"}, absl::Seconds(10));
      returned = absl::Now();
    });
    ASSERT_TRUE(WaitFor([&] {
      absl::StatusOr<std::string> info = servers[0]->Command({"INFO", "clients"});
      return info.ok() && info->find("blocked_clients:1") != std::string::npos;
    }));
    const absl::Time switched = absl::Now();
    ASSERT_TRUE(client->SetActive("west").ok());
    if (retry_on_failover) {
      ASSERT_TRUE(WaitFor([&] {
        absl::StatusOr<std::string> info = servers[1]->Command({"INFO", "clients"});
        return info.ok() && info->find("blocked_clients:1") != std::string::npos;
      }));
      ASSERT_TRUE(servers[1]->Command({"RPUSH", "queue", "from-west"}).ok());
    }
    waiter.join();
    EXPECT_LT(returned - switched, absl::Seconds(2));
    if (retry_on_failover) {
      ASSERT_TRUE(popped.ok()) << popped.status();
      EXPECT_EQ(**popped, std::make_pair(std::string("queue"), std::string("from-west")));
    } else {
      EXPECT_EQ(popped.status().code(), absl::StatusCode::kUnavailable) << popped.status();
      EXPECT_NE(popped.status().message().find("switched away"), absl::string_view::npos)
          << popped.status();
    }
    // Cutting the connection was the client's doing: east's breaker did not count it.
    for (const EndpointStatus& e : client->endpoints()) {
      EXPECT_EQ(e.breaker, CircuitBreakerState::kClosed) << e.name;
    }
  }
}

}  // namespace
}  // namespace redis
}  // namespace failover
