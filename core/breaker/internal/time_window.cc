#include "core/breaker/internal/time_window.h"

#include <algorithm>
#include <limits>

namespace failover {
namespace breaker_internal {

TimeWindow::TimeWindow(absl::Duration duration, uint32_t buckets)
    : bucket_nanos_(std::max<int64_t>(1, absl::ToInt64Nanoseconds(duration) / buckets)),
      bucket_count_(buckets),
      buckets_(new Bucket[buckets]),
      head_tick_(std::numeric_limits<int64_t>::min()) {
  for (uint32_t i = 0; i < bucket_count_; ++i) {
    buckets_[i].opened_for.store(std::numeric_limits<int64_t>::min(), std::memory_order_relaxed);
  }
}

void TimeWindow::OpenBucket(int64_t tick) {
  Bucket& bucket = BucketFor(tick);
  int64_t opened = bucket.opened_for.load(std::memory_order_acquire);
  while (opened < tick) {
    if (bucket.opened_for.compare_exchange_weak(opened, tick, std::memory_order_acq_rel)) {
      totals_.Subtract(bucket.counts.Drain());
      return;
    }
  }
}

int64_t TimeWindow::TickOf(MonotonicTime t) const {
  // Floor division, so ticks stay ordered for times before the clock's origin too.
  const int64_t n = t.nanos();
  return n >= 0 ? n / bucket_nanos_ : -((-(n + 1)) / bucket_nanos_) - 1;
}

void TimeWindow::AdvanceTo(int64_t tick) {
  int64_t head = head_tick_.load(std::memory_order_acquire);
  while (head < tick) {
    if (head_tick_.compare_exchange_weak(head, tick, std::memory_order_acq_rel)) {
      // This thread moved the head from `head` to `tick`: ticks (head, tick] are new and their
      // buckets still hold calls from a whole window ago (or more); empty them.
      const int64_t first =
          (head == std::numeric_limits<int64_t>::min() || tick - head > bucket_count_)
              ? tick - bucket_count_ + 1
              : head + 1;
      // The newest bucket first: recorders at `tick` start using it as soon as the head moves.
      OpenBucket(tick);
      for (int64_t t = first; t < tick; ++t) OpenBucket(t);
      return;
    }
  }
}

WindowTotals TimeWindow::Record(Outcome o, MonotonicTime now) {
  const int64_t tick = TickOf(now);
  AdvanceTo(tick);
  if (tick <= head_tick_.load(std::memory_order_acquire) - bucket_count_) return totals_.Load();
  // Totals first, bucket second: a concurrent Drain() of this bucket then either sees this call
  // (and subtracts it from the totals) or not (and it stays in both), so they never drift.
  totals_.Add(o, +1);
  BucketFor(tick).counts.Add(o, +1);
  return totals_.Load();
}

WindowTotals TimeWindow::Totals(MonotonicTime now) {
  AdvanceTo(TickOf(now));
  return totals_.Load();
}

void TimeWindow::Reset() {
  for (uint32_t i = 0; i < bucket_count_; ++i) totals_.Subtract(buckets_[i].counts.Drain());
}

}  // namespace breaker_internal
}  // namespace failover
