#include "dashboard/prometheus/fallback_metrics_source.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace failover {
namespace dashboard {

FallbackMetricsSource::FallbackMetricsSource(std::unique_ptr<PrometheusMetricsSource> primary,
                                             std::unique_ptr<MetricsSource> fallback,
                                             WarningSink warnings)
    : primary_(std::move(primary)),
      fallback_(std::move(fallback)),
      warnings_(std::move(warnings)) {}

std::string FallbackMetricsSource::mode() const {
  MutexLock lock(&mu_);
  if (primary_up_) return primary_->mode();
  return absl::StrCat(fallback_->mode(), " (", primary_->mode(), " unreachable)");
}

void FallbackMetricsSource::Observe(const absl::Status& primary_status) {
  const bool up = primary_status.ok();
  {
    MutexLock lock(&mu_);
    if (up == primary_up_) return;
    primary_up_ = up;
  }
  // Outside the lock: the sink may be slow or call back into the dashboard.
  if (up) {
    warnings_(absl::StrCat("dashboard: ", primary_->mode(), " answers again; serving the ",
                           primary_->mode(), " fleet metrics"));
  } else {
    warnings_(absl::StrCat("dashboard: ", primary_->mode(), " is unreachable (",
                           primary_status.ToString(), "); serving ", fallback_->mode(),
                           " metrics until it answers"));
  }
}

absl::StatusOr<std::vector<v1::MetricSeries>> FallbackMetricsSource::Series() {
  absl::StatusOr<std::vector<v1::MetricSeries>> series = primary_->Series();
  Observe(series.status());
  if (series.ok()) return series;
  return fallback_->Series();
}

std::vector<InstanceStatus> FallbackMetricsSource::Instances() {
  absl::StatusOr<std::vector<InstanceStatus>> instances = primary_->QueryInstances();
  Observe(instances.status());
  if (instances.ok()) return *std::move(instances);
  return fallback_->Instances();
}

}  // namespace dashboard
}  // namespace failover
