// The states of a CircuitBreaker, why it moves between them, and the event listeners receive.
#ifndef FAILOVER_CORE_BREAKER_CIRCUIT_BREAKER_STATE_H_
#define FAILOVER_CORE_BREAKER_CIRCUIT_BREAKER_STATE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/clock.h"

namespace failover {

enum class CircuitBreakerState : uint8_t {
  kClosed = 0,      // Calls pass; outcomes are judged.
  kOpen = 1,        // Calls are refused until the wait ends.
  kHalfOpen = 2,    // A limited trial of calls decides CLOSED or OPEN.
  kDisabled = 3,    // Calls pass; nothing is judged (manual).
  kForcedOpen = 4,  // Calls are refused until told otherwise (manual).
};
inline constexpr int kCircuitBreakerStateCount = 5;

// "CLOSED", "OPEN", "HALF_OPEN", "DISABLED", "FORCED_OPEN" (resilience4j's names).
absl::string_view StateName(CircuitBreakerState state);

enum class TransitionReason : uint8_t {
  kFailureRate,          // CLOSED -> OPEN: failure rate reached the threshold.
  kSlowCallRate,         // CLOSED -> OPEN: slow-call rate reached the threshold.
  kConsecutiveFailures,  // CLOSED -> OPEN: that many failures in a row.
  kOpenWaitElapsed,      // OPEN -> HALF_OPEN.
  kTrialPassed,          // HALF_OPEN -> CLOSED.
  kTrialFailed,          // HALF_OPEN -> OPEN: the trial's failure or slow rate was too high.
  kTrialTimedOut,        // HALF_OPEN -> OPEN: max_wait_duration_in_half_open_state passed.
  kManual,               // A TransitionTo*() or Reset() call.
};

absl::string_view ReasonName(TransitionReason reason);

struct StateTransitionEvent {
  std::string breaker;  // CircuitBreaker::name()
  CircuitBreakerState from;
  CircuitBreakerState to;
  TransitionReason reason;
  MonotonicTime at;
  absl::Time wall_time;
  // For trips: the window's rates (percent) at the moment of the decision; -1 when not judged.
  double failure_rate = -1;
  double slow_call_rate = -1;
  // For CLOSED/HALF_OPEN -> OPEN: how long the breaker will stay OPEN.
  absl::Duration open_wait = absl::ZeroDuration();

  // "breaker 'redis-a': CLOSED -> OPEN because of failure rate (failure 62.0%, slow 0.0%,
  // open for 1m)".
  std::string ToString() const;
};

}  // namespace failover

#endif  // FAILOVER_CORE_BREAKER_CIRCUIT_BREAKER_STATE_H_
