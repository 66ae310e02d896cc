// RedisClientOptions: everything a RedisFailoverClient is configured with. Defaults are Jedis 7's
// (MultiDbConfig) unless a comment argues otherwise; docs/redis-failover.md has them side by
// side. Usually filled from the `failover.redis` section of the YAML config (redis_config.h),
// or by hand:
//
//   failover::redis::RedisClientOptions options;
//   options.endpoints = {{"east", "redis://10.0.0.1:6379", 1.0},
//                        {"west", "redis://10.0.1.1:6379", 0.5}};
//   options.connection.socket_timeout = absl::Milliseconds(200);
//   options.health_check.interval = absl::Milliseconds(100);
//   options.fast_failover = true;
//   if (absl::Status s = options.Validate(); !s.ok()) return s;
#ifndef FAILOVER_REDIS_FAILOVER_REDIS_CLIENT_OPTIONS_H_
#define FAILOVER_REDIS_FAILOVER_REDIS_CLIENT_OPTIONS_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/breaker/circuit_breaker_options.h"
#include "core/retry/retry_options.h"
#include "redis-failover/connection_pool.h"
#include "redis-failover/health_probe.h"
#include "redis-failover/redis_connection.h"
#include "redis-failover/redis_uri.h"

namespace failover {
namespace redis {

// One Redis endpoint (a server, or a proxy in front of a cluster).
struct RedisEndpointOptions {
  // Unique, non-empty; used in events, metrics and manual control.
  std::string name;
  // redis://[user[:password]@]host[:port][/db]
  std::string uri;
  // The highest-weight usable endpoint is active. Finite, >= 0 (Jedis: 1.0).
  double weight = 1.0;
  // false: never probed, always counted healthy; only its circuit breaker can take it out.
  bool health_check = true;
};

// How the health of an endpoint is probed.
enum class HealthStrategy {
  kPing,    // PING, expects PONG (Jedis's default).
  kEcho,    // ECHO of a random token; catches proxies that answer PING themselves.
  kCustom,  // RedisClientOptions::custom_probe.
};
absl::string_view HealthStrategyName(HealthStrategy strategy);  // "ping", "echo", "custom"

// What must be available before RedisFailoverClient::Create() returns.
enum class StartupPolicy {
  kAll,       // Every endpoint.
  kMajority,  // More than half of the endpoints (Jedis's default).
  kOne,       // At least one (our default, see below).
};
absl::string_view StartupPolicyName(StartupPolicy policy);  // "all", "majority", "one"

struct RedisStartupOptions {
  // Jedis defaults to MAJORITY, so a client with two endpoints refuses to start while the standby
  // is down: the very situation it exists for. Ours defaults to ONE; ALL and MAJORITY remain for
  // services that must not start degraded.
  StartupPolicy policy = StartupPolicy::kOne;
  // Create() waits at most this long for the first health-check round of every endpoint, then
  // judges the policy on what it knows (an endpoint that has not answered counts as down).
  absl::Duration max_wait = absl::Seconds(3);
};

struct RedisFailbackOptions {
  // Move back to a recovered heavier endpoint (Jedis: true).
  bool supported = true;
  // How often failback (and the end of grace periods) is checked. Jedis: 120 s; ours 5 s, so
  // traffic returns to the preferred endpoint soon after its grace period, not minutes later.
  absl::Duration check_interval = absl::Seconds(5);
  // How long an endpoint that failed stays out of the running (Jedis: 60 s).
  absl::Duration grace_period = absl::Seconds(60);
};

// When no endpoint is usable, commands fail at once with UNAVAILABLE "temporarily unavailable";
// once that has lasted max_attempts x delay they fail with "unavailable" (Jedis's permanent
// error, but ours recovers by itself as soon as any endpoint is usable).
struct RedisAllDownOptions {
  int max_attempts = 10;                     // Jedis maxNumFailoverAttempts.
  absl::Duration delay = absl::Seconds(12);  // Jedis delayInBetweenFailoverAttempts.
};

// Makes a connection; replaceable for tests and instrumentation. Default: ConnectRedis.
using RedisConnectionFactory = std::function<absl::StatusOr<std::unique_ptr<RedisConnection>>(
    const RedisAddress& address, const RedisConnectionOptions& options)>;

struct RedisClientOptions {
  std::vector<RedisEndpointOptions> endpoints;

  // Connect and socket timeouts (Jedis: 2 s each) and the CLIENT SETNAME name.
  RedisConnectionOptions connection;
  // Per-endpoint pool.
  ConnectionPoolOptions pool;

  HealthCheckOptions health_check;
  HealthStrategy health_strategy = HealthStrategy::kPing;
  // For kCustom: makes the probe of one endpoint.
  std::function<HealthProbe(const RedisEndpointOptions& endpoint, const RedisAddress& address)>
      custom_probe;
  // true: the active endpoint is probed only when no command has succeeded on it for a whole
  // health-check interval (its traffic proves it healthy); standbys are always probed.
  bool check_active_only_when_idle = false;

  // One breaker per endpoint, with these options (see DefaultRedisBreakerOptions()).
  CircuitBreakerOptions circuit_breaker;
  // Attempts per command, pipeline or transaction (all counted the same way).
  RetryOptions retry;

  RedisFailbackOptions failback;
  RedisStartupOptions startup;
  RedisAllDownOptions all_down;

  // On every switch, interrupt the old endpoint's connections so commands blocked on it (BLPOP,
  // a hung server) return at once instead of at their socket timeout (Jedis: false).
  bool fast_failover = false;
  // A command whose attempt failed because the endpoint switched while it ran is re-run on the
  // new endpoint at once, without using a retry attempt (Jedis: false). Leave off when a
  // command must never run twice.
  bool retry_on_failover = false;

  // Default: ConnectRedis.
  RedisConnectionFactory connection_factory;

  RedisClientOptions();

  // OK, or INVALID_ARGUMENT naming the first bad field ("endpoints[1].uri: ...").
  absl::Status Validate() const;
};

// The breaker a Redis endpoint gets by default. Jedis's (1000 failures at 10 % within 2 s)
// practically never trips below a few hundred failures per second; ours trips on 3 failures that
// are at least half of the calls in a 2 s window, or on 5 failures in a row (under load, a
// window full of earlier successes hides a dead server from the rate; five connection errors in
// a row do not, and switch in milliseconds instead of waiting for the next health check). Only
// UNAVAILABLE and DEADLINE_EXCEEDED count (connection errors and timeouts); reply errors are
// replies and never reach the breaker. OPEN lasts 60 s (the default grace period; keep the two
// equal when changing either, as the failover.redis config does by default), then the breaker
// moves to HALF_OPEN by itself.
CircuitBreakerOptions DefaultRedisBreakerOptions();

// Jedis's retry: 3 attempts including the first, 500 ms then x2, on UNAVAILABLE and
// DEADLINE_EXCEEDED only.
RetryOptions DefaultRedisRetryOptions();

}  // namespace redis
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_REDIS_CLIENT_OPTIONS_H_
