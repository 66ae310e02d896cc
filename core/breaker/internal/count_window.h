// CountWindow: the outcomes of the last N calls, as a ring of N one-byte slots plus running
// totals. Recording costs one fetch_add and one exchange; the totals move only when the
// outcome that falls out of the window differs from the one coming in, so a steady stream of
// successes touches no counter at all.
#ifndef FAILOVER_CORE_BREAKER_INTERNAL_COUNT_WINDOW_H_
#define FAILOVER_CORE_BREAKER_INTERNAL_COUNT_WINDOW_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include "core/breaker/internal/outcome.h"
#include "core/breaker/internal/window_counters.h"

namespace failover {
namespace breaker_internal {

// Thread-safe, lock-free, allocation-free after construction. Reset() must not race with
// Record() for the result to be exact (the breaker guarantees it up to a call that was being
// recorded across a whole trip-and-recover cycle; such a call may land in the new window).
class CountWindow {
 public:
  explicit CountWindow(uint32_t size);

  // Records one outcome. Returns true if the totals changed.
  bool Record(Outcome o) {
    const uint32_t ticket = next_.fetch_add(1, std::memory_order_relaxed);
    const Outcome old =
        static_cast<Outcome>(slots_[FastMod(ticket)].exchange(o, std::memory_order_relaxed));
    if (old == o) return false;
    counters_.Replace(old, o);
    return true;
  }

  WindowTotals Totals() const { return counters_.Load(); }
  uint32_t size() const { return size_; }
  void Reset();

 private:
  // ticket % size_ without a division (Lemire's fastmod). The 32-bit ticket wraps every 2^32
  // calls; at that instant the ring skips ahead once, which only shortens one pass.
  uint32_t FastMod(uint32_t ticket) const {
    const uint64_t low = magic_ * ticket;
    return static_cast<uint32_t>((static_cast<__uint128_t>(low) * size_) >> 64);
  }

  const uint32_t size_;
  const uint64_t magic_;
  std::unique_ptr<std::atomic<uint8_t>[]> slots_;
  alignas(64) std::atomic<uint32_t> next_{0};
  alignas(64) WindowCounters counters_;
};

}  // namespace breaker_internal
}  // namespace failover

#endif  // FAILOVER_CORE_BREAKER_INTERNAL_COUNT_WINDOW_H_
