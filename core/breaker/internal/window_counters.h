// Four atomic counters (calls, failed, slow, slow-and-failed) that move together when an
// outcome is added or removed. Shared by the count-based and time-based windows.
#ifndef FAILOVER_CORE_BREAKER_INTERNAL_WINDOW_COUNTERS_H_
#define FAILOVER_CORE_BREAKER_INTERNAL_WINDOW_COUNTERS_H_

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "core/breaker/internal/outcome.h"

namespace failover {
namespace breaker_internal {

// Thread-safe, lock-free. Individual counters may be read mid-update (a transient skew of the
// calls being recorded at that instant); negative transients are clamped to 0.
class WindowCounters {
 public:
  // Adds `sign` (+1 or -1) times the outcome `o`.
  void Add(Outcome o, int64_t sign) {
    if (o == kEmpty) return;
    calls_.fetch_add(sign, std::memory_order_relaxed);
    if (o & 2) failed_.fetch_add(sign, std::memory_order_relaxed);
    if (o & 4) slow_.fetch_add(sign, std::memory_order_relaxed);
    if (o == kSlowFailure) slow_failed_.fetch_add(sign, std::memory_order_relaxed);
  }

  // Replaces an outcome with another: only the counters that differ move.
  void Replace(Outcome old_outcome, Outcome new_outcome) {
    const int64_t d_calls = (new_outcome & 1) - (old_outcome & 1);
    const int64_t d_failed = ((new_outcome >> 1) & 1) - ((old_outcome >> 1) & 1);
    const int64_t d_slow = ((new_outcome >> 2) & 1) - ((old_outcome >> 2) & 1);
    const int64_t d_slow_failed = (new_outcome == kSlowFailure) - (old_outcome == kSlowFailure);
    if (d_calls != 0) calls_.fetch_add(d_calls, std::memory_order_relaxed);
    if (d_failed != 0) failed_.fetch_add(d_failed, std::memory_order_relaxed);
    if (d_slow != 0) slow_.fetch_add(d_slow, std::memory_order_relaxed);
    if (d_slow_failed != 0) slow_failed_.fetch_add(d_slow_failed, std::memory_order_relaxed);
  }

  // Subtracts totals removed from a bucket.
  void Subtract(const WindowTotals& t) {
    if (t.calls) calls_.fetch_sub(t.calls, std::memory_order_relaxed);
    if (t.failed) failed_.fetch_sub(t.failed, std::memory_order_relaxed);
    if (t.slow) slow_.fetch_sub(t.slow, std::memory_order_relaxed);
    if (t.slow_failed) slow_failed_.fetch_sub(t.slow_failed, std::memory_order_relaxed);
  }

  // Sets every counter to 0 and returns what they held.
  WindowTotals Drain() {
    WindowTotals t;
    t.calls = calls_.exchange(0, std::memory_order_relaxed);
    t.failed = failed_.exchange(0, std::memory_order_relaxed);
    t.slow = slow_.exchange(0, std::memory_order_relaxed);
    t.slow_failed = slow_failed_.exchange(0, std::memory_order_relaxed);
    return t;
  }

  WindowTotals Load() const {
    WindowTotals t;
    t.calls = std::max<int64_t>(0, calls_.load(std::memory_order_relaxed));
    t.failed = std::max<int64_t>(0, failed_.load(std::memory_order_relaxed));
    t.slow = std::max<int64_t>(0, slow_.load(std::memory_order_relaxed));
    t.slow_failed = std::max<int64_t>(0, slow_failed_.load(std::memory_order_relaxed));
    return t;
  }

 private:
  std::atomic<int64_t> calls_{0};
  std::atomic<int64_t> failed_{0};
  std::atomic<int64_t> slow_{0};
  std::atomic<int64_t> slow_failed_{0};
};

}  // namespace breaker_internal
}  // namespace failover

#endif  // FAILOVER_CORE_BREAKER_INTERNAL_WINDOW_COUNTERS_H_
