#include "dashboard/fleet/internal/series_sum.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "dashboard/fleet/internal/series_key.h"

namespace failover {
namespace dashboard {
namespace fleet_internal {
namespace {

constexpr absl::string_view kInstanceTag = "instance";

bool SameBounds(const v1::Histogram& a, const v1::Histogram& b) {
  if (a.buckets_size() != b.buckets_size()) return false;
  for (int i = 0; i < a.buckets_size(); ++i) {
    if (a.buckets(i).upper_bound() != b.buckets(i).upper_bound()) return false;
  }
  return true;
}

// Buckets of two cumulative histograms with different bounds: at every bound of either, the sum
// of each one's cumulative count at its largest bound not above it.
void MergeBuckets(v1::Histogram* into, const v1::Histogram& add) {
  google::protobuf::RepeatedPtrField<v1::Histogram::Bucket> merged;
  int i = 0;
  int j = 0;
  uint64_t count_a = 0;
  uint64_t count_b = 0;
  while (i < into->buckets_size() || j < add.buckets_size()) {
    const bool take_a =
        j == add.buckets_size() || (i < into->buckets_size() &&
                                    into->buckets(i).upper_bound() <= add.buckets(j).upper_bound());
    const bool take_b =
        i == into->buckets_size() ||
        (j < add.buckets_size() && add.buckets(j).upper_bound() <= into->buckets(i).upper_bound());
    double bound = 0;
    if (take_a) {
      bound = into->buckets(i).upper_bound();
      count_a = into->buckets(i++).cumulative_count();
    }
    if (take_b) {
      bound = add.buckets(j).upper_bound();
      count_b = add.buckets(j++).cumulative_count();
    }
    v1::Histogram::Bucket* bucket = merged.Add();
    bucket->set_upper_bound(bound);
    bucket->set_cumulative_count(count_a + count_b);
  }
  into->mutable_buckets()->Swap(&merged);
}

void AddHistogram(v1::Histogram* into, const v1::Histogram& add) {
  into->set_count(into->count() + add.count());
  into->set_sum(into->sum() + add.sum());
  into->set_max(std::max(into->max(), add.max()));
  if (SameBounds(*into, add)) {
    for (int i = 0; i < add.buckets_size(); ++i) {
      v1::Histogram::Bucket* bucket = into->mutable_buckets(i);
      bucket->set_cumulative_count(bucket->cumulative_count() + add.buckets(i).cumulative_count());
    }
  } else {
    MergeBuckets(into, add);
  }
}

bool SeriesLess(const v1::MetricSeries& a, const v1::MetricSeries& b) {
  if (a.name() != b.name()) return a.name() < b.name();
  const int common = std::min(a.tags_size(), b.tags_size());
  for (int i = 0; i < common; ++i) {
    const auto ta = std::tie(a.tags(i).key(), a.tags(i).value());
    const auto tb = std::tie(b.tags(i).key(), b.tags(i).value());
    if (ta != tb) return ta < tb;
  }
  if (a.tags_size() != b.tags_size()) return a.tags_size() < b.tags_size();
  return a.value_case() < b.value_case();
}

}  // namespace

void AddCumulativeValue(v1::MetricSeries* into, const v1::MetricSeries& add) {
  if (add.has_counter()) {
    into->set_counter(into->counter() + add.counter());
  } else {
    AddHistogram(into->mutable_histogram(), add.histogram());
  }
}

std::shared_ptr<const KeyedSeries> MakeKeyed(v1::MetricsSnapshot snapshot) {
  auto keyed = std::make_shared<KeyedSeries>();
  size_t size = 0;
  for (const v1::MetricSeries& series : snapshot.series()) size += AggregationKeySizeBound(series);
  keyed->key_text.reserve(size);
  keyed->key_ends.reserve(snapshot.series_size());
  for (const v1::MetricSeries& series : snapshot.series()) {
    AppendAggregationKey(series, &keyed->key_text);
    keyed->key_ends.push_back(static_cast<uint32_t>(keyed->key_text.size()));
  }
  keyed->snapshot = std::move(snapshot);
  return keyed;
}

const std::shared_ptr<const KeyedSeries>& EmptyKeyed() {
  static const auto* const empty =
      new std::shared_ptr<const KeyedSeries>(std::make_shared<KeyedSeries>());
  return *empty;
}

void SeriesSum::AddCumulative(const KeyedSeries& series) {
  for (int i = 0; i < series.snapshot.series_size(); ++i) {
    const v1::MetricSeries& one = series.snapshot.series(i);
    if (one.has_gauge()) continue;
    auto [it, inserted] = cumulative_.try_emplace(series.key(i));
    if (inserted) {
      it->second = one;
    } else {
      AddCumulativeValue(&it->second, one);
    }
  }
}

void SeriesSum::AddSummed(std::vector<v1::MetricSeries> summed) {
  if (summed_.empty()) {
    summed_ = std::move(summed);
  } else {
    for (v1::MetricSeries& one : summed) summed_.push_back(std::move(one));
  }
}

void SeriesSum::AddGauges(const KeyedSeries& series, absl::string_view instance_id) {
  for (const v1::MetricSeries& one : series.snapshot.series()) {
    if (!one.has_gauge()) continue;
    // Built field by field rather than copied and then shifted: the tags are copied once, with
    // instance=<id> put in its sorted place (replacing the series' own instance tag, if any).
    v1::MetricSeries& gauge = gauges_.emplace_back();
    gauge.set_name(one.name());
    gauge.set_unit(one.unit());
    gauge.set_gauge(one.gauge());
    auto* tags = gauge.mutable_tags();
    tags->Reserve(one.tags_size() + 1);
    bool placed = false;
    for (const v1::Tag& tag : one.tags()) {
      if (!placed && absl::string_view(tag.key()) >= kInstanceTag) {
        v1::Tag* instance = tags->Add();
        instance->set_key(std::string(kInstanceTag));
        instance->set_value(std::string(instance_id));
        placed = true;
        if (tag.key() == kInstanceTag) continue;
      }
      *tags->Add() = tag;
    }
    if (!placed) {
      v1::Tag* instance = tags->Add();
      instance->set_key(std::string(kInstanceTag));
      instance->set_value(std::string(instance_id));
    }
  }
}

std::vector<v1::MetricSeries> SeriesSum::Finish() && {
  std::vector<v1::MetricSeries> all = std::move(gauges_);
  all.reserve(all.size() + cumulative_.size() + summed_.size());
  for (auto& [key, series] : cumulative_) all.push_back(std::move(series));
  for (v1::MetricSeries& series : summed_) all.push_back(std::move(series));
  // Stable: equal gauges keep the order they were added in, whatever order the sums come in.
  std::stable_sort(all.begin(), all.end(), SeriesLess);
  return all;
}

std::shared_ptr<const KeyedSeries> SeriesSum::FinishCumulative() && {
  auto keyed = std::make_shared<KeyedSeries>();
  size_t size = 0;
  for (const auto& entry : cumulative_) size += entry.first.size();
  keyed->key_text.reserve(size);
  keyed->key_ends.reserve(cumulative_.size());
  keyed->snapshot.mutable_series()->Reserve(static_cast<int>(cumulative_.size()));
  for (auto& [key, series] : cumulative_) {
    keyed->AddKey(key);
    *keyed->snapshot.add_series() = std::move(series);
  }
  return keyed;
}

std::shared_ptr<const KeyedSeries> SumCumulative(const KeyedSeries* a, const KeyedSeries* b) {
  SeriesSum sum;
  if (a != nullptr) sum.AddCumulative(*a);
  if (b != nullptr) sum.AddCumulative(*b);
  return std::move(sum).FinishCumulative();
}

}  // namespace fleet_internal
}  // namespace dashboard
}  // namespace failover
