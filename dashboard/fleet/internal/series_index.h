// SeriesIndex: for every counter and histogram series of the fleet (by aggregation key), which
// stored snapshots hold it, in the order FleetStore sums them: the retired totals first, then per
// instance id (ascending) its restart base, then its latest snapshot. FleetStore updates it on
// every change of a snapshot. The histograms' integer parts (count, bucket counts per bucket
// layout) are kept summed as holders come and go: uint64 sums wrap alike in any order, so adding
// and subtracting them is exact. The doubles (counters, histogram sums) and the histogram max are
// folded over the holders in order on read: the same operands in the same order as SeriesSum,
// so Sums() is bit for bit what summing every snapshot from scratch gives, rounding included
// (an order-free running double total would drift from it). Histograms of one key whose bucket
// bounds differ are folded whole, as SeriesSum merges them over the union of the bounds.
//
//   SeriesIndex index;
//   index.Add(*instance.latest, {&id, ContributorSlot::kLatest});
//   index.Replace(*old_latest, *new_latest, {&id, ContributorSlot::kLatest});
//   std::vector<v1::MetricSeries> sums = index.Sums();  // unsorted
//
// Thread-safety: not thread-safe (FleetStore guards it with its mutex). The index points into
// the KeyedSeries and instance ids it was given: each must stay alive, unchanged, until removed.
#ifndef FAILOVER_DASHBOARD_FLEET_INTERNAL_SERIES_INDEX_H_
#define FAILOVER_DASHBOARD_FLEET_INTERNAL_SERIES_INDEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "dashboard/fleet/internal/series_sum.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace dashboard {
namespace fleet_internal {

enum class ContributorSlot { kRestartBase = 0, kLatest = 1 };

// Where a snapshot stands in the summing order.
struct Contributor {
  const std::string* instance_id = nullptr;  // null: the retired totals, first of all
  ContributorSlot slot = ContributorSlot::kRestartBase;
};

class SeriesIndex {
 public:
  // Indexes the counters and histograms of `series` (gauges are not summed) under `contributor`,
  // replacing what it held under the same keys.
  void Add(const KeyedSeries& series, Contributor contributor);
  // Undoes Add(series, contributor); a series no snapshot holds any more leaves the index.
  void Remove(const KeyedSeries& series, Contributor contributor);
  // Remove(old_series, contributor) then Add(new_series, contributor), without taking out and
  // putting back the holders of keys both have.
  void Replace(const KeyedSeries& old_series, const KeyedSeries& new_series,
               Contributor contributor);

  // Every indexed series summed over its holders (identical to SeriesSum::AddCumulative over
  // them in order), in no particular order.
  std::vector<v1::MetricSeries> Sums() const;
  size_t size() const { return by_key_.size(); }

 private:
  struct Holder {
    Contributor contributor;
    const v1::MetricSeries* series;
  };
  // Sorted by contributor: a read walks them in order through contiguous memory.
  using Holders = std::vector<Holder>;
  // The histograms of one key that share bucket bounds (bit for bit): how many, and their
  // bucket counts summed (uint64 sums wrap, in any order alike, so they are kept as they come).
  struct Layout {
    std::vector<double> bounds;
    uint64_t holders = 0;
    std::vector<uint64_t> counts;
  };
  struct Entry {
    Holders holders;
    uint64_t histogram_count = 0;  // the histograms' counts summed
    std::vector<Layout> layouts;
  };
  // Adds (sign 1) or subtracts (sign -1) a histogram's integer parts to or from the entry's sums.
  static void Account(Entry& entry, const v1::MetricSeries& series, int sign);
  // The entry summed: doubles (counter, histogram sum) and max folded over the holders in order;
  // counts from the kept sums while all histograms share one layout, else folded too.
  static v1::MetricSeries Sum(const Entry& entry);
  static bool Before(const Contributor& a, const Contributor& b);
  static Holders::iterator Find(Holders& holders, const Contributor& contributor);
  static bool SameBits(const v1::Histogram& histogram, const std::vector<double>& bounds);
  void Insert(absl::string_view key, const v1::MetricSeries* series, Contributor contributor);
  // Drops the holder if it still points at `series`.
  void Erase(absl::string_view key, const v1::MetricSeries* series, Contributor contributor);

  absl::flat_hash_map<std::string, Entry> by_key_;
};

}  // namespace fleet_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_FLEET_INTERNAL_SERIES_INDEX_H_
