// RedisFailoverClient's own logic on a SimulatedClock with scripted connections: how attempts
// are counted by the retry and the breaker, and the breaker-driven switch. The behaviour against
// real servers is tested in tests/redis-failover/.
#include "redis-failover/redis_client.h"

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/simulated_clock.h"
#include "core/sync.h"
#include "gtest/gtest.h"

namespace failover {
namespace redis {
namespace {

// What the scripted server of one endpoint does; shared by all its connections.
struct Script {
  std::atomic<bool> fail{false};  // Commands fail with UNAVAILABLE.
  std::atomic<int> commands{0};
  std::atomic<int> pipelines{0};
  std::atomic<bool> probe_fails{false};  // The health probe reports UNAVAILABLE.
  std::atomic<int> probes{0};
};

class ScriptedConnection final : public RedisConnection {
 public:
  ScriptedConnection(Script* script, RedisAddress address)
      : script_(script), address_(std::move(address)) {}
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& argv) override {
    ++script_->commands;
    if (script_->fail) return absl::UnavailableError("scripted: connection reset");
    return RedisReply::String(address_.host + ":" + argv[0]);
  }
  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands) override {
    ++script_->pipelines;
    if (script_->fail) return absl::UnavailableError("scripted: connection reset");
    return std::vector<RedisReply>(commands.size(), RedisReply::Status("OK"));
  }
  absl::Status Send(const std::vector<std::string>&) override { return absl::OkStatus(); }
  absl::StatusOr<RedisReply> Receive() override { return RedisReply::Nil(); }
  absl::Status SetSocketTimeout(absl::Duration) override { return absl::OkStatus(); }
  void Interrupt() override {}
  bool broken() const override { return false; }
  const RedisAddress& address() const override { return address_; }

 private:
  Script* script_;
  RedisAddress address_;
};

class RedisClientLogicTest : public ::testing::Test {
 protected:
  RedisClientLogicTest() {
    scripts_["east"];
    scripts_["west"];
  }

  RedisClientOptions Options(const std::vector<std::string>& hosts) {
    RedisClientOptions o;
    double weight = 1.0;
    for (const std::string& host : hosts) {
      o.endpoints.push_back({host, "redis://" + host + ":6379", weight});
      weight /= 2;
    }
    o.health_strategy = HealthStrategy::kCustom;
    o.custom_probe = [this](const RedisEndpointOptions&, const RedisAddress& address) {
      Script* script = &scripts_.at(address.host);
      return [script](absl::Duration) {
        ++script->probes;
        return script->probe_fails ? absl::UnavailableError("scripted: probe refused")
                                   : absl::OkStatus();
      };
    };
    o.health_check.interval = absl::Seconds(1);
    o.health_check.probes = 1;
    o.connection_factory =
        [this](const RedisAddress& address,
               const RedisConnectionOptions&) -> absl::StatusOr<std::unique_ptr<RedisConnection>> {
      return std::unique_ptr<RedisConnection>(
          new ScriptedConnection(&scripts_.at(address.host), address));
    };
    o.retry.max_attempts = 3;
    o.retry.wait = absl::Milliseconds(10);
    return o;
  }

  std::unique_ptr<RedisFailoverClient> Make(RedisClientOptions o) {
    auto c = RedisFailoverClient::Create(std::move(o), clock_);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? std::move(*c) : nullptr;
  }

  SimulatedClock clock_;
  // Both entries exist before any client runs; connections only look them up.
  std::map<std::string, Script> scripts_;
};

// A pipeline is one attempt, exactly like a single command (Jedis counts them differently).
TEST_F(RedisClientLogicTest, CommandsAndPipelinesAreRetriedAndCountedAlike) {
  RedisClientOptions o = Options({"east"});
  o.circuit_breaker.minimum_number_of_failures = 100;  // Keep the breaker out of the way.
  o.circuit_breaker.consecutive_failures_threshold = 0;
  auto client = Make(o);
  ASSERT_NE(client, nullptr);
  scripts_["east"].fail = true;
  const MonotonicTime start = clock_.Now();
  absl::Status command = client->Command({"GET", "k"}).status();
  EXPECT_EQ(command.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(command.message().find("gave up after 3 attempts"), absl::string_view::npos) << command;
  EXPECT_EQ(scripts_["east"].commands, 3);
  EXPECT_EQ(clock_.Now() - start, absl::Milliseconds(10 + 20));  // Jedis's x2 backoff.

  absl::Status pipeline = client->Pipeline({{"GET", "a"}, {"GET", "b"}}).status();
  EXPECT_EQ(pipeline.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(scripts_["east"].pipelines, 3);
  EXPECT_EQ(client->Transaction({{"INCR", "a"}}).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(scripts_["east"].pipelines, 6);

  const MetricsSnapshot snapshot = client->metrics().Snapshot();
  const SeriesSnapshot* failed =
      snapshot.Find("failover.redis.commands.total", {{"endpoint", "east"}, {"result", "error"}});
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->value, 9);
}

// Three connection failures (at least half of the calls in the window) open east's breaker;
// the next attempt runs on west. Reason: CIRCUIT_BREAKER.
TEST_F(RedisClientLogicTest, BreakerTripSwitchesToTheNextEndpoint) {
  auto client = Make(Options({"east", "west"}));
  ASSERT_NE(client, nullptr);
  std::vector<std::string> switches;
  client->AddSwitchListener([&](const SwitchEvent& e) { switches.push_back(e.ToString()); });
  std::vector<std::string> transitions;
  client->AddBreakerListener([&](const BreakerEvent& e) {
    transitions.push_back(absl::StrCat(e.breaker, " ", StateName(e.from), "->", StateName(e.to)));
  });
  EXPECT_TRUE(client->Get("k").ok());
  scripts_["east"].fail = true;
  // Attempts 1 and 2 fail on east; the third failure trips the breaker (3 of 4 calls).
  absl::StatusOr<RedisReply> r = client->Command({"GET", "k"});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(scripts_["east"].commands, 1 + 3);
  EXPECT_EQ(client->active_endpoint(), "west");
  r = client->Command({"GET", "k"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text(), "west:GET");
  EXPECT_EQ(switches, std::vector<std::string>{"east -> west (CIRCUIT_BREAKER)"});
  EXPECT_EQ(transitions, std::vector<std::string>{"east CLOSED->OPEN"});
  EXPECT_EQ(scripts_["east"].commands, 4);  // Nothing more reached east.
  const MetricsSnapshot snapshot = client->metrics().Snapshot();
  const SeriesSnapshot* breaker =
      snapshot.Find("failover.redis.endpoint.breaker.state", {{"endpoint", "east"}});
  ASSERT_NE(breaker, nullptr);
  EXPECT_EQ(breaker->value, 1);  // OPEN
  const SeriesSnapshot* switched = snapshot.Find("failover.redis.switches.total",
                                                 {{"reason", "CIRCUIT_BREAKER"}, {"to", "west"}});
  ASSERT_NE(switched, nullptr);
  EXPECT_EQ(switched->value, 1);
  EXPECT_EQ(snapshot.Find("failover.redis.endpoint.active", {{"endpoint", "west"}})->value, 1);
  EXPECT_EQ(snapshot.Find("failover.redis.endpoint.active", {{"endpoint", "east"}})->value, 0);
}

// A failed health round is reported to health listeners and moves traffic (HEALTH_CHECK).
TEST_F(RedisClientLogicTest, HealthChangesAreReportedAndSwitch) {
  auto client = Make(Options({"east", "west"}));
  ASSERT_NE(client, nullptr);
  Mutex mu;
  std::vector<std::string> health;
  client->AddHealthListener([&](const HealthEvent& e) {
    MutexLock lock(&mu);
    health.push_back(
        absl::StrCat(e.endpoint, e.healthy ? " healthy" : " unhealthy: ", e.reason.message()));
  });
  scripts_["east"].probe_fails = true;
  clock_.Advance(absl::Seconds(1));  // The next round is due.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (client->active_endpoint() != "west" && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_EQ(client->active_endpoint(), "west");
  MutexLock lock(&mu);
  EXPECT_EQ(health, std::vector<std::string>{"east unhealthy: scripted: probe refused"});
}

// With check_active_only_when_idle, traffic proves the active endpoint healthy: it is probed
// only after an interval without a successful command; standbys are always probed.
TEST_F(RedisClientLogicTest, ActiveEndpointIsProbedOnlyWhenIdle) {
  RedisClientOptions o = Options({"east", "west"});
  o.check_active_only_when_idle = true;
  auto client = Make(o);
  ASSERT_NE(client, nullptr);
  auto wait_for = [](const std::atomic<int>& counter, int value) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (counter < value && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(1));
    return counter >= value;
  };
  ASSERT_TRUE(wait_for(scripts_["east"].probes, 1));  // Start-up: no traffic yet.
  ASSERT_TRUE(wait_for(scripts_["west"].probes, 1));

  clock_.Advance(absl::Milliseconds(500));
  ASSERT_TRUE(client->Get("k").ok());  // Traffic within the coming round's interval.
  clock_.Advance(absl::Milliseconds(500));
  ASSERT_TRUE(wait_for(scripts_["west"].probes, 2));
  absl::SleepFor(absl::Milliseconds(50));  // East's round runs on its own thread.
  EXPECT_EQ(scripts_["east"].probes, 1);

  clock_.Advance(absl::Seconds(1));  // A whole interval without a command.
  ASSERT_TRUE(wait_for(scripts_["west"].probes, 3));
  EXPECT_TRUE(wait_for(scripts_["east"].probes, 2));
}

// With retry-on-failover, the attempt that tripped the breaker is re-run on the new endpoint at
// once instead of failing.
TEST_F(RedisClientLogicTest, RetryOnFailoverRunsTheFailedAttemptOnTheNewEndpoint) {
  RedisClientOptions o = Options({"east", "west"});
  o.retry.max_attempts = 1;
  o.circuit_breaker.minimum_number_of_failures = 1;
  o.retry_on_failover = true;
  auto client = Make(o);
  ASSERT_NE(client, nullptr);
  scripts_["east"].fail = true;
  absl::StatusOr<RedisReply> r = client->Command({"GET", "k"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text(), "west:GET");
  EXPECT_EQ(scripts_["east"].commands, 1);
  EXPECT_EQ(scripts_["west"].commands, 1);
}

TEST_F(RedisClientLogicTest, BadArgumentsAreRefusedBeforeAnyAttempt) {
  auto client = Make(Options({"east"}));
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->Command({}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client->Transaction({}).status().code(), absl::StatusCode::kInvalidArgument);
  SetOptions both;
  both.keep_ttl = true;
  both.ttl = absl::Seconds(1);
  EXPECT_EQ(client->Set("k", "v", both).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(client->HSet("h", {}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(scripts_["east"].commands, 0);
  EXPECT_EQ(scripts_["east"].pipelines, 0);
}

}  // namespace
}  // namespace redis
}  // namespace failover
