// The bodies of api/failover-health and api/metrics, from the fleet's KPIs and series. Internal
// to //dashboard/api (DashboardApi is the public face).
#ifndef FAILOVER_DASHBOARD_API_INTERNAL_METRICS_JSON_H_
#define FAILOVER_DASHBOARD_API_INTERNAL_METRICS_JSON_H_

#include <vector>

#include "dashboard/api/internal/json.h"
#include "dashboard/api/series_kpis.h"
#include "dashboard/metrics_source.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace dashboard {
namespace api_internal {

// {"status":"UP"|"DOWN", "apis":[{name, domain, health, healthyRate, successRate,
// failoverRate}]}; `fleet.apis` sorted worst first.
void PutFailoverHealth(const FleetKpis& fleet, Struct& object);

// Per-API KPIs (`fleet.apis` sorted worst first), "total", "redis", "naming" and "instances"
// counts; the caller adds "mode" and "asOf".
void PutMetrics(const FleetKpis& fleet, const std::vector<v1::MetricSeries>& series,
                const std::vector<InstanceStatus>& instances, Struct& object);

// {"live": n, "down": n, "unknown": n, "total": n}.
void PutInstanceCounts(Struct& object, const std::vector<InstanceStatus>& instances);

}  // namespace api_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_API_INTERNAL_METRICS_JSON_H_
