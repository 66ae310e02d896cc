#include "dashboard/demo/demo_instance.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "core/breaker/circuit_breaker_state.h"
#include "naming-client/naming_metrics.h"

namespace failover {
namespace dashboard {
namespace {

constexpr char kPrimary[] = "primary";
constexpr char kReplica[] = "replica";
// Per tick (200 ms): a primary outage about every 2 minutes, lasting about 20 s; the naming
// switch on about every 5 minutes, for about 30 s.
constexpr double kRedisOutageChance = 1.0 / 600;
constexpr int kRedisOutageTicks = 100;
constexpr double kNamingSwitchChance = 1.0 / 1500;
constexpr int kNamingSwitchTicks = 150;

double BreakerValue(CircuitBreakerState state) { return static_cast<double>(state); }

}  // namespace

std::vector<DemoApiProfile> DefaultDemoApis() {
  // healthy = success + (1 - success) * recovery
  return {
      {"quotes", 0.98, 0.75, absl::Milliseconds(20), 8},      // 0.995: HEALTHY
      {"pricing", 0.85, 2.0 / 3, absl::Milliseconds(45), 5},  // 0.95: DEGRADED
      {"inventory", 0.60, 0.25, absl::Milliseconds(120), 3},  // 0.70: UNHEALTHY
  };
}

DemoInstance::DemoInstance(std::string instance_id, RandomSource& random,
                           std::vector<DemoApiProfile> apis)
    : instance_id_(std::move(instance_id)), random_(random) {
  for (DemoApiProfile& profile : apis) {
    auto metrics = std::make_unique<FailoverMetrics>(registry_, profile.name, profile.name);
    apis_.push_back(Api{std::move(profile), std::move(metrics)});
  }
  SetRedisGauges();
  registry_.GetGauge(naming::NamingMetrics::kSwitch, {{"namespace", "public"}}).Set(0);
}

absl::string_view DemoInstance::active_redis_endpoint() const {
  return primary_down_ ? kReplica : kPrimary;
}

void DemoInstance::Tick() {
  for (Api& api : apis_) ApiTraffic(api);
  RedisTraffic();
  NamingScenario();
}

absl::Duration DemoInstance::Jitter(absl::Duration typical) {
  return typical * (0.5 + random_.Uniform01());  // 0.5x .. 1.5x
}

int DemoInstance::Calls(int mean) {
  // mean - 1 .. mean + 1, at least 1.
  return std::max(1, mean - 1 + static_cast<int>(random_.Uniform01() * 3));
}

void DemoInstance::ApiTraffic(Api& api) {
  FailoverMetrics& metrics = *api.metrics;
  const int calls = Calls(api.profile.calls_per_tick);
  for (int i = 0; i < calls; ++i) {
    if (random_.Uniform01() < api.profile.success) {
      metrics.RecordUpstream(/*success=*/true, Jitter(api.profile.latency));
      metrics.RecordStore(/*stored=*/true, Jitter(absl::Milliseconds(2)));
      metrics.RecordCall(/*success=*/true);
      continue;
    }
    const bool timeout = random_.Uniform01() < 0.5;
    metrics.RecordUpstream(/*success=*/false,
                           timeout ? Jitter(absl::Milliseconds(800)) : Jitter(api.profile.latency));
    metrics.RecordException(timeout ? absl::StatusCode::kDeadlineExceeded
                                    : absl::StatusCode::kUnavailable);
    RecoveryOutcome outcome = RecoveryOutcome::kRecovered;
    if (random_.Uniform01() >= api.profile.recovery) {
      outcome =
          random_.Uniform01() < 0.8 ? RecoveryOutcome::kNotRecovered : RecoveryOutcome::kError;
    }
    metrics.RecordRecovery(outcome, Jitter(absl::Milliseconds(3)));
    metrics.RecordCall(/*success=*/false);
  }
}

void DemoInstance::SetRedisGauges() {
  const Tags primary = {{"endpoint", kPrimary}};
  const Tags replica = {{"endpoint", kReplica}};
  registry_.GetGauge("failover.redis.endpoint.active", primary).Set(primary_down_ ? 0 : 1);
  registry_.GetGauge("failover.redis.endpoint.active", replica).Set(primary_down_ ? 1 : 0);
  registry_.GetGauge("failover.redis.endpoint.healthy", primary).Set(primary_down_ ? 0 : 1);
  registry_.GetGauge("failover.redis.endpoint.healthy", replica).Set(1);
  registry_.GetGauge("failover.redis.endpoint.breaker.state", primary)
      .Set(BreakerValue(primary_down_ ? CircuitBreakerState::kOpen : CircuitBreakerState::kClosed));
  registry_.GetGauge("failover.redis.endpoint.breaker.state", replica)
      .Set(BreakerValue(CircuitBreakerState::kClosed));
}

void DemoInstance::RedisTraffic() {
  if (!primary_down_ && random_.Uniform01() < kRedisOutageChance) {
    primary_down_ = true;
    redis_ticks_left_ = kRedisOutageTicks;
    registry_
        .GetCounter("failover.redis.health.changes.total",
                    {{"endpoint", kPrimary}, {"healthy", "false"}})
        .Increment();
    registry_
        .GetCounter("failover.redis.switches.total", {{"reason", "HEALTH_CHECK"}, {"to", kReplica}})
        .Increment();
    SetRedisGauges();
  } else if (primary_down_ && --redis_ticks_left_ <= 0) {
    primary_down_ = false;
    registry_
        .GetCounter("failover.redis.health.changes.total",
                    {{"endpoint", kPrimary}, {"healthy", "true"}})
        .Increment();
    registry_
        .GetCounter("failover.redis.switches.total", {{"reason", "FAILBACK"}, {"to", kPrimary}})
        .Increment();
    SetRedisGauges();
  }
  const Tags active = {{"endpoint", std::string(active_redis_endpoint())}};
  const int commands = Calls(20);
  registry_.GetCounter("failover.redis.commands.total", active.With("result", "success"))
      .Increment(commands);
  Timer& latency = registry_.GetTimer("failover.redis.command.duration", active);
  for (int i = 0; i < commands; ++i) latency.Record(Jitter(absl::Microseconds(400)));
}

void DemoInstance::NamingScenario() {
  Gauge& switch_gauge =
      registry_.GetGauge(naming::NamingMetrics::kSwitch, {{"namespace", "public"}});
  if (!naming_switch_on_ && random_.Uniform01() < kNamingSwitchChance) {
    naming_switch_on_ = true;
    naming_ticks_left_ = kNamingSwitchTicks;
  } else if (naming_switch_on_ && --naming_ticks_left_ <= 0) {
    naming_switch_on_ = false;
  }
  switch_gauge.Set(naming_switch_on_ ? 1 : 0);
}

}  // namespace dashboard
}  // namespace failover
