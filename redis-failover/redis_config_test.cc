#include "redis-failover/redis_config.h"

#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "core/config/config_loader.h"
#include "core/config/failover_config_loader.h"
#include "gtest/gtest.h"

namespace failover {
namespace redis {
namespace {

// The configuration from the issue: the contract.
constexpr char kIssueYaml[] = R"(failover:
  redis:
    endpoints:
      - { name: east, uri: "redis://127.0.0.1:6379", weight: 1.0 }
      - { name: west, uri: "redis://127.0.0.1:6380", weight: 0.5 }
    socket-timeout: 200ms
    connect-timeout: 200ms
    health-check: { interval: 100ms, timeout: 50ms, probes: 1, policy: all }
    failback: { supported: true, check-interval: 200ms, grace-period: 1s }
    circuit-breaker: { window: 1s, min-failures: 3, failure-rate-threshold: 50 }
    retry: { max-attempts: 2, wait: 10ms, multiplier: 2 }
    fast-failover: true
)";

// The framework's section and the Redis section on one loader, as a service (and failoverctl)
// registers them.
class RedisConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(AddFailoverSection(loader_).ok());
    absl::StatusOr<SectionHandle<RedisConfig>> redis = AddRedisSection(loader_);
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_.emplace(*redis);
  }

  ConfigLoadResult Load(absl::string_view yaml, const Environment& env = {}) {
    return loader_.Load(yaml, env);
  }
  const RedisConfig& Redis(const ConfigLoadResult& result) { return result.Get(*redis_); }

  static std::vector<std::string> Problems(const ConfigLoadResult& result) {
    std::vector<std::string> out;
    for (const ConfigProblem& p : result.problems()) out.push_back(p.ToString());
    return out;
  }

  ConfigLoader loader_;
  std::optional<SectionHandle<RedisConfig>> redis_;
};

TEST_F(RedisConfigTest, IssueYamlLoadsAndConvertsToTheClientOptions) {
  const ConfigLoadResult result = Load(kIssueYaml);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result.warnings().empty());
  absl::StatusOr<RedisClientOptions> options = ToClientOptions(Redis(result));
  ASSERT_TRUE(options.ok()) << options.status();
  const RedisClientOptions& o = *options;

  ASSERT_EQ(o.endpoints.size(), 2);
  EXPECT_EQ(o.endpoints[0].name, "east");
  EXPECT_EQ(o.endpoints[0].uri, "redis://127.0.0.1:6379");
  EXPECT_EQ(o.endpoints[0].weight, 1.0);
  EXPECT_TRUE(o.endpoints[0].health_check);
  EXPECT_EQ(o.endpoints[1].name, "west");
  EXPECT_EQ(o.endpoints[1].uri, "redis://127.0.0.1:6380");
  EXPECT_EQ(o.endpoints[1].weight, 0.5);
  EXPECT_EQ(o.connection.socket_timeout, absl::Milliseconds(200));
  EXPECT_EQ(o.connection.connect_timeout, absl::Milliseconds(200));
  EXPECT_EQ(o.health_check.interval, absl::Milliseconds(100));
  EXPECT_EQ(o.health_check.timeout, absl::Milliseconds(50));
  EXPECT_EQ(o.health_check.probes, 1);
  EXPECT_EQ(o.health_check.policy, ProbePolicy::kAll);
  EXPECT_TRUE(o.failback.supported);
  EXPECT_EQ(o.failback.check_interval, absl::Milliseconds(200));
  EXPECT_EQ(o.failback.grace_period, absl::Seconds(1));
  EXPECT_EQ(o.circuit_breaker.sliding_window_type, SlidingWindowType::kTimeBased);
  EXPECT_EQ(o.circuit_breaker.sliding_window_duration, absl::Seconds(1));
  EXPECT_EQ(o.circuit_breaker.minimum_number_of_failures, 3);
  EXPECT_EQ(o.circuit_breaker.failure_rate_threshold, 50);
  // open-wait is not set: it follows the grace period, so a tripped east is back after 1 s.
  EXPECT_EQ(o.circuit_breaker.wait_duration_in_open_state, absl::Seconds(1));
  EXPECT_EQ(o.circuit_breaker.consecutive_failures_threshold, 5);
  EXPECT_EQ(o.retry.max_attempts, 2);
  EXPECT_EQ(o.retry.wait, absl::Milliseconds(10));
  EXPECT_EQ(o.retry.backoff_multiplier, 2.0);
  EXPECT_TRUE(o.fast_failover);
  // Not in the file: defaults.
  EXPECT_EQ(o.pool.max_total, 8);
  EXPECT_EQ(o.startup.policy, StartupPolicy::kOne);
  EXPECT_FALSE(o.retry_on_failover);
  EXPECT_TRUE(o.Validate().ok());
}

TEST(RedisConfigDefaultsTest, EveryDefaultIsTheClientOptionsDefault) {
  RedisConfig config;
  config.endpoints.push_back({"only", "redis://h", 1.0, true});
  absl::StatusOr<RedisClientOptions> converted = ToClientOptions(config);
  ASSERT_TRUE(converted.ok()) << converted.status();
  const RedisClientOptions& got = *converted;
  const RedisClientOptions want;

  EXPECT_EQ(got.connection.connect_timeout, want.connection.connect_timeout);
  EXPECT_EQ(got.connection.socket_timeout, want.connection.socket_timeout);
  EXPECT_EQ(got.connection.client_name, want.connection.client_name);

  EXPECT_EQ(got.pool.max_total, want.pool.max_total);
  EXPECT_EQ(got.pool.max_idle, want.pool.max_idle);
  EXPECT_EQ(got.pool.min_idle, want.pool.min_idle);
  EXPECT_EQ(got.pool.max_wait, want.pool.max_wait);
  EXPECT_EQ(got.pool.test_while_idle, want.pool.test_while_idle);

  EXPECT_EQ(got.health_check.interval, want.health_check.interval);
  EXPECT_EQ(got.health_check.timeout, want.health_check.timeout);
  EXPECT_EQ(got.health_check.probes, want.health_check.probes);
  EXPECT_EQ(got.health_check.probe_delay, want.health_check.probe_delay);
  EXPECT_EQ(got.health_check.policy, want.health_check.policy);
  EXPECT_EQ(got.health_strategy, want.health_strategy);
  EXPECT_FALSE(static_cast<bool>(got.custom_probe));
  EXPECT_EQ(got.check_active_only_when_idle, want.check_active_only_when_idle);

  const CircuitBreakerOptions& b = got.circuit_breaker;
  const CircuitBreakerOptions& wb = want.circuit_breaker;
  EXPECT_EQ(b.sliding_window_type, wb.sliding_window_type);
  EXPECT_EQ(b.sliding_window_size, wb.sliding_window_size);
  EXPECT_EQ(b.sliding_window_duration, wb.sliding_window_duration);
  EXPECT_EQ(b.time_window_buckets, wb.time_window_buckets);
  EXPECT_EQ(b.minimum_number_of_calls, wb.minimum_number_of_calls);
  EXPECT_EQ(b.minimum_number_of_failures, wb.minimum_number_of_failures);
  EXPECT_EQ(b.failure_rate_threshold, wb.failure_rate_threshold);
  EXPECT_EQ(b.slow_call_duration_threshold, wb.slow_call_duration_threshold);
  EXPECT_EQ(b.slow_call_rate_threshold, wb.slow_call_rate_threshold);
  EXPECT_EQ(b.consecutive_failures_threshold, wb.consecutive_failures_threshold);
  EXPECT_EQ(b.wait_duration_in_open_state, wb.wait_duration_in_open_state);
  EXPECT_EQ(b.open_wait_multiplier, wb.open_wait_multiplier);
  EXPECT_EQ(b.max_wait_duration_in_open_state, wb.max_wait_duration_in_open_state);
  EXPECT_EQ(b.automatic_transition_from_open_to_half_open,
            wb.automatic_transition_from_open_to_half_open);
  EXPECT_EQ(b.permitted_number_of_calls_in_half_open_state,
            wb.permitted_number_of_calls_in_half_open_state);
  EXPECT_EQ(b.max_wait_duration_in_half_open_state, wb.max_wait_duration_in_half_open_state);
  EXPECT_EQ(b.record_codes, wb.record_codes);
  EXPECT_EQ(b.ignore_codes, wb.ignore_codes);
  EXPECT_FALSE(static_cast<bool>(b.record_predicate));
  EXPECT_FALSE(static_cast<bool>(b.ignore_predicate));

  const RetryOptions& r = got.retry;
  const RetryOptions& wr = want.retry;
  EXPECT_EQ(r.max_attempts, wr.max_attempts);
  EXPECT_EQ(r.wait, wr.wait);
  EXPECT_EQ(r.backoff_multiplier, wr.backoff_multiplier);
  EXPECT_EQ(r.max_wait, wr.max_wait);
  EXPECT_EQ(r.jitter, wr.jitter);
  EXPECT_EQ(r.retry_on_codes, wr.retry_on_codes);
  EXPECT_EQ(r.ignore_codes, wr.ignore_codes);
  EXPECT_EQ(r.deadline, wr.deadline);
  EXPECT_FALSE(static_cast<bool>(r.retry_if));
  EXPECT_FALSE(static_cast<bool>(r.ignore_if));

  EXPECT_EQ(got.failback.supported, want.failback.supported);
  EXPECT_EQ(got.failback.check_interval, want.failback.check_interval);
  EXPECT_EQ(got.failback.grace_period, want.failback.grace_period);
  EXPECT_EQ(got.startup.policy, want.startup.policy);
  EXPECT_EQ(got.startup.max_wait, want.startup.max_wait);
  EXPECT_EQ(got.all_down.max_attempts, want.all_down.max_attempts);
  EXPECT_EQ(got.all_down.delay, want.all_down.delay);
  EXPECT_EQ(got.fast_failover, want.fast_failover);
  EXPECT_EQ(got.retry_on_failover, want.retry_on_failover);
  EXPECT_FALSE(static_cast<bool>(got.connection_factory));

  // An endpoint's defaults are RedisEndpointOptions'.
  const RedisEndpointConfig endpoint;
  const RedisEndpointOptions endpoint_options;
  EXPECT_EQ(endpoint.weight, endpoint_options.weight);
  EXPECT_EQ(endpoint.health_check, endpoint_options.health_check);
}

TEST_F(RedisConfigTest, AbsentSectionLoadsWithDefaultsButDoesNotConvert) {
  const ConfigLoadResult result = Load("failover:\n  store:\n    type: jdbc\n");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(Redis(result).endpoints.empty());
  absl::StatusOr<RedisClientOptions> options = ToClientOptions(Redis(result));
  EXPECT_EQ(options.status(), absl::InvalidArgumentError(
                                  "failover.redis.endpoints: at least one endpoint is required"));
}

TEST_F(RedisConfigTest, PresentSectionNeedsAnEndpoint) {
  EXPECT_EQ(
      Problems(Load("failover:\n  redis:\n    fast-failover: true\n")),
      std::vector<std::string>{"failover.redis.endpoints: at least one endpoint is required"});
  EXPECT_EQ(Problems(Load("failover.redis.endpoints: []\n")),
            std::vector<std::string>{
                "failover.redis.endpoints: at least one endpoint is required (line 1, column 27)"});
}

TEST_F(RedisConfigTest, EveryKeyBinds) {
  const ConfigLoadResult result = Load(R"(failover:
  redis:
    endpoints:
      - name: east
        uri: redis://app:pw@10.0.0.1:6379/2
        weight: 2
        health-check: false
      - name: west
        uri: redis://10.0.1.1
    connect-timeout: 1s
    socket-timeout: 3s
    client-name: orders
    pool: { max-total: 16, max-idle: 4, min-idle: 2, max-wait: 0, test-while-idle: false }
    health-check:
      interval: 2s
      timeout: 300ms
      probes: 5
      probe-delay: 50ms
      policy: MAJORITY
      strategy: echo
      active-only-when-idle: true
    circuit-breaker:
      window: 10s
      buckets: 10
      min-calls: 20
      min-failures: 0
      failure-rate-threshold: 25.5
      slow-call-duration: 2s
      slow-call-rate-threshold: 80
      consecutive-failures: 5
      open-wait: 30s
      open-wait-multiplier: 2
      max-open-wait: 10m
      half-open-calls: 7
    retry: { max-attempts: 4, wait: 100ms, multiplier: 3, max-wait: 2s, jitter: 0.2 }
    retry-on-failover: true
    fast-failover: true
    failback: { supported: false, check-interval: 1s, grace-period: 0s }
    startup: { policy: majority, max-wait: 10s }
    all-down: { max-attempts: 3, delay: 500ms }
)");
  ASSERT_TRUE(result.ok()) << result.status();
  absl::StatusOr<RedisClientOptions> options = ToClientOptions(Redis(result));
  ASSERT_TRUE(options.ok()) << options.status();
  const RedisClientOptions& o = *options;
  EXPECT_EQ(o.endpoints[0].uri, "redis://app:pw@10.0.0.1:6379/2");
  EXPECT_EQ(o.endpoints[0].weight, 2.0);
  EXPECT_FALSE(o.endpoints[0].health_check);
  EXPECT_EQ(o.endpoints[1].weight, 1.0);
  EXPECT_EQ(o.connection.connect_timeout, absl::Seconds(1));
  EXPECT_EQ(o.connection.socket_timeout, absl::Seconds(3));
  EXPECT_EQ(o.connection.client_name, "orders");
  EXPECT_EQ(o.pool.max_total, 16);
  EXPECT_EQ(o.pool.max_idle, 4);
  EXPECT_EQ(o.pool.min_idle, 2);
  EXPECT_EQ(o.pool.max_wait, absl::ZeroDuration());
  EXPECT_FALSE(o.pool.test_while_idle);
  EXPECT_EQ(o.health_check.interval, absl::Seconds(2));
  EXPECT_EQ(o.health_check.timeout, absl::Milliseconds(300));
  EXPECT_EQ(o.health_check.probes, 5);
  EXPECT_EQ(o.health_check.probe_delay, absl::Milliseconds(50));
  EXPECT_EQ(o.health_check.policy, ProbePolicy::kMajority);
  EXPECT_EQ(o.health_strategy, HealthStrategy::kEcho);
  EXPECT_TRUE(o.check_active_only_when_idle);
  const CircuitBreakerOptions& b = o.circuit_breaker;
  EXPECT_EQ(b.sliding_window_duration, absl::Seconds(10));
  EXPECT_EQ(b.time_window_buckets, 10);
  EXPECT_EQ(b.minimum_number_of_calls, 20);
  EXPECT_EQ(b.minimum_number_of_failures, 0);
  EXPECT_EQ(b.failure_rate_threshold, 25.5);
  EXPECT_EQ(b.slow_call_duration_threshold, absl::Seconds(2));
  EXPECT_EQ(b.slow_call_rate_threshold, 80);
  EXPECT_EQ(b.consecutive_failures_threshold, 5);
  EXPECT_EQ(b.wait_duration_in_open_state, absl::Seconds(30));
  EXPECT_EQ(b.open_wait_multiplier, 2.0);
  EXPECT_EQ(b.max_wait_duration_in_open_state, absl::Minutes(10));
  EXPECT_EQ(b.permitted_number_of_calls_in_half_open_state, 7);
  EXPECT_EQ(o.retry.max_attempts, 4);
  EXPECT_EQ(o.retry.wait, absl::Milliseconds(100));
  EXPECT_EQ(o.retry.backoff_multiplier, 3.0);
  EXPECT_EQ(o.retry.max_wait, absl::Seconds(2));
  EXPECT_EQ(o.retry.jitter, 0.2);
  EXPECT_TRUE(o.retry_on_failover);
  EXPECT_TRUE(o.fast_failover);
  EXPECT_FALSE(o.failback.supported);
  EXPECT_EQ(o.failback.check_interval, absl::Seconds(1));
  EXPECT_EQ(o.failback.grace_period, absl::ZeroDuration());
  EXPECT_EQ(o.startup.policy, StartupPolicy::kMajority);
  EXPECT_EQ(o.startup.max_wait, absl::Seconds(10));
  EXPECT_EQ(o.all_down.max_attempts, 3);
  EXPECT_EQ(o.all_down.delay, absl::Milliseconds(500));
}

TEST_F(RedisConfigTest, BadValuesNameTheirPathAndPosition) {
  const ConfigLoadResult result = Load(R"(failover:
  redis:
    endpoints:
      - { name: east, uri: "redis://127.0.0.1:6379", weight: 1.0 }
      - { name: west, uri: "redis://app:s3cret@127.0.0.1:99999", weight: -0.5 }
    socket-timeout: soon
    health-check: { interval: 100ms, timout: 50ms, policy: most }
    circuit-breaker: { failure-rate-threshold: 0, buckets: 0 }
)");
  EXPECT_EQ(Problems(result),
            (std::vector<std::string>{
                "failover.redis.endpoints[1].uri: 'redis://app:****@127.0.0.1:99999' is not a "
                "valid redis URI: port '99999' is not in 1..65535 (expected "
                "redis://[user:password@]host[:port][/db]) (line 5, column 28)",
                "failover.redis.endpoints[1].weight: '-0.5' must be a finite number >= 0 (line 5, "
                "column 74)",
                "failover.redis.socket-timeout: 'soon' is not a duration (expected e.g. 500ms, "
                "10s, 7d or PT10S) (line 6, column 21)",
                "failover.redis.health-check.timout: unknown property; did you mean "
                "failover.redis.health-check.timeout? (line 7, column 38)",
                "failover.redis.health-check.policy: 'most' is not a ProbePolicy (expected one of "
                "all, majority, any) (line 7, column 60)",
                "failover.redis.circuit-breaker.failure-rate-threshold: '0' must be a percentage "
                "in (0, 100] (line 8, column 48)",
                "failover.redis.circuit-breaker.buckets: '0' must be at least 1 (line 8, column "
                "60)"}));
}

TEST_F(RedisConfigTest, UnknownKeysGetSuggestions) {
  EXPECT_EQ(
      Problems(Load("failover:\n"
                    "  redis:\n"
                    "    endpoints:\n"
                    "      - {name: a, url: \"redis://h\"}\n"
                    "    socket-timout: 1s\n"
                    "    retry: {max-attempt: 2}\n")),
      (std::vector<std::string>{// The misspelt key is unknown, so uri is missing too.
                                "failover.redis.endpoints[0].uri: '' must be set, e.g. "
                                "redis://host:6379 (line 4, column 9)",
                                "failover.redis.endpoints[0].url: unknown property; did you mean "
                                "failover.redis.endpoints[0].uri? (line 4, column 19)",
                                "failover.redis.socket-timout: unknown property; did you mean "
                                "failover.redis.socket-timeout? (line 5, column 5)",
                                "failover.redis.retry.max-attempt: unknown property; did you mean "
                                "failover.redis.retry.max-attempts? (line 6, column 13)"}));
}

TEST_F(RedisConfigTest, NamesMustBeUniqueAndNotEmpty) {
  EXPECT_EQ(Problems(Load("failover.redis.endpoints:\n"
                          "  - {name: east, uri: \"redis://a\"}\n"
                          "  - {name: west, uri: \"redis://b\"}\n"
                          "  - {name: east, uri: \"redis://c\"}\n")),
            std::vector<std::string>{
                "failover.redis.endpoints[2].name: 'east' is also the name of endpoints[0]; names "
                "must be unique (line 4, column 12)"});
  EXPECT_EQ(Problems(Load("failover.redis.endpoints:\n  - {uri: \"redis://a\"}\n")),
            std::vector<std::string>{
                "failover.redis.endpoints[0].name: '' must not be empty: every endpoint needs a "
                "unique name (line 2, column 5)"});
  EXPECT_EQ(Problems(Load("failover.redis.endpoints:\n  - {name: a}\n")),
            std::vector<std::string>{
                "failover.redis.endpoints[0].uri: '' must be set, e.g. redis://host:6379 (line 2, "
                "column 5)"});
}

TEST_F(RedisConfigTest, EndpointsMustBeAListOfMaps) {
  EXPECT_EQ(Problems(Load("failover.redis.endpoints: redis://a, redis://b\n")),
            std::vector<std::string>{
                "failover.redis.endpoints: is a list: expected a YAML list (one '- ' item or "
                "{...} per element), got a scalar (line 1, column 27)"});
  EXPECT_EQ(Problems(Load("failover.redis.endpoints:\n  east: {uri: \"redis://a\"}\n")),
            std::vector<std::string>{
                "failover.redis.endpoints: is a list: expected a YAML list (one '- ' item or "
                "{...} per element), got a map (line 2, column 3)"});
  EXPECT_EQ(Problems(Load("failover.redis.endpoints:\n  - redis://:s3cret@a\n")),
            std::vector<std::string>{
                "failover.redis.endpoints[0]: is a list element: expected a map of its "
                "properties (name, uri, weight, health-check), got a scalar (line 2, column 5)"});
}

TEST_F(RedisConfigTest, EnumsAcceptTheirNamesOnly) {
  const ConfigLoadResult result = Load(
      "failover.redis:\n"
      "  endpoints: [{name: a, uri: \"redis://a\"}]\n"
      "  health-check: {strategy: custom}\n"
      "  startup: {policy: any}\n");
  EXPECT_EQ(Problems(result),
            (std::vector<std::string>{
                "failover.redis.health-check.strategy: 'custom' is not a HealthStrategy (expected "
                "one of ping, echo) (line 3, column 28)",
                "failover.redis.startup.policy: 'any' is not a StartupPolicy (expected one of all, "
                "majority, one) (line 4, column 21)"}));
}

TEST_F(RedisConfigTest, CrossFieldRulesBlameTheKeyThatWasSet) {
  auto problems = [&](absl::string_view extra) {
    return Problems(
        Load(absl::StrCat("failover.redis:\n"
                          "  endpoints: [{name: a, uri: \"redis://a\"}]\n",
                          extra)));
  };
  EXPECT_EQ(problems("  pool: {max-idle: 9}\n"),
            std::vector<std::string>{
                "failover.redis.pool.max-idle: '9' must not exceed max-total (8) (line 3, column "
                "20)"});
  EXPECT_EQ(problems("  pool: {max-total: 4}\n"),
            std::vector<std::string>{
                "failover.redis.pool.max-total: '4' must be at least max-idle (8) (line 3, column "
                "21)"});
  EXPECT_EQ(problems("  pool: {min-idle: 9}\n"),
            std::vector<std::string>{
                "failover.redis.pool.min-idle: '9' must not exceed max-idle (8) (line 3, column "
                "20)"});
  EXPECT_EQ(problems("  circuit-breaker: {open-wait: 1m, max-open-wait: 10s}\n"),
            std::vector<std::string>{
                "failover.redis.circuit-breaker.open-wait: '1m' must not exceed max-open-wait "
                "(10s) (line 3, column 32)"});
  EXPECT_EQ(problems("  retry: {wait: 1m}\n"),
            std::vector<std::string>{
                "failover.redis.retry.wait: '1m' must not exceed max-wait (30s) (line 3, column "
                "17)"});
  EXPECT_EQ(problems("  circuit-breaker: {window: 5ns}\n"),
            std::vector<std::string>{
                "failover.redis.circuit-breaker.window: '5ns' must be at least 1ns per bucket (20 "
                "buckets) (line 3, column 29)"});
}

TEST_F(RedisConfigTest, PasswordsNeverAppearVerbatim) {
  const ConfigLoadResult result = Load(
      R"(failover.redis.endpoints:
  - {name: a, uri: "redis://:s3cret@h:0"}
  - {name: b, uri: "redis:/:s3cret@h"}
  - {name: c, uri: "redis://s3cret@h"}
  - {name: d, uri: "redis://:s3/cret@h"}
  - {name: e, uri: "rediss://u:s3cret@h"}
  - {name: f, uri: "redis://:${S3CRET}@h"}
  - {name: g, uri: "redis://u:s3%zz@h"}
)",
      {{"FAILOVER_REDIS_ENDPOINTS_5_URI", "redis://u:s3cret@h:x"}});
  ASSERT_EQ(result.problems().size(), 7) << result.status();
  EXPECT_EQ(result.problems()[0].value, "redis://:****@h:0");
  EXPECT_EQ(result.problems()[1].value, "redis:****@h");
  EXPECT_EQ(result.problems()[2].value, "redis://****@h");
  EXPECT_EQ(result.problems()[3].value, "redis://:****@h");
  EXPECT_EQ(result.problems()[3].expected,
            "is not a valid redis URI: database '****@h' is not a number >= 0 (expected "
            "redis://[user:password@]host[:port][/db])");
  EXPECT_EQ(result.problems()[6].ToString(),
            "failover.redis.endpoints[5].uri: 'redis://u:****@h:x' is not a valid redis URI: port "
            "'x' is not in 1..65535 (expected redis://[user:password@]host[:port][/db]) (from "
            "environment variable FAILOVER_REDIS_ENDPOINTS_5_URI)");
  EXPECT_EQ(result.problems()[5].ToString(),
            "failover.redis.endpoints[6].uri: 'redis://u:****@h' is not a valid redis URI: bad "
            "%-escape in the password (expected redis://[user:password@]host[:port][/db]) (line 8, "
            "column 20)");
  for (const ConfigProblem& p : result.problems()) {
    EXPECT_FALSE(absl::StrContains(p.ToString(), "s3")) << p.ToString();
  }
  // The placeholder warning of the file's f (before the environment replaced it) is masked too.
  ASSERT_EQ(result.warnings().size(), 0);
  const ConfigLoadResult placeholder =
      Load("failover.redis.endpoints: [{name: f, uri: \"redis://:${S3CRET}@h\"}]\n");
  ASSERT_TRUE(placeholder.ok()) << placeholder.status();
  ASSERT_EQ(placeholder.warnings().size(), 1);
  EXPECT_EQ(placeholder.warnings()[0].value, "redis://:****@h");

  RedisConfig by_hand;
  by_hand.endpoints.push_back({"a", "redis://user:s3cret@h:0"});
  EXPECT_EQ(ToClientOptions(by_hand).status().message(),
            "failover.redis.endpoints[0].uri: 'redis://user:****@h:0' is not a valid redis URI: "
            "port '0' is not in 1..65535 (expected redis://[user:password@]host[:port][/db])");
}

TEST_F(RedisConfigTest, EnvironmentOverridesEndpointsAndOptions) {
  const ConfigLoadResult result =
      Load(kIssueYaml, {{"FAILOVER_REDIS_ENDPOINTS_0_URI", "redis://10.0.0.9:7000"},
                        {"FAILOVER_REDIS_ENDPOINTS_1_WEIGHT", "2"},
                        {"FAILOVER_REDIS_ENDPOINTS_1_HEALTH_CHECK", "false"},
                        {"FAILOVER_REDIS_ENDPOINTS_2_NAME", "north"},
                        {"FAILOVER_REDIS_ENDPOINTS_2_URI", "redis://10.0.2.1"},
                        {"FAILOVER_REDIS_HEALTHCHECK_POLICY", "majority"},
                        {"FAILOVER_REDIS_CIRCUIT_BREAKER_MIN_FAILURES", "5"},
                        {"FAILOVER_REDIS_SOCKETTIMEOUT", "1s"}});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result.warnings().empty());
  const RedisConfig& c = Redis(result);
  ASSERT_EQ(c.endpoints.size(), 3);
  EXPECT_EQ(c.endpoints[0].name, "east");
  EXPECT_EQ(c.endpoints[0].uri, "redis://10.0.0.9:7000");
  EXPECT_EQ(c.endpoints[1].weight, 2.0);
  EXPECT_FALSE(c.endpoints[1].health_check);
  EXPECT_EQ(c.endpoints[2].name, "north");
  EXPECT_EQ(c.health_check.policy, ProbePolicy::kMajority);
  EXPECT_EQ(c.circuit_breaker.min_failures, 5);
  EXPECT_EQ(c.socket_timeout, absl::Seconds(1));
  // And with no file at all, the environment alone configures the client.
  const ConfigLoadResult env_only = Load("", {{"FAILOVER_REDIS_ENDPOINTS_0_NAME", "a"},
                                              {"FAILOVER_REDIS_ENDPOINTS_0_URI", "redis://h"}});
  ASSERT_TRUE(env_only.ok()) << env_only.status();
  EXPECT_TRUE(ToClientOptions(Redis(env_only)).ok());
}

TEST_F(RedisConfigTest, DescribesEveryKey) {
  std::map<std::string, PropertyDescription> rows;
  for (PropertyDescription& row : loader_.DescribeProperties()) {
    if (absl::StartsWith(row.path, "failover.redis.")) rows[row.path] = row;
  }
  EXPECT_EQ(rows.size(), 46);  // the list row, 4 per endpoint and 41 options
  EXPECT_EQ(rows.at("failover.redis.endpoints").type, "List<section>");
  const PropertyDescription& uri = rows.at("failover.redis.endpoints[].uri");
  EXPECT_EQ(uri.env_var, "FAILOVER_REDIS_ENDPOINTS_<INDEX>_URI");
  EXPECT_EQ(uri.type, "String");
  EXPECT_EQ(rows.at("failover.redis.endpoints[].weight").default_value, "1.0");
  EXPECT_EQ(rows.at("failover.redis.socket-timeout").default_value, "2s");
  EXPECT_EQ(rows.at("failover.redis.pool.max-wait").default_value, "1s");
  EXPECT_EQ(rows.at("failover.redis.health-check.probe-delay").default_value, "500ms");
  EXPECT_EQ(rows.at("failover.redis.health-check.policy").allowed, "all | majority | any");
  EXPECT_EQ(rows.at("failover.redis.health-check.strategy").allowed, "ping | echo");
  EXPECT_EQ(rows.at("failover.redis.startup.policy").default_value, "one");
  EXPECT_EQ(rows.at("failover.redis.circuit-breaker.max-open-wait").default_value, "1h");
  EXPECT_EQ(rows.at("failover.redis.circuit-breaker.failure-rate-threshold").default_value, "50.0");
  EXPECT_EQ(rows.at("failover.redis.all-down.delay").env_var, "FAILOVER_REDIS_ALLDOWN_DELAY");
}

TEST(RedisConfigConversionTest, HandBuiltConfigsAreChecked) {
  RedisConfig config;
  config.endpoints = {{"a", "redis://a"}, {"a", "redis://b"}};
  EXPECT_EQ(ToClientOptions(config).status().message(),
            "failover.redis.endpoints[1].name: 'a' is also the name of endpoints[0]; names must "
            "be unique");
  config.endpoints = {{" ", "redis://a"}};
  EXPECT_EQ(ToClientOptions(config).status().message(),
            "failover.redis.endpoints[0].name: ' ' must not be empty: every endpoint needs a "
            "unique name");
  config.endpoints = {{"a", "redis://a", std::numeric_limits<double>::quiet_NaN()}};
  EXPECT_EQ(ToClientOptions(config).status().message(),
            "failover.redis.endpoints[0].weight: 'nan' must be a finite number >= 0");
  config.endpoints = {{"a", "redis://a"}};
  config.pool.max_idle = 9;
  EXPECT_EQ(ToClientOptions(config).status().message(),
            "failover.redis: pool: connection pool max_idle must be in 0..8 (max_total), got 9");
  config.pool.max_idle = 8;
  config.health_check.strategy = HealthStrategy::kCustom;  // needs a probe given in code
  EXPECT_EQ(ToClientOptions(config).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace redis
}  // namespace failover
