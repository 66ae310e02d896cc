// One endpoint of a RedisFailoverClient: its pool, breaker, health check and meters. Internal to
// the client.
//
// Thread-safety: the pointers are set before the endpoint is shared and never change, except
// `checker`, which only the client's Close()/RemoveEndpoint() reset (after the endpoint left the
// client's list). Counters and meters are atomic; last_health_error is guarded.
#ifndef FAILOVER_REDIS_FAILOVER_INTERNAL_CLIENT_ENDPOINT_H_
#define FAILOVER_REDIS_FAILOVER_INTERNAL_CLIENT_ENDPOINT_H_

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "core/breaker/circuit_breaker.h"
#include "core/metrics/metrics_registry.h"
#include "core/sync.h"
#include "redis-failover/connection_pool.h"
#include "redis-failover/health_checker.h"
#include "redis-failover/redis_client.h"
#include "redis-failover/redis_client_options.h"
#include "redis-failover/redis_uri.h"

namespace failover {
namespace redis {

struct RedisFailoverClient::Endpoint {
  Endpoint(RedisEndpointOptions options_in, RedisAddress address_in, MetricsRegistry& metrics)
      : options(std::move(options_in)),
        address(std::move(address_in)),
        successes(&metrics.GetCounter("failover.redis.commands.total",
                                      {{"endpoint", options.name}, {"result", "success"}})),
        reply_errors(&metrics.GetCounter("failover.redis.commands.total",
                                         {{"endpoint", options.name}, {"result", "reply_error"}})),
        failures(&metrics.GetCounter("failover.redis.commands.total",
                                     {{"endpoint", options.name}, {"result", "error"}})),
        not_permitted(
            &metrics.GetCounter("failover.redis.commands.total",
                                {{"endpoint", options.name}, {"result", "not_permitted"}})),
        latency(&metrics.GetTimer("failover.redis.command.duration", {{"endpoint", options.name}})),
        active_gauge(
            &metrics.GetGauge("failover.redis.endpoint.active", {{"endpoint", options.name}})),
        healthy_gauge(
            &metrics.GetGauge("failover.redis.endpoint.healthy", {{"endpoint", options.name}})),
        breaker_gauge(&metrics.GetGauge("failover.redis.endpoint.breaker.state",
                                        {{"endpoint", options.name}})) {
    healthy_gauge->Set(1);
  }

  absl::Status last_health_error() const {
    MutexLock lock(&mu);
    return health_error;
  }
  void set_last_health_error(absl::Status error) {
    MutexLock lock(&mu);
    health_error = std::move(error);
  }

  const RedisEndpointOptions options;
  const RedisAddress address;
  std::unique_ptr<ConnectionPool> pool;
  std::unique_ptr<CircuitBreaker> breaker;
  std::unique_ptr<HealthChecker> checker;  // Null when health checks are off for it.

  // Grows whenever the client interrupts this endpoint's connections (fast failover, removal),
  // so a command can tell "interrupted by us" from "the server failed".
  std::atomic<uint64_t> interrupts{0};
  // Clock nanos of the last successful command.
  std::atomic<int64_t> last_success_ns{std::numeric_limits<int64_t>::min()};

  Counter* const successes;
  Counter* const reply_errors;
  Counter* const failures;
  Counter* const not_permitted;
  Timer* const latency;
  Gauge* const active_gauge;
  Gauge* const healthy_gauge;
  Gauge* const breaker_gauge;

 private:
  mutable Mutex mu;
  absl::Status health_error ABSL_GUARDED_BY(mu);
};

}  // namespace redis
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_INTERNAL_CLIENT_ENDPOINT_H_
