// MetricsRegistry: owns every counter, gauge, histogram and timer of a process, each identified
// by a name plus Tags. Get*() finds or creates a series and returns a reference that stays valid
// for the registry's lifetime, so hot paths look a meter up once and then update it lock-free.
//
// A series is never refused with an error: metrics must not break the call they observe. When a
// series cannot be created the caller gets a shared discarded meter (updates go nowhere and
// allocate nothing) and the denial is counted in
// `failover.metrics.denied.total{reason=cardinality|kind_conflict|invalid}`:
//   - cardinality: the CardinalityGuard refused a new `name` tag value (cardinality_guard.h);
//   - kind_conflict: the name + tags already belong to a meter of another kind;
//   - invalid: the name or a tag key is empty.
// The first registration of a series fixes its bucket layout and unit; later Get*() calls with
// other values return the existing meter.
//
//   failover::MetricsRegistry registry(options.cardinality);
//   failover::Counter& calls =
//       registry.GetCounter("failover.call.total", {{"name", "quotes"}, {"result", "success"}});
//   calls.Increment();
//   registry.GetTimer("failover.operation.duration", {{"name", "quotes"}, {"action", "store"}})
//       .Record(absl::Milliseconds(3));
//   failover::MetricsSnapshot snapshot = registry.Snapshot();
#ifndef FAILOVER_CORE_METRICS_METRICS_REGISTRY_H_
#define FAILOVER_CORE_METRICS_METRICS_REGISTRY_H_

#include <cstddef>
#include <memory>

#include "absl/strings/string_view.h"
#include "core/metrics/bucket_layout.h"
#include "core/metrics/cardinality_guard.h"
#include "core/metrics/meters.h"
#include "core/metrics/metrics_options.h"
#include "core/metrics/metrics_snapshot.h"
#include "core/metrics/tags.h"

namespace failover {

namespace metrics_internal {
struct Series;
struct Shard;
enum class MeterKind;
}  // namespace metrics_internal

// Thread-safe. Series live in 16 hash-sharded maps: a lookup locks one shard briefly (no global
// lock); creating a series also takes the CardinalityGuard's lock for guarded meters. Updates
// through returned meters take no lock.
class MetricsRegistry {
 public:
  static constexpr absl::string_view kDeniedMetric = "failover.metrics.denied.total";

  explicit MetricsRegistry(const CardinalityOptions& cardinality = CardinalityOptions());
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  Counter& GetCounter(absl::string_view name, const Tags& tags = Tags());
  Gauge& GetGauge(absl::string_view name, const Tags& tags = Tags());
  Histogram& GetHistogram(absl::string_view name, const Tags& tags = Tags(),
                          const BucketLayout& layout = BucketLayout::DefaultSeconds(),
                          absl::string_view unit = "");
  // A histogram of durations, exported in "seconds".
  Timer& GetTimer(absl::string_view name, const Tags& tags = Tags(),
                  const BucketLayout& layout = BucketLayout::DefaultSeconds());

  // Every series (not the discarded meters), sorted by name then tags.
  MetricsSnapshot Snapshot() const;
  // Number of series, the registry's own denial counters included.
  size_t series_count() const;

 private:
  static constexpr int kShardBits = 4;
  static constexpr size_t kShardCount = size_t{1} << kShardBits;

  // The existing or new series, or nullptr when denied (the denial is counted).
  metrics_internal::Series* FindOrCreate(absl::string_view name, const Tags& tags,
                                         metrics_internal::MeterKind kind,
                                         const BucketLayout& layout, absl::string_view unit);
  metrics_internal::Series* Create(absl::string_view name, const Tags& tags, size_t hash,
                                   metrics_internal::MeterKind kind, const BucketLayout& layout,
                                   absl::string_view unit);
  metrics_internal::Shard& ShardFor(size_t hash) const;

  CardinalityGuard guard_;
  const std::unique_ptr<metrics_internal::Shard[]> shards_;
  // Where denied callers' updates go; never exported.
  Counter discarded_counter_;
  Gauge discarded_gauge_;
  Histogram discarded_histogram_;
  Timer discarded_timer_;
  Counter* denied_cardinality_ = nullptr;
  Counter* denied_kind_conflict_ = nullptr;
  Counter* denied_invalid_ = nullptr;
};

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_METRICS_REGISTRY_H_
