#include "redis-failover/redis_config.h"

#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/config/config_problem.h"
#include "core/config/config_validators.h"
#include "redis-failover/redis_uri.h"

namespace failover {
namespace redis {
namespace {

constexpr ConfigEnumValue<ProbePolicy> kProbePolicies[] = {
    {ProbePolicy::kAll, "all"},
    {ProbePolicy::kMajority, "majority"},
    {ProbePolicy::kAny, "any"},
};
constexpr ConfigEnumValue<HealthStrategy> kHealthStrategies[] = {
    {HealthStrategy::kPing, "ping"},
    {HealthStrategy::kEcho, "echo"},
};
constexpr ConfigEnumValue<StartupPolicy> kStartupPolicies[] = {
    {StartupPolicy::kAll, "all"},
    {StartupPolicy::kMajority, "majority"},
    {StartupPolicy::kOne, "one"},
};

// Why `uri` does not parse, without any part of a password. ParseRedisUri's message reads
// "redis URI '<uri>': <reason> (expected ...)"; the problem shows the (redacted) URI already, so
// only the reason is kept. It comes from parsing the redacted URI when that fails too, so the
// message only ever held redacted text; otherwise the fault is in the credentials and the
// original's reason is a fixed phrase ("bad %-escape in the password"), except that a quoted
// fragment reaching into the credentials ("database 'w@host'", from a password with an unescaped
// '/') is redacted as well.
std::string UriReason(absl::string_view uri, const absl::Status& status) {
  absl::StatusOr<RedisAddress> redacted = ParseRedisUri(RedactRedisUri(uri));
  const std::string full(redacted.ok() ? status.message() : redacted.status().message());
  absl::string_view message = full;
  constexpr absl::string_view kPrefix = "redis URI '";
  if (absl::StartsWith(message, kPrefix)) {
    const size_t end = message.find("': ", kPrefix.size());
    if (end != absl::string_view::npos) message.remove_prefix(end + 3);
  }
  std::string reason;
  while (true) {
    const size_t open = message.find('\'');
    const size_t close = open == absl::string_view::npos ? open : message.find('\'', open + 1);
    if (close == absl::string_view::npos) break;
    absl::StrAppend(&reason, message.substr(0, open + 1),
                    RedactRedisUri(message.substr(open + 1, close - open - 1)), "'");
    message.remove_prefix(close + 1);
  }
  absl::StrAppend(&reason, message);
  return reason;
}

absl::Status Invalid(std::string phrase) { return absl::InvalidArgumentError(std::move(phrase)); }

absl::Status CheckName(const std::string& name) {
  if (!absl::StripAsciiWhitespace(name).empty()) return absl::OkStatus();
  return Invalid("must not be empty: every endpoint needs a unique name");
}

absl::Status CheckUri(const std::string& uri) {
  if (uri.empty()) return Invalid("must be set, e.g. redis://host:6379");
  absl::StatusOr<RedisAddress> address = ParseRedisUri(uri);
  if (address.ok()) return absl::OkStatus();
  return Invalid(absl::StrCat("is not a valid redis URI: ", UriReason(uri, address.status())));
}

absl::Status CheckWeight(const double& weight) {
  if (std::isfinite(weight) && weight >= 0) return absl::OkStatus();
  return Invalid("must be a finite number >= 0");
}

ConfigValidator<absl::Duration> Positive() {
  return [](const absl::Duration& d) {
    return d > absl::ZeroDuration() ? absl::OkStatus() : Invalid("must be positive");
  };
}

ConfigValidator<absl::Duration> NotNegative() {
  return [](const absl::Duration& d) {
    return d >= absl::ZeroDuration() ? absl::OkStatus() : Invalid("must not be negative");
  };
}

ConfigValidator<double> Percentage() {
  return [](const double& v) {
    return v > 0 && v <= 100 ? absl::OkStatus() : Invalid("must be a percentage in (0, 100]");
  };
}

// `low` <= `high`: reported on whichever of the two the user wrote (`low` when both or neither).
void ReportOrder(CheckReporter& reporter, absl::string_view low, absl::string_view high,
                 const std::string& low_value, const std::string& high_value) {
  if (!reporter.IsSet(low) && reporter.IsSet(high)) {
    reporter.Error(high, absl::StrCat("must be at least ", low, " (", low_value, ")"));
  } else {
    reporter.Error(low, absl::StrCat("must not exceed ", high, " (", high_value, ")"));
  }
}

ConfigSchema<RedisEndpointConfig> EndpointSchema() {
  ConfigSchema<RedisEndpointConfig> s;
  s.Property("name", &RedisEndpointConfig::name,
             "Unique, non-empty name, used in events, metrics and manual control.")
      .Validate(CheckName);
  s.Property("uri", &RedisEndpointConfig::uri,
             "redis://[user[:password]@]host[:port][/db]; the password is masked in messages.")
      .Validate(CheckUri)
      .Redact(RedactRedisUri);
  s.Property("weight", &RedisEndpointConfig::weight,
             "The highest-weight usable endpoint is active; finite, >= 0.")
      .Validate(CheckWeight);
  s.Property("health-check", &RedisEndpointConfig::health_check,
             "false: never probed, counted healthy; only its circuit breaker takes it out.");
  return s;
}

ConfigSchema<RedisPoolConfig> PoolSchema() {
  ConfigSchema<RedisPoolConfig> s;
  s.Property("max-total", &RedisPoolConfig::max_total,
             "Connections per endpoint, borrowed or idle; >= 1.")
      .Validate(AtLeast<int32_t>(1));
  s.Property("max-idle", &RedisPoolConfig::max_idle, "Idle connections kept; 0..max-total.")
      .Validate(AtLeast<int32_t>(0));
  s.Property("min-idle", &RedisPoolConfig::min_idle, "Idle connections kept ready; 0..max-idle.")
      .Validate(AtLeast<int32_t>(0));
  s.Property("max-wait", &RedisPoolConfig::max_wait,
             "Wait for a connection when all are borrowed; 0 = fail at once.")
      .Validate(NotNegative());
  s.Property("test-while-idle", &RedisPoolConfig::test_while_idle,
             "PING idle connections and drop those that do not answer.");
  s.Check([](const RedisPoolConfig& p, CheckReporter& reporter) {
    if (p.max_idle > p.max_total) {
      ReportOrder(reporter, "max-idle", "max-total", absl::StrCat(p.max_idle),
                  absl::StrCat(p.max_total));
    } else if (p.min_idle > p.max_idle) {
      ReportOrder(reporter, "min-idle", "max-idle", absl::StrCat(p.min_idle),
                  absl::StrCat(p.max_idle));
    }
  });
  return s;
}

ConfigSchema<RedisHealthCheckConfig> HealthCheckSchema() {
  using H = RedisHealthCheckConfig;
  ConfigSchema<H> s;
  s.Property("interval", &H::interval, "Time between the starts of two health-check rounds.")
      .Validate(Positive());
  s.Property("timeout", &H::timeout, "Bound on one probe, connect included.").Validate(Positive());
  s.Property("probes", &H::probes, "Probes per round; >= 1.").Validate(AtLeast<int32_t>(1));
  s.Property("probe-delay", &H::probe_delay, "Pause between two probes of a round.")
      .Validate(NotNegative());
  s.Property("policy", &H::policy, "How many probes of a round must succeed.");
  s.Property("strategy", &H::strategy,
             "ping: PING answered by PONG; echo: ECHO of a random token (catches proxies that "
             "answer PING themselves).");
  s.Property("active-only-when-idle", &H::active_only_when_idle,
             "Probe the active endpoint only when no command succeeded on it for an interval.");
  return s;
}

ConfigSchema<RedisCircuitBreakerConfig> CircuitBreakerSchema() {
  using B = RedisCircuitBreakerConfig;
  ConfigSchema<B> s;
  s.Property("window", &B::window, "Time-based sliding window: how far back calls are judged.")
      .Validate(Positive());
  s.Property("buckets", &B::buckets, "Window resolution: it slides by window / buckets; 1..1000.")
      .Validate(AtLeast<int32_t>(1))
      .Validate(AtMost<int32_t>(1000));
  s.Property("min-calls", &B::min_calls,
             "No rate decision before the window holds this many calls.")
      .Validate(AtLeast<int32_t>(1));
  s.Property("min-failures", &B::min_failures,
             "No failure-rate decision before the window holds this many failures.")
      .Validate(AtLeast<int32_t>(0));
  s.Property("failure-rate-threshold", &B::failure_rate_threshold,
             "Open when failed calls / all calls reach this percentage; (0, 100].")
      .Validate(Percentage());
  s.Property("slow-call-duration", &B::slow_call_duration, "A call slower than this is slow.")
      .Validate(Positive());
  s.Property("slow-call-rate-threshold", &B::slow_call_rate_threshold,
             "Open when slow calls / all calls reach this percentage; (0, 100].")
      .Validate(Percentage());
  s.Property("consecutive-failures", &B::consecutive_failures,
             "Open after this many failures in a row; 0 = off.")
      .Validate(AtLeast<int32_t>(0));
  s.Property("open-wait", &B::open_wait,
             "Time OPEN after a trip, then HALF_OPEN by itself; empty = failback.grace-period.")
      .Validate([](const std::optional<absl::Duration>& d) {
        return !d.has_value() || *d >= absl::ZeroDuration() ? absl::OkStatus()
                                                            : Invalid("must not be negative");
      });
  s.Property("open-wait-multiplier", &B::open_wait_multiplier,
             "Each further trip without a CLOSED in between multiplies the wait; >= 1.")
      .Validate(AtLeast(1.0));
  s.Property("max-open-wait", &B::max_open_wait, "Cap on the grown wait; >= open-wait.");
  s.Property("half-open-calls", &B::half_open_calls, "Trial calls let through in HALF_OPEN.")
      .Validate(AtLeast<int32_t>(1));
  s.Check([](const B& b, CheckReporter& reporter) {
    if (b.window < absl::Nanoseconds(b.buckets)) {
      reporter.Error("window",
                     absl::StrCat("must be at least 1ns per bucket (", b.buckets, " buckets)"));
    }
    if (b.open_wait.has_value() && b.max_open_wait < *b.open_wait) {
      ReportOrder(reporter, "open-wait", "max-open-wait", FormatConfigDuration(*b.open_wait),
                  FormatConfigDuration(b.max_open_wait));
    }
  });
  return s;
}

ConfigSchema<RedisRetryConfig> RetrySchema() {
  using R = RedisRetryConfig;
  ConfigSchema<R> s;
  s.Property("max-attempts", &R::max_attempts, "Attempts including the first; 1 = no retry.")
      .Validate(AtLeast<int32_t>(1));
  s.Property("wait", &R::wait, "Wait before the first retry.").Validate(NotNegative());
  s.Property("multiplier", &R::multiplier, "Each further wait is the previous one times this.")
      .Validate(AtLeast(1.0));
  s.Property("max-wait", &R::max_wait, "Cap on any single wait; >= wait.");
  s.Property("jitter", &R::jitter, "Each wait varies randomly by up to this fraction; [0, 1].")
      .Validate(InClosedRange(0, 1));
  s.Check([](const R& r, CheckReporter& reporter) {
    if (r.max_wait < r.wait) {
      ReportOrder(reporter, "wait", "max-wait", FormatConfigDuration(r.wait),
                  FormatConfigDuration(r.max_wait));
    }
  });
  return s;
}

ConfigSchema<RedisFailbackConfig> FailbackSchema() {
  using F = RedisFailbackConfig;
  ConfigSchema<F> s;
  s.Property("supported", &F::supported, "Move back to a recovered heavier endpoint.");
  s.Property("check-interval", &F::check_interval,
             "How often failback and the end of grace periods are checked.")
      .Validate(Positive());
  s.Property("grace-period", &F::grace_period,
             "How long an endpoint that failed stays out of the running.")
      .Validate(NotNegative());
  return s;
}

ConfigSchema<RedisStartupConfig> StartupSchema() {
  ConfigSchema<RedisStartupConfig> s;
  s.Property("policy", &RedisStartupConfig::policy,
             "Endpoints that must be available before the client starts.");
  s.Property("max-wait", &RedisStartupConfig::max_wait,
             "How long start-up waits for the first health-check round.")
      .Validate(NotNegative());
  return s;
}

ConfigSchema<RedisAllDownConfig> AllDownSchema() {
  ConfigSchema<RedisAllDownConfig> s;
  s.Property("max-attempts", &RedisAllDownConfig::max_attempts,
             "With no usable endpoint, commands fail as temporarily unavailable until "
             "max-attempts x delay has passed, then as unavailable.")
      .Validate(AtLeast<int32_t>(1));
  s.Property("delay", &RedisAllDownConfig::delay, "See max-attempts.").Validate(NotNegative());
  return s;
}

// Unique endpoint names: the first index of each name, and a problem for every later one.
void CheckUniqueNames(const std::vector<RedisEndpointConfig>& endpoints,
                      const std::function<void(size_t index, size_t first)>& duplicate) {
  std::map<std::string, size_t> first;
  for (size_t i = 0; i < endpoints.size(); ++i) {
    auto [it, inserted] = first.emplace(endpoints[i].name, i);
    if (!inserted) duplicate(i, it->second);
  }
}

std::string DuplicateName(size_t first) {
  return absl::StrCat("is also the name of endpoints[", first, "]; names must be unique");
}

}  // namespace

ConfigEnumDescription<ProbePolicy> DescribeConfigEnum(ProbePolicy) {
  return {"ProbePolicy", kProbePolicies};
}
ConfigEnumDescription<HealthStrategy> DescribeConfigEnum(HealthStrategy) {
  return {"HealthStrategy", kHealthStrategies};
}
ConfigEnumDescription<StartupPolicy> DescribeConfigEnum(StartupPolicy) {
  return {"StartupPolicy", kStartupPolicies};
}

ConfigSchema<RedisConfig> RedisConfigSchema() {
  ConfigSchema<RedisConfig> s;
  s.Property("connect-timeout", &RedisConfig::connect_timeout,
             "Time allowed to establish a connection.")
      .Validate(Positive());
  s.Property("socket-timeout", &RedisConfig::socket_timeout, "Time allowed for each reply.")
      .Validate(Positive());
  s.Property("client-name", &RedisConfig::client_name,
             "Sent with CLIENT SETNAME; empty = not sent.");
  s.Property("retry-on-failover", &RedisConfig::retry_on_failover,
             "Re-run a command that failed because the endpoint switched while it ran, without "
             "using a retry attempt.");
  s.Property("fast-failover", &RedisConfig::fast_failover,
             "On a switch, interrupt the old endpoint's connections so blocked commands return.");
  s.Section("pool", &RedisConfig::pool, PoolSchema(), "Per-endpoint connection pool.");
  s.Section("health-check", &RedisConfig::health_check, HealthCheckSchema(),
            "Health-check rounds.");
  s.Section("circuit-breaker", &RedisConfig::circuit_breaker, CircuitBreakerSchema(),
            "One breaker per endpoint.");
  s.Section("retry", &RedisConfig::retry, RetrySchema(), "Retries per command.");
  s.Section("failback", &RedisConfig::failback, FailbackSchema(), "Failback.");
  s.Section("startup", &RedisConfig::startup, StartupSchema(), "Start-up.");
  s.Section("all-down", &RedisConfig::all_down, AllDownSchema(), "When no endpoint is usable.");
  s.SectionList("endpoints", &RedisConfig::endpoints, EndpointSchema(),
                "The Redis endpoints; at least one when failover.redis is present.");
  s.Check([](const RedisConfig& c, CheckReporter& reporter) {
    if (reporter.SectionPresent() && c.endpoints.empty()) {
      reporter.Error("endpoints", "at least one endpoint is required");
    }
    CheckUniqueNames(c.endpoints, [&](size_t index, size_t first) {
      reporter.Error(absl::StrCat("endpoints[", index, "].name"), DuplicateName(first));
    });
  });
  return s;
}

absl::StatusOr<SectionHandle<RedisConfig>> AddRedisSection(ConfigLoader& loader) {
  return loader.AddSection(kRedisSectionPath, RedisConfigSchema());
}

namespace {

// The endpoint rules of the schema, for a RedisConfig that did not come from the loader. The
// message reads like the loader's problem would.
absl::Status CheckEndpoints(const std::vector<RedisEndpointConfig>& endpoints) {
  const std::string path = absl::StrCat(kRedisSectionPath, ".endpoints");
  if (endpoints.empty()) {
    return Invalid(absl::StrCat(path, ": at least one endpoint is required"));
  }
  auto bad = [&](size_t i, absl::string_view key, std::string value, const absl::Status& s) {
    return Invalid(ConfigProblem{absl::StrCat(path, "[", i, "].", key), std::move(value),
                                 std::string(s.message())}
                       .Message());
  };
  for (size_t i = 0; i < endpoints.size(); ++i) {
    const RedisEndpointConfig& e = endpoints[i];
    if (absl::Status s = CheckName(e.name); !s.ok()) return bad(i, "name", e.name, s);
    if (absl::Status s = CheckUri(e.uri); !s.ok()) return bad(i, "uri", RedactRedisUri(e.uri), s);
    if (absl::Status s = CheckWeight(e.weight); !s.ok()) {
      return bad(i, "weight", absl::StrCat(e.weight), s);
    }
  }
  absl::Status duplicate;
  CheckUniqueNames(endpoints, [&](size_t index, size_t first) {
    if (duplicate.ok()) {
      duplicate = bad(index, "name", endpoints[index].name, Invalid(DuplicateName(first)));
    }
  });
  return duplicate;
}

}  // namespace

absl::StatusOr<RedisClientOptions> ToClientOptions(const RedisConfig& c) {
  if (absl::Status s = CheckEndpoints(c.endpoints); !s.ok()) return s;
  RedisClientOptions o;
  for (const RedisEndpointConfig& e : c.endpoints) {
    o.endpoints.push_back(RedisEndpointOptions{e.name, e.uri, e.weight, e.health_check});
  }
  o.connection.connect_timeout = c.connect_timeout;
  o.connection.socket_timeout = c.socket_timeout;
  o.connection.client_name = c.client_name;

  o.pool.max_total = c.pool.max_total;
  o.pool.max_idle = c.pool.max_idle;
  o.pool.min_idle = c.pool.min_idle;
  o.pool.max_wait = c.pool.max_wait;
  o.pool.test_while_idle = c.pool.test_while_idle;

  o.health_check.interval = c.health_check.interval;
  o.health_check.timeout = c.health_check.timeout;
  o.health_check.probes = c.health_check.probes;
  o.health_check.probe_delay = c.health_check.probe_delay;
  o.health_check.policy = c.health_check.policy;
  o.health_strategy = c.health_check.strategy;
  o.check_active_only_when_idle = c.health_check.active_only_when_idle;

  // The rest of the breaker (time-based window, automatic HALF_OPEN, which codes count) stays as
  // DefaultRedisBreakerOptions() has it.
  CircuitBreakerOptions& b = o.circuit_breaker;
  b.sliding_window_duration = c.circuit_breaker.window;
  b.time_window_buckets = c.circuit_breaker.buckets;
  b.minimum_number_of_calls = c.circuit_breaker.min_calls;
  b.minimum_number_of_failures = c.circuit_breaker.min_failures;
  b.failure_rate_threshold = c.circuit_breaker.failure_rate_threshold;
  b.slow_call_duration_threshold = c.circuit_breaker.slow_call_duration;
  b.slow_call_rate_threshold = c.circuit_breaker.slow_call_rate_threshold;
  b.consecutive_failures_threshold = c.circuit_breaker.consecutive_failures;
  b.wait_duration_in_open_state = c.circuit_breaker.open_wait.value_or(c.failback.grace_period);
  b.open_wait_multiplier = c.circuit_breaker.open_wait_multiplier;
  b.max_wait_duration_in_open_state = c.circuit_breaker.max_open_wait;
  b.permitted_number_of_calls_in_half_open_state = c.circuit_breaker.half_open_calls;

  o.retry.max_attempts = c.retry.max_attempts;
  o.retry.wait = c.retry.wait;
  o.retry.backoff_multiplier = c.retry.multiplier;
  o.retry.max_wait = c.retry.max_wait;
  o.retry.jitter = c.retry.jitter;

  o.retry_on_failover = c.retry_on_failover;
  o.fast_failover = c.fast_failover;
  o.failback.supported = c.failback.supported;
  o.failback.check_interval = c.failback.check_interval;
  o.failback.grace_period = c.failback.grace_period;
  o.startup.policy = c.startup.policy;
  o.startup.max_wait = c.startup.max_wait;
  o.all_down.max_attempts = c.all_down.max_attempts;
  o.all_down.delay = c.all_down.delay;

  // A loaded RedisConfig always passes (the schema checks the same rules); this catches one
  // filled by hand.
  if (absl::Status s = o.Validate(); !s.ok()) {
    return Invalid(absl::StrCat(kRedisSectionPath, ": ", s.message()));
  }
  return o;
}

}  // namespace redis
}  // namespace failover
