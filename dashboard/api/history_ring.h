// HistoryRing: the dashboard's trend history behind api/metrics/series, a bounded ring of KPI
// samples (overall healthy rate, per-API rates, live instances). HistorySampler fills it on the
// injected Clock every interval from a MetricsSource.
//
// Bounds: at most `capacity` samples (oldest dropped first) and, when max_age is finite, none
// older than max_age before the newest sample. HistoryOptionsFor() derives both from config:
// failover.dashboard.history.* (samples, sample-interval-seconds) when history.enabled; in
// shared-store mode the cluster trend is always kept, bounded by shared-store.retention
// (max-entries, max-age) and sampled every shared-store.sample-interval-seconds.
//
//   std::optional<HistoryOptions> options = HistoryOptionsFor(config.dashboard);
//   if (options) {
//     HistoryRing ring(options->capacity, options->max_age);
//     HistorySampler sampler(source, ring, clock, options->interval, config.dashboard.health,
//                            warnings);
//     DashboardApi api(config, source, clock, &ring);
//     ...
//   }
//
// Thread-safety: HistoryRing is thread-safe (one short lock per call). HistorySampler is
// thread-safe; its destructor (or Stop()) cancels the timer and waits for a sample in progress.
#ifndef FAILOVER_DASHBOARD_API_HISTORY_RING_H_
#define FAILOVER_DASHBOARD_API_HISTORY_RING_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/config/dashboard_config.h"
#include "core/sync.h"
#include "core/warning_sink.h"
#include "dashboard/metrics_source.h"

namespace failover {
namespace dashboard {

struct ApiRateSample {
  std::string name;
  double healthy_rate = 0;
  double success_rate = 0;
  double failover_rate = 0;
};

struct HistorySample {
  absl::Time at;                    // wall time of the sample
  double healthy_rate = 0;          // of the fleet's summed counts
  std::vector<ApiRateSample> apis;  // by name
  int64_t live_instances = 0;
};

struct HistoryOptions {
  size_t capacity = 120;                              // samples kept, oldest dropped first
  absl::Duration max_age = absl::InfiniteDuration();  // older samples dropped
  absl::Duration interval = absl::Seconds(15);        // between samples
};

// nullopt when no history is kept (not shared-store and history.enabled false).
std::optional<HistoryOptions> HistoryOptionsFor(const DashboardConfig& config);

class HistoryRing {
 public:
  // `capacity` at least 1 (0 is taken as 1).
  explicit HistoryRing(size_t capacity, absl::Duration max_age = absl::InfiniteDuration());
  HistoryRing(const HistoryRing&) = delete;
  HistoryRing& operator=(const HistoryRing&) = delete;

  // Appends `sample` (samples are expected in time order), then drops what the bounds exclude.
  void Add(HistorySample sample);
  // Samples taken at or after `since`, oldest first. Since(absl::InfinitePast()) = every sample.
  std::vector<HistorySample> Since(absl::Time since) const;
  size_t size() const;
  size_t capacity() const { return capacity_; }
  absl::Duration max_age() const { return max_age_; }

 private:
  const size_t capacity_;
  const absl::Duration max_age_;
  mutable Mutex mu_;
  std::deque<HistorySample> samples_ ABSL_GUARDED_BY(mu_);
};

// Takes one sample of `source` into `ring` now. A source error is reported to `warnings` and
// records nothing (a gap in the trend, not a fake zero).
void SampleInto(MetricsSource& source, HistoryRing& ring, const Clock& clock,
                const HealthThresholdsConfig& thresholds, const WarningSink& warnings);

// Samples every `interval` of `clock` time, the first one `interval` after construction.
class HistorySampler {
 public:
  HistorySampler(MetricsSource& source, HistoryRing& ring, Clock& clock, absl::Duration interval,
                 HealthThresholdsConfig thresholds, WarningSink warnings);
  ~HistorySampler();
  HistorySampler(const HistorySampler&) = delete;
  HistorySampler& operator=(const HistorySampler&) = delete;

  // Cancels the next sample and waits for one in progress. Idempotent.
  void Stop();
  // Sampling runs so far (a run whose source failed counts, though it recorded nothing).
  int64_t samples_taken() const;

 private:
  void ArmLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnTimer();

  MetricsSource& source_;
  HistoryRing& ring_;
  Clock& clock_;
  const absl::Duration interval_;
  const HealthThresholdsConfig thresholds_;
  const WarningSink warnings_;

  mutable Mutex mu_;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  bool running_ ABSL_GUARDED_BY(mu_) = false;
  TimerId timer_ ABSL_GUARDED_BY(mu_) = kNoTimer;
  int64_t samples_taken_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_API_HISTORY_RING_H_
