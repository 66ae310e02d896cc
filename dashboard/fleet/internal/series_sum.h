// The arithmetic of the fleet view: a snapshot's series keyed by (kind, name, tags), counters and
// histograms summed across instances (histograms bucket by bucket, over the union of the bucket
// bounds), gauges kept one per instance with the tag instance=<id>. Thread-safety: KeyedSeries is
// immutable once built and shared between threads; a SeriesSum is used by one thread.
//
//   SeriesSum sum;
//   for (const auto& instance : instances) {
//     sum.AddCumulative(*instance.latest);
//     sum.AddGauges(*instance.latest, instance.id);
//   }
//   std::vector<v1::MetricSeries> fleet = std::move(sum).Finish();
#ifndef FAILOVER_DASHBOARD_FLEET_INTERNAL_SERIES_SUM_H_
#define FAILOVER_DASHBOARD_FLEET_INTERNAL_SERIES_SUM_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace dashboard {
namespace fleet_internal {

// A snapshot (tags already sorted) and one aggregation key per series, in the same order. The
// keys live back to back in one string (two allocations per snapshot, not one per series: ingest
// builds one of these for every pushed snapshot).
struct KeyedSeries {
  v1::MetricsSnapshot snapshot;
  std::string key_text;            // every key, back to back
  std::vector<uint32_t> key_ends;  // key i ends at key_ends[i], starts where key i-1 ends

  // The aggregation key of snapshot.series(i).
  absl::string_view key(int i) const {
    const uint32_t begin = i == 0 ? 0 : key_ends[i - 1];
    return absl::string_view(key_text).substr(begin, key_ends[i] - begin);
  }
  // Appends a key (for the series appended to the snapshot in the same order).
  void AddKey(absl::string_view key) {
    key_text.append(key.data(), key.size());
    key_ends.push_back(static_cast<uint32_t>(key_text.size()));
  }
};

// Builds the keys for `snapshot` (whose tags are sorted).
std::shared_ptr<const KeyedSeries> MakeKeyed(v1::MetricsSnapshot snapshot);

// An empty, shared KeyedSeries.
const std::shared_ptr<const KeyedSeries>& EmptyKeyed();

// Collects series and produces the fleet view.
class SeriesSum {
 public:
  // Adds the counters and histograms of `series`.
  void AddCumulative(const KeyedSeries& series);
  // Adds each gauge of `series` with the tag instance=<instance_id> (replacing any such tag).
  void AddGauges(const KeyedSeries& series, absl::string_view instance_id);
  // Adds series already summed elsewhere (keys distinct from each other and from AddCumulative's).
  void AddSummed(std::vector<v1::MetricSeries> summed);
  bool empty() const { return cumulative_.empty() && gauges_.empty() && summed_.empty(); }

  // Everything added, sorted by name, then tags; equal ones (gauges of one instance that differ
  // only in their own instance tag) in the order added.
  std::vector<v1::MetricSeries> Finish() &&;
  // Only the counters and histograms, as a keyed snapshot (a restart base or retired totals).
  std::shared_ptr<const KeyedSeries> FinishCumulative() &&;

 private:
  absl::flat_hash_map<std::string, v1::MetricSeries> cumulative_;
  std::vector<v1::MetricSeries> gauges_;
  std::vector<v1::MetricSeries> summed_;
};

// Adds the counter or histogram `add` to `into` (same key): counters summed, histograms' count
// and sum summed, max the larger, buckets over the union of both bounds.
void AddCumulativeValue(v1::MetricSeries* into, const v1::MetricSeries& add);

// The counters and histograms of `a` and `b` summed (either may be null).
std::shared_ptr<const KeyedSeries> SumCumulative(const KeyedSeries* a, const KeyedSeries* b);

}  // namespace fleet_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_FLEET_INTERNAL_SERIES_SUM_H_
