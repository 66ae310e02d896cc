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
// Retire(name, tags) takes a series out of Snapshot() (and so out of every exporter), e.g. the
// gauge of a service that went away. Its meter is never freed, because callers may hold the
// reference: writes through it still succeed but are not exported, and the next Get*() of the
// same name, tags and kind revives the series with a fresh value (0, or an empty histogram) and
// returns the same meter, so a held reference counts again from there. Updates racing the
// revival may land before the reset (lost) or after it (kept). A retired series no longer
// counts against the cardinality guard; reviving it is admitted like a new one (and may be
// denied). It still occupies its name + tags: reviving it as another kind is a kind conflict.
// Memory is bounded by the distinct series ever created, not by retire/revive cycles.
//
//   failover::MetricsRegistry registry(options.cardinality);
//   failover::Counter& calls =
//       registry.GetCounter("failover.call.total", {{"name", "quotes"}, {"result", "success"}});
//   calls.Increment();
//   registry.GetTimer("failover.operation.duration", {{"name", "quotes"}, {"action", "store"}})
//       .Record(absl::Milliseconds(3));
//   failover::MetricsSnapshot snapshot = registry.Snapshot();
//   registry.Retire("failover.naming.failover.instances", {{"service", "DEFAULT_GROUP@@orders"}});
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
// lock); creating, reviving or retiring a series also takes the CardinalityGuard's lock for
// guarded meters. Updates through returned meters take no lock.
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

  // Stops exporting the series `name` + `tags` (of any kind) until a Get*() revives it; see the
  // file comment. Returns false when there is no such exported series, and for the registry's
  // own denial counters, which are always exported.
  bool Retire(absl::string_view name, const Tags& tags = Tags());

  // Every exported series (not the discarded meters, not retired ones), sorted by name then tags.
  MetricsSnapshot Snapshot() const;
  // Number of exported series, the registry's own denial counters included.
  size_t series_count() const;

 private:
  static constexpr int kShardBits = 4;
  static constexpr size_t kShardCount = size_t{1} << kShardBits;

  // The existing or new series, or nullptr when denied (the denial is counted).
  metrics_internal::Series* FindOrCreate(absl::string_view name, const Tags& tags,
                                         metrics_internal::MeterKind kind,
                                         const BucketLayout& layout, absl::string_view unit);
  static void ResetMeter(metrics_internal::Series& series);
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
