// MeterFamily: a meter the toolkit's modules register, with the kind and unit it is exposed with,
// so PrometheusMetricsSource can ask Prometheus for it by its Prometheus name
// (PrometheusFamilyName, core/metrics/prometheus_text.h) and give its samples back their dotted
// meter name. FailoverMeterFamilies() lists every meter of core, store-jdbc, redis-failover and
// naming-client; a meter missing from it is not shown in prometheus mode.
//
//   for (const MeterFamily& family : FailoverMeterFamilies()) {
//     PrometheusFamilyName(family.name, family.kind, family.unit);  // "failover_call_total", ...
//   }
#ifndef FAILOVER_DASHBOARD_PROMETHEUS_METER_FAMILIES_H_
#define FAILOVER_DASHBOARD_PROMETHEUS_METER_FAMILIES_H_

#include <string>
#include <vector>

#include "core/metrics/metrics_snapshot.h"

namespace failover {
namespace dashboard {

struct MeterFamily {
  std::string name;  // the meter's dotted name, e.g. "failover.call.total"
  SeriesKind kind = SeriesKind::kCounter;
  std::string unit;  // "seconds" for timers
};

// Immutable; thread-safe.
const std::vector<MeterFamily>& FailoverMeterFamilies();

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_PROMETHEUS_METER_FAMILIES_H_
