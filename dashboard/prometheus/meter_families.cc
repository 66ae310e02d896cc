#include "dashboard/prometheus/meter_families.h"

namespace failover {
namespace dashboard {

const std::vector<MeterFamily>& FailoverMeterFamilies() {
  constexpr SeriesKind kCounter = SeriesKind::kCounter;
  constexpr SeriesKind kGauge = SeriesKind::kGauge;
  constexpr SeriesKind kHistogram = SeriesKind::kHistogram;
  static const std::vector<MeterFamily>* const families = new std::vector<MeterFamily>{
      // core/metrics
      {"failover.metrics.denied.total", kCounter, ""},
      {"failover.metrics.dropped.total", kCounter, ""},
      // store-jdbc: the failover calls (the dashboard's KPIs) and the store's upkeep
      {"failover.store.total", kCounter, ""},
      {"failover.recover.total", kCounter, ""},
      {"failover.recovery.outcome.total", kCounter, ""},
      {"failover.recovery.partial.total", kCounter, ""},
      {"failover.call.total", kCounter, ""},
      {"failover.exception.total", kCounter, ""},
      {"failover.operation.duration", kHistogram, "seconds"},
      {"failover.upstream.duration", kHistogram, "seconds"},
      {"failover.api.health", kGauge, ""},
      {"failover.stale.served.ratio", kGauge, ""},
      {"failover.live.entries", kGauge, ""},
      {"failover.registered.total", kGauge, ""},
      {"failover.store.cleanup.total", kCounter, ""},
      {"failover.store.cleanup.errors.total", kCounter, ""},
      {"failover.store.cleanup.last.removed", kGauge, ""},
      // redis-failover
      {"failover.redis.commands.total", kCounter, ""},
      {"failover.redis.command.duration", kHistogram, "seconds"},
      {"failover.redis.endpoint.active", kGauge, ""},
      {"failover.redis.endpoint.healthy", kGauge, ""},
      {"failover.redis.endpoint.breaker.state", kGauge, ""},
      {"failover.redis.switches.total", kCounter, ""},
      {"failover.redis.health.changes.total", kCounter, ""},
      // naming-client
      {"failover.naming.switch", kGauge, ""},
      {"failover.naming.failover.instances", kGauge, ""},
      {"failover.naming.failover.bad.files", kGauge, ""},
      {"failover.naming.reloads.total", kCounter, ""},
      {"failover.naming.source.errors.total", kCounter, ""},
      {"failover.naming.lookups.total", kCounter, ""},
  };
  return *families;
}

}  // namespace dashboard
}  // namespace failover
