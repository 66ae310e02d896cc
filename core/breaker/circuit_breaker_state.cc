#include "core/breaker/circuit_breaker_state.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

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
                               " because of ", ReasonName(reason));
  std::vector<std::string> details;
  if (failure_rate >= 0) details.push_back(absl::StrFormat("failure %.1f%%", failure_rate));
  if (slow_call_rate >= 0) details.push_back(absl::StrFormat("slow %.1f%%", slow_call_rate));
  if (to == CircuitBreakerState::kOpen) {
    details.push_back(absl::StrCat("open for ", absl::FormatDuration(open_wait)));
  }
  if (!details.empty()) absl::StrAppend(&s, " (", absl::StrJoin(details, ", "), ")");
  return s;
}

}  // namespace failover
