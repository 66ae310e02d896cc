#include "core/metrics/metrics_registry.h"

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "core/sync.h"

namespace failover {
namespace metrics_internal {

// Timers are histograms on export but a kind of their own here, so that GetHistogram() on a
// timer's id is a conflict rather than a second view of it.
enum class MeterKind { kCounter, kGauge, kHistogram, kTimer };

using Meter = std::variant<Counter, Gauge, Histogram, Timer>;

// Alternatives hold atomics, so the variant is built in place and never moved.
Meter MakeMeter(MeterKind kind, const BucketLayout& layout) {
  switch (kind) {
    case MeterKind::kGauge:
      return Meter(std::in_place_type<Gauge>);
    case MeterKind::kHistogram:
      return Meter(std::in_place_type<Histogram>, layout);
    case MeterKind::kTimer:
      return Meter(std::in_place_type<Timer>, layout);
    case MeterKind::kCounter:
      break;
  }
  return Meter(std::in_place_type<Counter>);
}

struct Series {
  Series(MeterKind kind, const BucketLayout& layout, std::string unit)
      : kind(kind), unit(std::move(unit)), meter(MakeMeter(kind, layout)) {}

  const MeterKind kind;
  const std::string unit;
  Meter meter;
  // Retire()d and not asked for since: kept (callers may hold the meter) but not exported.
  // Guarded by the owning Shard's mu.
  bool retired = false;
};

struct MetricId {
  std::string name;
  Tags tags;
};

// Borrowed view of a MetricId, so lookups need not copy the name.
struct MetricIdRef {
  absl::string_view name;
  const Tags& tags;

  template <typename H>
  friend H AbslHashValue(H h, const MetricIdRef& id) {
    return H::combine(std::move(h), id.name, id.tags);
  }
};

struct MetricIdHash {
  using is_transparent = void;
  size_t operator()(const MetricIdRef& id) const { return absl::Hash<MetricIdRef>()(id); }
  size_t operator()(const MetricId& id) const { return (*this)(MetricIdRef{id.name, id.tags}); }
};

struct MetricIdEq {
  using is_transparent = void;
  static MetricIdRef Ref(const MetricId& id) { return MetricIdRef{id.name, id.tags}; }
  static MetricIdRef Ref(const MetricIdRef& id) { return id; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    const MetricIdRef x = Ref(a), y = Ref(b);
    return x.name == y.name && x.tags == y.tags;
  }
};

// Aligned so that two shards' locks never share a cache line.
struct alignas(64) Shard {
  mutable Mutex mu;
  absl::flat_hash_map<MetricId, std::unique_ptr<Series>, MetricIdHash, MetricIdEq> series
      ABSL_GUARDED_BY(mu);
  size_t retired ABSL_GUARDED_BY(mu) = 0;  // Series with `retired` set.
};

}  // namespace metrics_internal

using metrics_internal::MeterKind;
using metrics_internal::MetricId;
using metrics_internal::MetricIdHash;
using metrics_internal::MetricIdRef;
using metrics_internal::Series;
using metrics_internal::Shard;

MetricsRegistry::MetricsRegistry(const CardinalityOptions& cardinality)
    : guard_(cardinality),
      shards_(new Shard[kShardCount]),
      discarded_histogram_(BucketLayout::DefaultSeconds()),
      discarded_timer_(BucketLayout::DefaultSeconds()) {
  // Registered up front so a snapshot shows zero denials rather than nothing.
  denied_cardinality_ = &GetCounter(kDeniedMetric, {{"reason", "cardinality"}});
  denied_kind_conflict_ = &GetCounter(kDeniedMetric, {{"reason", "kind_conflict"}});
  denied_invalid_ = &GetCounter(kDeniedMetric, {{"reason", "invalid"}});
}

MetricsRegistry::~MetricsRegistry() = default;

Shard& MetricsRegistry::ShardFor(size_t hash) const {
  // The top bits: flat_hash_map indexes with the low ones, so these stay independent.
  return shards_[hash >> (sizeof(size_t) * 8 - kShardBits)];
}

namespace {

bool Valid(absl::string_view name, const Tags& tags) {
  if (name.empty()) return false;
  for (const Tag& tag : tags.items()) {
    if (tag.key.empty()) return false;
  }
  return true;
}

}  // namespace

// One lock of one shard for the whole decision, so the guard's counts always match the shard's
// exported series (the guard's lock nests inside shard locks and never the other way round).
Series* MetricsRegistry::FindOrCreate(absl::string_view name, const Tags& tags, MeterKind kind,
                                      const BucketLayout& layout, absl::string_view unit) {
  const MetricIdRef id{name, tags};
  const size_t hash = MetricIdHash()(id);
  Shard& shard = ShardFor(hash);
  MutexLock lock(&shard.mu);
  auto it = shard.series.find(id, hash);
  if (it == shard.series.end()) {
    if (!Valid(name, tags)) {
      denied_invalid_->Increment();
      return nullptr;
    }
    if (!guard_.Admit(name, tags)) {
      denied_cardinality_->Increment();
      return nullptr;
    }
    it = shard.series
             .try_emplace(MetricId{std::string(name), tags},
                          std::make_unique<Series>(kind, layout, std::string(unit)))
             .first;
    return it->second.get();
  }
  Series& series = *it->second;
  if (series.kind != kind) {
    denied_kind_conflict_->Increment();
    return nullptr;
  }
  if (series.retired) {
    if (!guard_.Admit(name, tags)) {
      denied_cardinality_->Increment();
      return nullptr;
    }
    ResetMeter(series);
    series.retired = false;
    --shard.retired;
  }
  return &series;
}

void MetricsRegistry::ResetMeter(Series& series) {
  switch (series.kind) {
    case MeterKind::kCounter:
      std::get_if<Counter>(&series.meter)->Reset();
      break;
    case MeterKind::kGauge:
      std::get_if<Gauge>(&series.meter)->Reset();
      break;
    case MeterKind::kHistogram:
      std::get_if<Histogram>(&series.meter)->Reset();
      break;
    case MeterKind::kTimer:
      std::get_if<Timer>(&series.meter)->Reset();
      break;
  }
}

bool MetricsRegistry::Retire(absl::string_view name, const Tags& tags) {
  if (name == kDeniedMetric) return false;
  const MetricIdRef id{name, tags};
  const size_t hash = MetricIdHash()(id);
  Shard& shard = ShardFor(hash);
  MutexLock lock(&shard.mu);
  auto it = shard.series.find(id, hash);
  if (it == shard.series.end() || it->second->retired) return false;
  it->second->retired = true;
  ++shard.retired;
  guard_.Release(name, tags);
  return true;
}

Counter& MetricsRegistry::GetCounter(absl::string_view name, const Tags& tags) {
  Series* s = FindOrCreate(name, tags, MeterKind::kCounter, BucketLayout::DefaultSeconds(), "");
  return s == nullptr ? discarded_counter_ : *std::get_if<Counter>(&s->meter);
}

Gauge& MetricsRegistry::GetGauge(absl::string_view name, const Tags& tags) {
  Series* s = FindOrCreate(name, tags, MeterKind::kGauge, BucketLayout::DefaultSeconds(), "");
  return s == nullptr ? discarded_gauge_ : *std::get_if<Gauge>(&s->meter);
}

Histogram& MetricsRegistry::GetHistogram(absl::string_view name, const Tags& tags,
                                         const BucketLayout& layout, absl::string_view unit) {
  Series* s = FindOrCreate(name, tags, MeterKind::kHistogram, layout, unit);
  return s == nullptr ? discarded_histogram_ : *std::get_if<Histogram>(&s->meter);
}

Timer& MetricsRegistry::GetTimer(absl::string_view name, const Tags& tags,
                                 const BucketLayout& layout) {
  Series* s = FindOrCreate(name, tags, MeterKind::kTimer, layout, "seconds");
  return s == nullptr ? discarded_timer_ : *std::get_if<Timer>(&s->meter);
}

namespace {

SeriesSnapshot Capture(const MetricId& id, const Series& series) {
  SeriesSnapshot out;
  out.name = id.name;
  out.tags = id.tags;
  out.unit = series.unit;
  switch (series.kind) {
    case MeterKind::kCounter:
      out.kind = SeriesKind::kCounter;
      out.value = static_cast<double>(std::get_if<Counter>(&series.meter)->Value());
      break;
    case MeterKind::kGauge:
      out.kind = SeriesKind::kGauge;
      out.value = std::get_if<Gauge>(&series.meter)->Value();
      break;
    case MeterKind::kHistogram:
      out.kind = SeriesKind::kHistogram;
      out.histogram = std::get_if<Histogram>(&series.meter)->Read();
      break;
    case MeterKind::kTimer:
      out.kind = SeriesKind::kHistogram;
      out.histogram = std::get_if<Timer>(&series.meter)->Read();
      break;
  }
  return out;
}

}  // namespace

MetricsSnapshot MetricsRegistry::Snapshot() const {
  std::vector<SeriesSnapshot> all;
  for (size_t i = 0; i < kShardCount; ++i) {
    MutexLock lock(&shards_[i].mu);
    for (const auto& [id, series] : shards_[i].series) {
      if (!series->retired) all.push_back(Capture(id, *series));
    }
  }
  return MetricsSnapshot(std::move(all));
}

size_t MetricsRegistry::series_count() const {
  size_t n = 0;
  for (size_t i = 0; i < kShardCount; ++i) {
    MutexLock lock(&shards_[i].mu);
    n += shards_[i].series.size() - shards_[i].retired;
  }
  return n;
}

}  // namespace failover
