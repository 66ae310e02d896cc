// MetricsSnapshot: an immutable copy of every series in a MetricsRegistry at one moment, sorted
// by name then tags, for exporters and tests. Timers appear as histograms in "seconds".
//
//   failover::MetricsSnapshot snapshot = registry.Snapshot();
//   for (const failover::SeriesSnapshot& s : snapshot.series()) { ... }
//   const failover::SeriesSnapshot* calls =
//       snapshot.Find("failover.call.total", {{"name", "quotes"}});
//   if (calls != nullptr) total = calls->value;
#ifndef FAILOVER_CORE_METRICS_METRICS_SNAPSHOT_H_
#define FAILOVER_CORE_METRICS_METRICS_SNAPSHOT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/metrics/meters.h"
#include "core/metrics/tags.h"

namespace failover {

enum class SeriesKind { kCounter, kGauge, kHistogram };

// One series at snapshot time. Plain value type.
struct SeriesSnapshot {
  std::string name;
  Tags tags;
  // "seconds" for timers; empty when dimensionless.
  std::string unit;
  SeriesKind kind = SeriesKind::kCounter;
  // The counter's count or the gauge's value; 0 for histograms.
  double value = 0;
  // Set for kHistogram only.
  HistogramValue histogram;
};

// Immutable once built: only const access. Thread-compatible (any number of threads may read
// one snapshot concurrently).
class MetricsSnapshot {
 public:
  MetricsSnapshot() = default;
  // Sorts `series` by (name, tags).
  explicit MetricsSnapshot(std::vector<SeriesSnapshot> series);

  const std::vector<SeriesSnapshot>& series() const { return series_; }
  // The series with exactly this name and tags, or nullptr. Binary search.
  const SeriesSnapshot* Find(absl::string_view name, const Tags& tags = {}) const;

 private:
  std::vector<SeriesSnapshot> series_;
};

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_METRICS_SNAPSHOT_H_
