#include "redis-failover/redis_client_options.h"

#include <cmath>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"

namespace failover {
namespace redis {
namespace {

absl::Status Bad(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

absl::Status Prefixed(absl::string_view field, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", status.message()));
}

bool Positive(absl::Duration d) { return d > absl::ZeroDuration(); }

}  // namespace

absl::string_view HealthStrategyName(HealthStrategy strategy) {
  switch (strategy) {
    case HealthStrategy::kPing:
      return "ping";
    case HealthStrategy::kEcho:
      return "echo";
    case HealthStrategy::kCustom:
      return "custom";
  }
  return "?";
}

absl::string_view StartupPolicyName(StartupPolicy policy) {
  switch (policy) {
    case StartupPolicy::kAll:
      return "all";
    case StartupPolicy::kMajority:
      return "majority";
    case StartupPolicy::kOne:
      return "one";
  }
  return "?";
}

CircuitBreakerOptions DefaultRedisBreakerOptions() {
  CircuitBreakerOptions o;
  o.sliding_window_type = SlidingWindowType::kTimeBased;
  o.sliding_window_duration = absl::Seconds(2);
  o.time_window_buckets = 20;
  o.minimum_number_of_calls = 1;
  o.minimum_number_of_failures = 3;
  o.failure_rate_threshold = 50;
  o.consecutive_failures_threshold = 5;
  o.wait_duration_in_open_state = absl::Seconds(60);
  o.automatic_transition_from_open_to_half_open = true;
  o.permitted_number_of_calls_in_half_open_state = 3;
  o.record_codes = {absl::StatusCode::kUnavailable, absl::StatusCode::kDeadlineExceeded};
  return o;
}

RetryOptions DefaultRedisRetryOptions() {
  RetryOptions o;
  o.max_attempts = 3;
  o.wait = absl::Milliseconds(500);
  o.backoff_multiplier = 2.0;
  o.retry_on_codes = {absl::StatusCode::kUnavailable, absl::StatusCode::kDeadlineExceeded};
  return o;
}

RedisClientOptions::RedisClientOptions()
    : circuit_breaker(DefaultRedisBreakerOptions()), retry(DefaultRedisRetryOptions()) {}

absl::Status RedisClientOptions::Validate() const {
  if (endpoints.empty()) return Bad("endpoints", "at least one endpoint is required");
  std::set<std::string> names;
  for (size_t i = 0; i < endpoints.size(); ++i) {
    const RedisEndpointOptions& e = endpoints[i];
    const std::string field = absl::StrCat("endpoints[", i, "]");
    if (e.name.empty()) return Bad(absl::StrCat(field, ".name"), "must not be empty");
    if (!names.insert(e.name).second) {
      return Bad(absl::StrCat(field, ".name"), absl::StrCat("'", e.name, "' is used twice"));
    }
    if (absl::StatusOr<RedisAddress> a = ParseRedisUri(e.uri); !a.ok()) {
      return Prefixed(absl::StrCat(field, ".uri"), a.status());
    }
    if (!std::isfinite(e.weight) || e.weight < 0) {
      return Bad(absl::StrCat(field, ".weight"),
                 absl::StrCat("must be a finite number >= 0, got ", e.weight));
    }
  }
  if (!Positive(connection.connect_timeout)) {
    return Bad("connection.connect_timeout", "must be positive");
  }
  if (!Positive(connection.socket_timeout)) {
    return Bad("connection.socket_timeout", "must be positive");
  }
  if (absl::Status s = pool.Validate(); !s.ok()) return Prefixed("pool", s);
  if (absl::Status s = health_check.Validate(); !s.ok()) return Prefixed("health_check", s);
  if (health_strategy == HealthStrategy::kCustom && !custom_probe) {
    return Bad("custom_probe", "must be set when health_strategy is custom");
  }
  if (absl::Status s = circuit_breaker.Validate(); !s.ok()) return Prefixed("circuit_breaker", s);
  if (absl::Status s = retry.Validate(); !s.ok()) return Prefixed("retry", s);
  if (!Positive(failback.check_interval)) {
    return Bad("failback.check_interval", "must be positive");
  }
  if (failback.grace_period < absl::ZeroDuration()) {
    return Bad("failback.grace_period", "must not be negative");
  }
  if (startup.max_wait < absl::ZeroDuration()) {
    return Bad("startup.max_wait", "must not be negative");
  }
  if (all_down.max_attempts < 1) {
    return Bad("all_down.max_attempts", absl::StrCat("must be >= 1, got ", all_down.max_attempts));
  }
  if (all_down.delay < absl::ZeroDuration()) {
    return Bad("all_down.delay", "must not be negative");
  }
  return absl::OkStatus();
}

}  // namespace redis
}  // namespace failover
