// Meters: the live, lock-free instruments behind each series of a MetricsRegistry. Callers get
// them from the registry (metrics_registry.h), keep the reference, and update it on hot paths;
// every update is one or a few relaxed atomic operations, never a lock or an allocation.
//
//   failover::Counter& calls = registry.GetCounter("failover.call.total", tags);
//   calls.Increment();
//   registry.GetGauge("failover.live.entries").Set(42);
//   registry.GetTimer("failover.upstream.duration", tags).Record(absl::Milliseconds(12));
#ifndef FAILOVER_CORE_METRICS_METERS_H_
#define FAILOVER_CORE_METRICS_METERS_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/time/time.h"
#include "core/metrics/bucket_layout.h"

namespace failover {

class MetricsRegistry;

// A monotonically increasing count. Thread-safe and lock-free.
class Counter {
 public:
  Counter() = default;
  Counter(const Counter&) = delete;
  Counter& operator=(const Counter&) = delete;

  void Increment(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  friend class MetricsRegistry;  // Resets a retired series it revives.
  void Reset() { value_.store(0, std::memory_order_relaxed); }

  std::atomic<uint64_t> value_{0};
};

// A value that goes up and down. Thread-safe and lock-free.
class Gauge {
 public:
  Gauge() = default;
  Gauge(const Gauge&) = delete;
  Gauge& operator=(const Gauge&) = delete;

  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double delta);
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  friend class MetricsRegistry;
  void Reset() { Set(0.0); }

  std::atomic<double> value_{0.0};
};

// A point-in-time copy of a histogram. `bucket_counts` has one entry per bucket of the layout,
// the last being the overflow (+Inf) bucket; counts are per bucket, not cumulative. `count` is
// the sum of `bucket_counts`, so the two always agree; `sum` and `max` are read separately and
// may lag or lead by updates that were in flight while the copy was taken.
struct HistogramValue {
  uint64_t count = 0;
  double sum = 0;
  double max = 0;  // 0 when count == 0
  std::vector<double> upper_bounds;
  std::vector<uint64_t> bucket_counts;
};

// Distribution of recorded values over fixed buckets, plus count, sum and max. Thread-safe and
// lock-free: Record() is a bucket increment and two compare-and-swap loops (sum, max) that
// rarely retry.
class Histogram {
 public:
  explicit Histogram(const BucketLayout& layout);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  // Records `value`. NaN and infinities are ignored: they carry no usable magnitude and would
  // poison the sum. (Finite values near DBL_MAX can still add up to an infinite sum.)
  void Record(double value);
  HistogramValue Read() const;
  const BucketLayout& layout() const { return layout_; }

 private:
  friend class MetricsRegistry;
  friend class Timer;
  // Back to empty. Not atomic as a whole: a Record() racing it may be partly kept.
  void Reset();

  const BucketLayout layout_;
  const std::unique_ptr<std::atomic<uint64_t>[]> bucket_counts_;
  std::atomic<double> sum_{0.0};
  std::atomic<double> max_;
};

// A histogram of durations in seconds. Thread-safe and lock-free.
class Timer {
 public:
  explicit Timer(const BucketLayout& layout) : histogram_(layout) {}

  // Records `d` in seconds. A negative duration (e.g. from a wall clock that stepped back)
  // counts as zero; an infinite one is ignored.
  void Record(absl::Duration d);
  HistogramValue Read() const { return histogram_.Read(); }
  const BucketLayout& layout() const { return histogram_.layout(); }

 private:
  friend class MetricsRegistry;
  void Reset() { histogram_.Reset(); }

  Histogram histogram_;
};

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_METERS_H_
