// CardinalityGuard: caps how many distinct values of the `name` tag the failover.* meters may
// use (failover.observable.cardinality.*), so a caller that puts an unbounded value (a URL, a
// user id) into `name` cannot grow the registry without limit. The registry asks it before
// creating (or reviving) a series and tells it when a series is retired; series that already
// exist are never affected. A name stays counted while at least one exported series carries it,
// so retiring every series of a name frees its slot.
//
//   failover::CardinalityGuard guard(failover::CardinalityOptions{true, 2});
//   guard.Admit("failover.call.total", {{"name", "a"}});   // true
//   guard.Admit("failover.store.total", {{"name", "b"}});  // true (2 names now)
//   guard.Admit("failover.call.total", {{"name", "c"}});   // false: cap reached
//   guard.Admit("failover.call.total", {{"name", "a"}});   // true: known name
//   guard.Admit("http.requests", {{"name", "c"}});         // true: not a failover.* meter
//   guard.Release("failover.store.total", {{"name", "b"}});  // b's only series: slot freed
//   guard.Admit("failover.call.total", {{"name", "c"}});   // true now
#ifndef FAILOVER_CORE_METRICS_CARDINALITY_GUARD_H_
#define FAILOVER_CORE_METRICS_CARDINALITY_GUARD_H_

#include <cstddef>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "core/metrics/metrics_options.h"
#include "core/metrics/tags.h"
#include "core/sync.h"

namespace failover {

// Thread-safe. Admit() and Release() take a short internal lock; they run only when a series is
// created, revived or retired.
class CardinalityGuard {
 public:
  // Expects validated options; a max_apis below 1 admits no new name.
  explicit CardinalityGuard(const CardinalityOptions& options);

  // Whether a new series (metric_name, tags) may be created. Meters outside failover.*, the
  // toolkit's own failover.metrics.* meters and series without a `name` tag always pass. An
  // admitted guarded series is counted under its `name` value until Release(); once max_apis
  // values are counted, new ones fail.
  bool Admit(absl::string_view metric_name, const Tags& tags) ABSL_LOCKS_EXCLUDED(mu_);

  // A series that Admit() passed is no longer exported. When it was the last one counted under
  // its `name` value, that value no longer counts against max_apis. Call it once per admitted
  // series (the registry does); series the guard does not apply to are ignored.
  void Release(absl::string_view metric_name, const Tags& tags) ABSL_LOCKS_EXCLUDED(mu_);

  // Whether the guard applies to meters called `metric_name`.
  static bool Guards(absl::string_view metric_name);

  // Distinct `name` values of the series admitted and not released.
  size_t admitted_names() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const bool enabled_;
  const size_t max_names_;
  mutable Mutex mu_;
  // `name` value -> series counted under it (> 0).
  absl::flat_hash_map<std::string, size_t> names_ ABSL_GUARDED_BY(mu_);
};

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_CARDINALITY_GUARD_H_
