// DemoInstance: one simulated application instance for the dashboard demo fleet. It owns a
// MetricsRegistry and, at every Tick() (the demo calls it every 200 ms), records a batch of
// traffic under the meter names and tags the real modules use, so failoverd's KPIs and charts
// light up as they would for a real fleet:
//   - three failover APIs through store-jdbc's FailoverMetrics (failover.call.total,
//     failover.store.total, failover.recovery.outcome.total, failover.exception.total,
//     failover.upstream.duration, ...): "quotes" HEALTHY (~99.5% healthy), "pricing" DEGRADED
//     (~95%), "inventory" UNHEALTHY (~70%);
//   - a Redis pair as redis-failover's client reports it (failover.redis.endpoint.active /
//     .healthy / .breaker.state{endpoint}, failover.redis.commands.total{endpoint,result},
//     failover.redis.switches.total{reason,to}): now and then the primary fails, the client
//     moves to the replica, and fails back a while later;
//   - the naming failover switch, failover.naming.switch{namespace=public}, turned on now and
//     then for a while.
//
//   SeededRandom random(7);
//   DemoInstance instance("demo-orders-1", random);
//   instance.Tick();                          // one 200 ms batch
//   publisher.NotifyChanged();                // e.g. a PeerPublisher over instance.registry()
//
// Thread-compatible: Tick() from one thread at a time; the registry is thread-safe to read.
#ifndef FAILOVER_DASHBOARD_DEMO_DEMO_INSTANCE_H_
#define FAILOVER_DASHBOARD_DEMO_DEMO_INSTANCE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/metrics/metrics_registry.h"
#include "core/random.h"
#include "store-jdbc/call/failover_metrics.h"

namespace failover {
namespace dashboard {

// How one simulated API behaves. healthy rate = success + (1 - success) * recovery.
struct DemoApiProfile {
  std::string name;
  double success = 1.0;    // upstream success probability
  double recovery = 1.0;   // failures answered from the failover store
  absl::Duration latency;  // typical upstream latency
  int calls_per_tick = 5;  // mean calls per tick
};

// quotes (healthy), pricing (degraded), inventory (unhealthy).
std::vector<DemoApiProfile> DefaultDemoApis();

class DemoInstance {
 public:
  // `random` must outlive the instance.
  DemoInstance(std::string instance_id, RandomSource& random,
               std::vector<DemoApiProfile> apis = DefaultDemoApis());
  DemoInstance(const DemoInstance&) = delete;
  DemoInstance& operator=(const DemoInstance&) = delete;

  const std::string& instance_id() const { return instance_id_; }
  MetricsRegistry& registry() { return registry_; }

  // Records one tick (200 ms) of traffic and advances the Redis and naming scenarios.
  void Tick();

  // The endpoint currently active ("primary" or "replica").
  absl::string_view active_redis_endpoint() const;

 private:
  struct Api {
    DemoApiProfile profile;
    std::unique_ptr<FailoverMetrics> metrics;
  };

  void ApiTraffic(Api& api);
  void RedisTraffic();
  void NamingScenario();
  void SetRedisGauges();
  absl::Duration Jitter(absl::Duration typical);
  int Calls(int mean);

  const std::string instance_id_;
  RandomSource& random_;
  MetricsRegistry registry_;
  std::vector<Api> apis_;

  bool primary_down_ = false;
  int redis_ticks_left_ = 0;  // ticks until the primary recovers (while down)
  bool naming_switch_on_ = false;
  int naming_ticks_left_ = 0;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_DEMO_DEMO_INSTANCE_H_
