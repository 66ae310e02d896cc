#include "dashboard/fleet/internal/series_index.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace failover {
namespace dashboard {
namespace fleet_internal {

bool SeriesIndex::Before(const Contributor& a, const Contributor& b) {
  if (a.instance_id != b.instance_id) {
    if (a.instance_id == nullptr) return true;
    if (b.instance_id == nullptr) return false;
    if (int c = a.instance_id->compare(*b.instance_id); c != 0) return c < 0;
  }
  return a.slot < b.slot;
}

SeriesIndex::Holders::iterator SeriesIndex::Find(Holders& holders, const Contributor& contributor) {
  return std::lower_bound(
      holders.begin(), holders.end(), contributor,
      [](const Holder& holder, const Contributor& c) { return Before(holder.contributor, c); });
}

bool SeriesIndex::SameBits(const v1::Histogram& histogram, const std::vector<double>& bounds) {
  if (static_cast<size_t>(histogram.buckets_size()) != bounds.size()) return false;
  for (size_t i = 0; i < bounds.size(); ++i) {
    const double bound = histogram.buckets(static_cast<int>(i)).upper_bound();
    if (std::memcmp(&bound, &bounds[i], sizeof(double)) != 0) return false;
  }
  return true;
}

void SeriesIndex::Account(Entry& entry, const v1::MetricSeries& series, int sign) {
  if (!series.has_histogram()) return;
  const v1::Histogram& histogram = series.histogram();
  const uint64_t factor = sign > 0 ? 1 : ~uint64_t{0};  // times -1 modulo 2^64
  entry.histogram_count += factor * histogram.count();
  auto layout = std::find_if(entry.layouts.begin(), entry.layouts.end(),
                             [&](const Layout& l) { return SameBits(histogram, l.bounds); });
  if (layout == entry.layouts.end()) {
    Layout& added = entry.layouts.emplace_back();
    for (const v1::Histogram::Bucket& bucket : histogram.buckets()) {
      added.bounds.push_back(bucket.upper_bound());
    }
    added.counts.assign(added.bounds.size(), 0);
    layout = entry.layouts.end() - 1;
  }
  layout->holders += factor;
  for (int i = 0; i < histogram.buckets_size(); ++i) {
    layout->counts[i] += factor * histogram.buckets(i).cumulative_count();
  }
  if (layout->holders == 0) entry.layouts.erase(layout);
}

void SeriesIndex::Insert(absl::string_view key, const v1::MetricSeries* series,
                         Contributor contributor) {
  Entry& entry = by_key_[key];
  auto it = Find(entry.holders, contributor);
  if (it != entry.holders.end() && !Before(contributor, it->contributor)) {
    Account(entry, *it->series, -1);
    it->series = series;
  } else {
    entry.holders.insert(it, Holder{contributor, series});
  }
  Account(entry, *series, 1);
}

void SeriesIndex::Erase(absl::string_view key, const v1::MetricSeries* series,
                        Contributor contributor) {
  auto found = by_key_.find(key);
  if (found == by_key_.end()) return;
  Entry& entry = found->second;
  auto it = Find(entry.holders, contributor);
  if (it == entry.holders.end() || Before(contributor, it->contributor) || it->series != series) {
    return;
  }
  Account(entry, *series, -1);
  entry.holders.erase(it);
  if (entry.holders.empty()) by_key_.erase(found);
}

void SeriesIndex::Add(const KeyedSeries& series, Contributor contributor) {
  for (int i = 0; i < series.snapshot.series_size(); ++i) {
    const v1::MetricSeries& one = series.snapshot.series(i);
    if (!one.has_gauge()) Insert(series.key(i), &one, contributor);
  }
}

void SeriesIndex::Remove(const KeyedSeries& series, Contributor contributor) {
  for (int i = 0; i < series.snapshot.series_size(); ++i) {
    const v1::MetricSeries& one = series.snapshot.series(i);
    if (!one.has_gauge()) Erase(series.key(i), &one, contributor);
  }
}

void SeriesIndex::Replace(const KeyedSeries& old_series, const KeyedSeries& new_series,
                          Contributor contributor) {
  // The new series take over their keys' holders in place; only keys the new snapshot lacks
  // still point at the old one and leave.
  if (&old_series == &new_series) return;
  Add(new_series, contributor);
  Remove(old_series, contributor);
}

v1::MetricSeries SeriesIndex::Sum(const Entry& entry) {
  auto it = entry.holders.begin();
  v1::MetricSeries sum = *it->series;
  if (sum.has_counter()) {
    double counter = sum.counter();
    for (++it; it != entry.holders.end(); ++it) counter += it->series->counter();
    sum.set_counter(counter);
    return sum;
  }
  if (entry.layouts.size() != 1) {  // bounds differ: merged over their union, as SeriesSum does
    for (++it; it != entry.holders.end(); ++it) AddCumulativeValue(&sum, *it->series);
    return sum;
  }
  v1::Histogram& histogram = *sum.mutable_histogram();
  double total = histogram.sum();
  double max = histogram.max();
  for (++it; it != entry.holders.end(); ++it) {
    const v1::Histogram& add = it->series->histogram();
    total += add.sum();
    max = std::max(max, add.max());
  }
  histogram.set_count(entry.histogram_count);
  histogram.set_sum(total);
  histogram.set_max(max);
  const std::vector<uint64_t>& counts = entry.layouts.front().counts;
  for (int i = 0; i < histogram.buckets_size(); ++i) {
    histogram.mutable_buckets(i)->set_cumulative_count(counts[i]);
  }
  return sum;
}

std::vector<v1::MetricSeries> SeriesIndex::Sums() const {
  std::vector<v1::MetricSeries> sums;
  sums.reserve(by_key_.size());
  for (const auto& [key, entry] : by_key_) sums.push_back(Sum(entry));
  return sums;
}

}  // namespace fleet_internal
}  // namespace dashboard
}  // namespace failover
