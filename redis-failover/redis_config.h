// The `failover.redis` section of the YAML configuration: RedisConfig mirrors the YAML keys one to
// one, RedisConfigSchema() declares them (defaults, validation, docs), and ToClientOptions()
// turns a loaded section into the RedisClientOptions a client is built from. Every default equals
// the default of a default-constructed RedisClientOptions; docs/config.md lists the keys.
//
//   failover::ConfigLoader loader;
//   auto redis = failover::redis::AddRedisSection(loader);  // next to AddFailoverSection(loader)
//   failover::ConfigLoadResult result = loader.Load(yaml_text, failover::ProcessEnvironment());
//   if (!result.ok()) return result.status();  // every problem, with paths and lines
//   absl::StatusOr<failover::redis::RedisClientOptions> options =
//       failover::redis::ToClientOptions(result.Get(*redis));
//   if (!options.ok()) return options.status();  // e.g. no failover.redis section at all
//
//   failover:
//     redis:
//       endpoints:
//         - { name: east, uri: "redis://127.0.0.1:6379", weight: 1.0 }
//         - { name: west, uri: "redis://127.0.0.1:6380", weight: 0.5 }
//       socket-timeout: 200ms
//       health-check: { interval: 100ms, timeout: 50ms, probes: 1, policy: all }
//
// Endpoint URIs may hold a password: wherever a URI appears in a problem, the password is masked.
// The structs are plain values; copy freely.
#ifndef FAILOVER_REDIS_FAILOVER_REDIS_CONFIG_H_
#define FAILOVER_REDIS_FAILOVER_REDIS_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/config/config_loader.h"
#include "core/config/config_schema.h"
#include "core/config/config_value.h"
#include "redis-failover/health_probe.h"
#include "redis-failover/redis_client_options.h"

namespace failover {
namespace redis {

inline constexpr char kRedisSectionPath[] = "failover.redis";

// endpoints[]: one Redis endpoint.
struct RedisEndpointConfig {
  std::string name;          // name (required): unique, used in events and metrics
  std::string uri;           // uri (required): redis://[user[:password]@]host[:port][/db]
  double weight = 1.0;       // weight: the heaviest usable endpoint is active
  bool health_check = true;  // health-check: false = never probed, counted healthy
};

// pool.*
struct RedisPoolConfig {
  int32_t max_total = 8;                       // max-total
  int32_t max_idle = 8;                        // max-idle
  int32_t min_idle = 0;                        // min-idle
  absl::Duration max_wait = absl::Seconds(1);  // max-wait: when every connection is borrowed
  bool test_while_idle = true;                 // test-while-idle: PING idle connections
};

// health-check.*
struct RedisHealthCheckConfig {
  absl::Duration interval = absl::Seconds(5);            // interval: between round starts
  absl::Duration timeout = absl::Seconds(1);             // timeout: of one probe
  int32_t probes = 3;                                    // probes: per round
  absl::Duration probe_delay = absl::Milliseconds(500);  // probe-delay: between probes
  ProbePolicy policy = ProbePolicy::kAll;                // policy: all | majority | any
  HealthStrategy strategy = HealthStrategy::kPing;       // strategy: ping | echo
  bool active_only_when_idle = false;                    // active-only-when-idle
};

// circuit-breaker.*: one breaker per endpoint, over a time-based sliding window.
struct RedisCircuitBreakerConfig {
  absl::Duration window = absl::Seconds(2);               // window
  int32_t buckets = 20;                                   // buckets
  int32_t min_calls = 1;                                  // min-calls
  int32_t min_failures = 3;                               // min-failures
  double failure_rate_threshold = 50;                     // failure-rate-threshold (percent)
  absl::Duration slow_call_duration = absl::Seconds(60);  // slow-call-duration
  double slow_call_rate_threshold = 100;                  // slow-call-rate-threshold (percent)
  int32_t consecutive_failures = 5;                       // consecutive-failures: 0 = off
  // open-wait: unset = the failback grace period, so a tripped endpoint can come back as soon
  // as its grace period ends.
  std::optional<absl::Duration> open_wait;
  double open_wait_multiplier = 1.0;              // open-wait-multiplier
  absl::Duration max_open_wait = absl::Hours(1);  // max-open-wait
  int32_t half_open_calls = 3;                    // half-open-calls
};

// retry.*: attempts per command, pipeline or transaction.
struct RedisRetryConfig {
  int32_t max_attempts = 3;                       // max-attempts: including the first
  absl::Duration wait = absl::Milliseconds(500);  // wait: before the first retry
  double multiplier = 2.0;                        // multiplier: of each further wait
  absl::Duration max_wait = absl::Seconds(30);    // max-wait: cap on one wait
  double jitter = 0.0;                            // jitter: in [0, 1]
};

// failback.*
struct RedisFailbackConfig {
  bool supported = true;                             // supported
  absl::Duration check_interval = absl::Seconds(5);  // check-interval
  absl::Duration grace_period = absl::Seconds(60);   // grace-period
};

// startup.*
struct RedisStartupConfig {
  StartupPolicy policy = StartupPolicy::kOne;  // policy: all | majority | one
  absl::Duration max_wait = absl::Seconds(3);  // max-wait
};

// all-down.*
struct RedisAllDownConfig {
  int32_t max_attempts = 10;                 // max-attempts
  absl::Duration delay = absl::Seconds(12);  // delay
};

// failover.redis.*
struct RedisConfig {
  std::vector<RedisEndpointConfig> endpoints;         // endpoints: at least one to build a client
  absl::Duration connect_timeout = absl::Seconds(2);  // connect-timeout
  absl::Duration socket_timeout = absl::Seconds(2);   // socket-timeout
  std::string client_name;                            // client-name: CLIENT SETNAME; "" = none
  RedisPoolConfig pool;                               // pool.*
  RedisHealthCheckConfig health_check;                // health-check.*
  RedisCircuitBreakerConfig circuit_breaker;          // circuit-breaker.*
  RedisRetryConfig retry;                             // retry.*
  bool retry_on_failover = false;                     // retry-on-failover
  bool fast_failover = false;                         // fast-failover
  RedisFailbackConfig failback;                       // failback.*
  RedisStartupConfig startup;                         // startup.*
  RedisAllDownConfig all_down;                        // all-down.*
};

// Config names of the client's enums (found by argument-dependent lookup).
ConfigEnumDescription<ProbePolicy> DescribeConfigEnum(ProbePolicy);  // all, majority, any
// ping, echo; kCustom (a probe given in code) has no config name.
ConfigEnumDescription<HealthStrategy> DescribeConfigEnum(HealthStrategy);
ConfigEnumDescription<StartupPolicy> DescribeConfigEnum(StartupPolicy);  // all, majority, one

// Every failover.redis property, with its validation. A section that is present needs at least
// one endpoint; an absent one holds only defaults (and ToClientOptions() refuses it).
ConfigSchema<RedisConfig> RedisConfigSchema();

// Registers RedisConfigSchema() at "failover.redis".
absl::StatusOr<SectionHandle<RedisConfig>> AddRedisSection(ConfigLoader& loader);

// The client's options for `config`. INVALID_ARGUMENT naming the key ("failover.redis.endpoints:
// at least one endpoint is required", "failover.redis.endpoints[1].uri: ...") when `config` could
// not have loaded, e.g. the file had no failover.redis section or the struct was filled by hand.
absl::StatusOr<RedisClientOptions> ToClientOptions(const RedisConfig& config);

}  // namespace redis
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_REDIS_CONFIG_H_
