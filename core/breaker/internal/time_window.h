// TimeWindow: the outcomes of the calls made during the last D of monotonic time. D is cut into
// B buckets of D/B each; the window covers the current bucket and the B-1 before it, so its
// trailing edge advances every D/B (with the default 20 buckets, in 5 % steps of D), driven by
// the monotonic clock rather than epoch-second boundaries. Running totals are kept beside the
// buckets, so reading the window is O(1); buckets that fall out are subtracted as the window
// advances, by whichever recorder gets there first (a CAS, not a lock).
#ifndef FAILOVER_CORE_BREAKER_INTERNAL_TIME_WINDOW_H_
#define FAILOVER_CORE_BREAKER_INTERNAL_TIME_WINDOW_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include "absl/time/time.h"
#include "core/breaker/internal/outcome.h"
#include "core/breaker/internal/window_counters.h"
#include "core/clock.h"

namespace failover {
namespace breaker_internal {

// Thread-safe, lock-free, allocation-free after construction. The totals always equal the sum
// of the buckets (no drift). A call recorded in the very instant its bucket is being recycled
// (the first nanoseconds of a new bucket) may be dropped; nothing else is lost.
class TimeWindow {
 public:
  TimeWindow(absl::Duration duration, uint32_t buckets);

  // Records one outcome at `now` and returns the window's totals with it. Calls older than the
  // window (a thread delayed past D) are dropped.
  WindowTotals Record(Outcome o, MonotonicTime now);
  // Totals of the calls within the window ending at `now`.
  WindowTotals Totals(MonotonicTime now);
  void Reset();

 private:
  int64_t TickOf(MonotonicTime t) const;
  // Moves the head to `tick`, emptying the buckets of the ticks that fell out of the window.
  void AdvanceTo(int64_t tick);
  struct Bucket {
    // The newest tick this bucket was emptied for; only a drain for a later tick empties it, so
    // a drainer delayed past newer traffic cannot wipe calls that are still in the window.
    std::atomic<int64_t> opened_for;
    WindowCounters counts;
  };
  Bucket& BucketFor(int64_t tick) {
    const int64_t n = bucket_count_;
    return buckets_[((tick % n) + n) % n];  // Floor modulo: negative ticks too.
  }
  // Empties the bucket of `tick` unless it was already emptied for `tick` or a later tick.
  void OpenBucket(int64_t tick);

  const int64_t bucket_nanos_;
  const uint32_t bucket_count_;
  std::unique_ptr<Bucket[]> buckets_;
  alignas(64) std::atomic<int64_t> head_tick_;
  alignas(64) WindowCounters totals_;
};

}  // namespace breaker_internal
}  // namespace failover

#endif  // FAILOVER_CORE_BREAKER_INTERNAL_TIME_WINDOW_H_
