#include "core/breaker/circuit_breaker_state.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace failover {

absl::string_view StateName(CircuitBreakerState state) {
  switch (state) {
    case CircuitBreakerState::kClosed:
      return "CLOSED";
    case CircuitBreakerState::kOpen:
      return "OPEN";
    case CircuitBreakerState::kHalfOpen:
      return "HALF_OPEN";
    case CircuitBreakerState::kDisabled:
      return "DISABLED";
    case CircuitBreakerState::kForcedOpen:
      return "FORCED_OPEN";
  }
  return "UNKNOWN";
}

absl::string_view ReasonName(TransitionReason reason) {
  switch (reason) {
    case TransitionReason::kFailureRate:
      return "failure rate";
    case TransitionReason::kSlowCallRate:
      return "slow-call rate";
    case TransitionReason::kConsecutiveFailures:
      return "consecutive failures";
    case TransitionReason::kOpenWaitElapsed:
      return "open wait elapsed";
    case TransitionReason::kTrialPassed:
      return "half-open trial passed";
    case TransitionReason::kTrialFailed:
      return "half-open trial failed";
    case TransitionReason::kTrialTimedOut:
      return "half-open trial timed out";
    case TransitionReason::kManual:
      return "manual";
  }
  return "unknown";
}

std::string StateTransitionEvent::ToString() const {
  std::string s = absl::StrCat("breaker '", breaker, "': ", StateName(from), " -> ", StateName(to),
                               " (", ReasonName(reason));
  if (failure_rate >= 0)
    absl::StrAppend(&s, absl::StrFormat(", failure rate %.1f%%", failure_rate));
  if (slow_call_rate >= 0) {
    absl::StrAppend(&s, absl::StrFormat(", slow-call rate %.1f%%", slow_call_rate));
  }
  if (to == CircuitBreakerState::kOpen) {
    absl::StrAppend(&s, ", open for ", absl::FormatDuration(open_wait));
  }
  absl::StrAppend(&s, ")");
  return s;
}

}  // namespace failover
