#include "dashboard/api/history_ring.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "dashboard/api/series_kpis.h"

namespace failover {
namespace dashboard {

std::optional<HistoryOptions> HistoryOptionsFor(const DashboardConfig& config) {
  if (config.cluster.mode == ClusterMode::kSharedStore) {
    const SharedStoreConfig& shared = config.cluster.shared_store;
    HistoryOptions options;
    options.capacity = static_cast<size_t>(std::max(shared.retention.max_entries, 1));
    options.max_age = shared.retention.max_age;
    options.interval = absl::Seconds(std::max(shared.sample_interval_seconds, 1));
    return options;
  }
  if (!config.history.enabled) return std::nullopt;
  HistoryOptions options;
  options.capacity = static_cast<size_t>(std::max(config.history.samples, 1));
  options.interval = absl::Seconds(std::max(config.history.sample_interval_seconds, 1));
  return options;
}

HistoryRing::HistoryRing(size_t capacity, absl::Duration max_age)
    : capacity_(std::max<size_t>(capacity, 1)), max_age_(max_age) {}

void HistoryRing::Add(HistorySample sample) {
  MutexLock lock(&mu_);
  const absl::Time newest = sample.at;
  samples_.push_back(std::move(sample));
  while (samples_.size() > capacity_) samples_.pop_front();
  if (max_age_ != absl::InfiniteDuration()) {
    const absl::Time oldest_kept = newest - max_age_;
    while (!samples_.empty() && samples_.front().at < oldest_kept) samples_.pop_front();
  }
}

std::vector<HistorySample> HistoryRing::Since(absl::Time since) const {
  MutexLock lock(&mu_);
  // Samples are in time order: skip the old ones, copy the rest.
  auto first = std::partition_point(samples_.begin(), samples_.end(),
                                    [since](const HistorySample& s) { return s.at < since; });
  return std::vector<HistorySample>(first, samples_.end());
}

size_t HistoryRing::size() const {
  MutexLock lock(&mu_);
  return samples_.size();
}

void SampleInto(MetricsSource& source, HistoryRing& ring, const Clock& clock,
                const HealthThresholdsConfig& thresholds, const WarningSink& warnings) {
  absl::StatusOr<std::vector<v1::MetricSeries>> series = source.Series();
  if (!series.ok()) {
    if (warnings) {
      warnings(absl::StrCat("dashboard history: no sample taken, the ", source.mode(),
                            " metrics source failed: ", series.status().ToString()));
    }
    return;
  }
  const FleetKpis fleet = ComputeFleetKpis(*series, thresholds);
  HistorySample sample;
  sample.at = clock.WallNow();
  sample.healthy_rate = fleet.total.healthy_rate;
  sample.apis.reserve(fleet.apis.size());
  for (const ApiKpis& api : fleet.apis) {
    sample.apis.push_back(
        {api.name, api.kpis.healthy_rate, api.kpis.success_rate, api.kpis.failover_rate});
  }
  for (const InstanceStatus& instance : source.Instances()) {
    if (instance.liveness == Liveness::kLive) ++sample.live_instances;
  }
  ring.Add(std::move(sample));
}

HistorySampler::HistorySampler(MetricsSource& source, HistoryRing& ring, Clock& clock,
                               absl::Duration interval, HealthThresholdsConfig thresholds,
                               WarningSink warnings)
    : source_(source),
      ring_(ring),
      clock_(clock),
      interval_(std::max(interval, absl::Milliseconds(1))),
      thresholds_(thresholds),
      warnings_(std::move(warnings)) {
  MutexLock lock(&mu_);
  ArmLocked();
}

HistorySampler::~HistorySampler() { Stop(); }

void HistorySampler::ArmLocked() {
  timer_ = kNoTimer;
  if (stopped_) return;
  // ScheduleAfter never runs the callback inline, and the callback takes mu_ first.
  timer_ = clock_.ScheduleAfter(interval_, [this] { OnTimer(); });
}

void HistorySampler::OnTimer() {
  {
    MutexLock lock(&mu_);
    if (stopped_) return;
    running_ = true;
    timer_ = kNoTimer;
  }
  SampleInto(source_, ring_, clock_, thresholds_, warnings_);
  MutexLock lock(&mu_);
  running_ = false;
  ++samples_taken_;
  ArmLocked();
}

void HistorySampler::Stop() {
  TimerId timer = kNoTimer;
  {
    MutexLock lock(&mu_);
    stopped_ = true;
    std::swap(timer, timer_);
  }
  // Outside mu_: Cancel() waits for a callback that has started, and the callback takes mu_.
  if (timer != kNoTimer) clock_.Cancel(timer);
  MutexLock lock(&mu_);
  mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !running_; });
}

int64_t HistorySampler::samples_taken() const {
  MutexLock lock(&mu_);
  return samples_taken_;
}

}  // namespace dashboard
}  // namespace failover
