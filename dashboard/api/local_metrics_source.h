// LocalMetricsSource: the "local" cluster mode (failover.dashboard.cluster.mode=local): the
// dashboard reads this process's own MetricsRegistry. Gauges get the tag instance=<id> (unless
// they carry one already), as in the fleet modes; counters and histograms are as registered.
//
//   failover::dashboard::LocalMetricsSource source(registry, "orders-1");
//   absl::StatusOr<std::vector<v1::MetricSeries>> series = source.Series();  // never an error
//
// Thread-safe (the registry is).
#ifndef FAILOVER_DASHBOARD_API_LOCAL_METRICS_SOURCE_H_
#define FAILOVER_DASHBOARD_API_LOCAL_METRICS_SOURCE_H_

#include <string>
#include <vector>

#include "core/metrics/metrics_registry.h"
#include "dashboard/metrics_source.h"

namespace failover {
namespace dashboard {

class LocalMetricsSource final : public MetricsSource {
 public:
  // `registry` must outlive the source.
  LocalMetricsSource(MetricsRegistry& registry, std::string instance_id);

  std::string mode() const override { return "local"; }
  absl::StatusOr<std::vector<v1::MetricSeries>> Series() override;
  // This process only, LIVE; no snapshot or heartbeat times (nothing is pushed).
  std::vector<InstanceStatus> Instances() override;

 private:
  MetricsRegistry& registry_;
  const std::string instance_id_;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_API_LOCAL_METRICS_SOURCE_H_
