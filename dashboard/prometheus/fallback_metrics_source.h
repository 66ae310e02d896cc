// FallbackMetricsSource: prometheus mode with a safety net. It serves the Prometheus source while
// Prometheus answers and the fallback (the local registry, LocalMetricsSource) while it does not,
// so the dashboard keeps showing this process's numbers during a Prometheus outage. Each call tries
// Prometheus first, so it comes back by itself once Prometheus answers again. The switch to the
// fallback is warned once per outage (with Prometheus's error), the way back once too.
//
//   FallbackMetricsSource source(std::move(prometheus), std::move(local), warnings);
//   source.Series();   // Prometheus's fleet series, or local ones while it is unreachable
//   source.mode();     // "prometheus", or "local (prometheus unreachable)" while falling back
//
// Thread-safe (the wrapped sources must be too): the up/down state is a short-locked flag.
#ifndef FAILOVER_DASHBOARD_PROMETHEUS_FALLBACK_METRICS_SOURCE_H_
#define FAILOVER_DASHBOARD_PROMETHEUS_FALLBACK_METRICS_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "core/sync.h"
#include "core/warning_sink.h"
#include "dashboard/metrics_source.h"
#include "dashboard/prometheus/prometheus_metrics_source.h"

namespace failover {
namespace dashboard {

class FallbackMetricsSource final : public MetricsSource {
 public:
  FallbackMetricsSource(std::unique_ptr<PrometheusMetricsSource> primary,
                        std::unique_ptr<MetricsSource> fallback, WarningSink warnings);

  // The primary's mode ("prometheus") until a call finds it unreachable, then
  // "<fallback mode> (prometheus unreachable)" until a call finds it answering again.
  std::string mode() const override ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<v1::MetricSeries>> Series() override ABSL_LOCKS_EXCLUDED(mu_);
  std::vector<InstanceStatus> Instances() override ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // Records the primary's answer; warns when that changes whether it is up.
  void Observe(const absl::Status& primary_status) ABSL_LOCKS_EXCLUDED(mu_);

  const std::unique_ptr<PrometheusMetricsSource> primary_;
  const std::unique_ptr<MetricsSource> fallback_;
  const WarningSink warnings_;
  mutable Mutex mu_;
  bool primary_up_ ABSL_GUARDED_BY(mu_) = true;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_PROMETHEUS_FALLBACK_METRICS_SOURCE_H_
