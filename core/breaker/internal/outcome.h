// How one call ended, as the sliding windows store it, and the totals they keep.
#ifndef FAILOVER_CORE_BREAKER_INTERNAL_OUTCOME_H_
#define FAILOVER_CORE_BREAKER_INTERNAL_OUTCOME_H_

#include <cstdint>

namespace failover {
namespace breaker_internal {

// Bit 0: a call is present; bit 1: it failed; bit 2: it was slow. 0 = empty slot.
enum Outcome : uint8_t {
  kEmpty = 0,
  kSuccess = 1,
  kFailure = 3,
  kSlowSuccess = 5,
  kSlowFailure = 7,
};

inline Outcome MakeOutcome(bool failed, bool slow) {
  return static_cast<Outcome>(1 | (failed ? 2 : 0) | (slow ? 4 : 0));
}

// Counts over a window. Under concurrent recording a total read may lag by the calls being
// recorded at that instant; it never drifts.
struct WindowTotals {
  int64_t calls = 0;
  int64_t failed = 0;
  int64_t slow = 0;
  int64_t slow_failed = 0;
};

}  // namespace breaker_internal
}  // namespace failover

#endif  // FAILOVER_CORE_BREAKER_INTERNAL_OUTCOME_H_
