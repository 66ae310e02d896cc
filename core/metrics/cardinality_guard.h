// CardinalityGuard: caps how many distinct values of the `name` tag the failover.* meters may
// use (failover.observable.cardinality.*), so a caller that puts an unbounded value (a URL, a
// user id) into `name` cannot grow the registry without limit. The registry asks it before
// creating a series; series that already exist are never affected.
//
//   failover::CardinalityGuard guard(failover::CardinalityOptions{true, 2});
//   guard.Admit("failover.call.total", {{"name", "a"}});   // true
//   guard.Admit("failover.store.total", {{"name", "b"}});  // true (2 names now)
//   guard.Admit("failover.call.total", {{"name", "c"}});   // false: cap reached
//   guard.Admit("failover.call.total", {{"name", "a"}});   // true: known name
//   guard.Admit("http.requests", {{"name", "c"}});         // true: not a failover.* meter
#ifndef FAILOVER_CORE_METRICS_CARDINALITY_GUARD_H_
#define FAILOVER_CORE_METRICS_CARDINALITY_GUARD_H_

#include <cstddef>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "core/metrics/metrics_options.h"
#include "core/metrics/tags.h"
#include "core/sync.h"

namespace failover {

// Thread-safe. Admit() takes a short internal lock; it runs only when a series is created.
class CardinalityGuard {
 public:
  // Expects validated options; a max_apis below 1 admits no new name.
  explicit CardinalityGuard(const CardinalityOptions& options);

  // Whether a new series (metric_name, tags) may be created. Meters outside failover.*, the
  // toolkit's own failover.metrics.* meters and series without a `name` tag always pass. A new
  // `name` value is remembered if admitted; once max_apis values are known, new ones fail.
  bool Admit(absl::string_view metric_name, const Tags& tags) ABSL_LOCKS_EXCLUDED(mu_);

  // Whether the guard applies to meters called `metric_name`.
  static bool Guards(absl::string_view metric_name);

  // Distinct `name` values admitted so far.
  size_t admitted_names() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const bool enabled_;
  const size_t max_names_;
  mutable Mutex mu_;
  absl::flat_hash_set<std::string> names_ ABSL_GUARDED_BY(mu_);
};

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_CARDINALITY_GUARD_H_
