// PrometheusMetricsSource: the "prometheus" cluster mode (failover.dashboard.cluster.mode). It
// reads the fleet's meters with PromQL from a Prometheus server that scrapes every process's
// /metrics page (core/metrics/prometheus_text.h), and hands them to the dashboard as the same
// v1::MetricSeries the other modes produce, under their dotted meter names:
//
//   counters    sum without (instance, job, exported_instance)
//   (last_over_time(failover_call_total[1h]))
//                 -> failover.call.total{domain,name,result}
//   histograms  the same over <family>_bucket, _sum and _count -> one Histogram (max unknown: 0)
//   gauges      last_over_time(failover_api_health[1h]) -> failover.api.health{instance,name},
//                 instance = the target's `instance` label (job and exported_instance dropped)
//   Instances() up, for targets that exposed failover_metrics_denied_total within the lookback
//                 (every MetricsRegistry exposes it), by `instance`: LIVE if up == 1, else DOWN
//
// last_over_time keeps a stopped instance's last counts in the totals for `lookback`, as
// shared-store keeps a retired instance's. What Prometheus cannot give back: counts from before a
// process restarted (its counters start again at 0), histogram max, and snapshot times or
// sequence numbers of instances. Meters not in `families` are not read.
//
//   absl::StatusOr<std::unique_ptr<PrometheusMetricsSource>> source =
//       PrometheusMetricsSource::Create(config.dashboard.cluster.prometheus);
//   absl::StatusOr<std::vector<v1::MetricSeries>> series = (*source)->Series();
//
// Thread-safe: holds no mutable state; every call queries Prometheus anew.
#ifndef FAILOVER_DASHBOARD_PROMETHEUS_PROMETHEUS_METRICS_SOURCE_H_
#define FAILOVER_DASHBOARD_PROMETHEUS_PROMETHEUS_METRICS_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/config/dashboard_config.h"
#include "dashboard/metrics_source.h"
#include "dashboard/prometheus/meter_families.h"
#include "dashboard/prometheus/prometheus_client.h"

namespace failover {
namespace dashboard {

struct PrometheusMetricsSourceOptions {
  // How long a series' last sample still counts (the last_over_time window); whole seconds, at
  // least 1 s.
  absl::Duration lookback = absl::Hours(1);
  // The meters read.
  std::vector<MeterFamily> families = FailoverMeterFamilies();
};

class PrometheusMetricsSource final : public MetricsSource {
 public:
  // Over NewHttplibPrometheusClient(config); its errors (bad base-url or timeout) as they are.
  static absl::StatusOr<std::unique_ptr<PrometheusMetricsSource>> Create(
      const PrometheusClusterConfig& config, PrometheusMetricsSourceOptions options = {});

  PrometheusMetricsSource(std::unique_ptr<PrometheusClient> client,
                          PrometheusMetricsSourceOptions options = {});

  std::string mode() const override { return "prometheus"; }
  // Fails with the first query that fails (partial KPIs would mislead), naming the meter.
  absl::StatusOr<std::vector<v1::MetricSeries>> Series() override;
  // QueryInstances(), or none when Prometheus cannot be asked.
  std::vector<InstanceStatus> Instances() override;
  // The instances, sorted by id, or why Prometheus could not say.
  absl::StatusOr<std::vector<InstanceStatus>> QueryInstances();

 private:
  absl::Status AppendFamily(const MeterFamily& family, std::vector<v1::MetricSeries>* out);
  absl::Status AppendHistograms(const MeterFamily& family, const std::string& prometheus_name,
                                std::vector<v1::MetricSeries>* out);
  // Query() with the failing meter named in the error.
  absl::StatusOr<std::vector<PrometheusSample>> Query(const std::string& promql,
                                                      const MeterFamily& family);
  // last_over_time(<prometheus_name>[<lookback>s]).
  std::string LastOverTime(const std::string& prometheus_name) const;

  const std::unique_ptr<PrometheusClient> client_;
  const PrometheusMetricsSourceOptions options_;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_PROMETHEUS_PROMETHEUS_METRICS_SOURCE_H_
