// CircuitBreaker: acquiring permissions, recording outcomes, classification and metrics. The
// state machine itself is in circuit_breaker_transitions.cc.
#include "core/breaker/circuit_breaker.h"

#include <algorithm>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "core/breaker/internal/count_window.h"
#include "core/breaker/internal/time_window.h"

namespace failover {

using breaker_internal::CountWindow;
using breaker_internal::MakeOutcome;
using breaker_internal::Outcome;
using breaker_internal::TimeWindow;
using breaker_internal::WindowTotals;

namespace {

constexpr absl::string_view kNotPermittedPayload = "failover.io/circuit-breaker/call-not-permitted";

bool Contains(const std::vector<absl::StatusCode>& codes, absl::StatusCode code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace

absl::StatusOr<std::unique_ptr<CircuitBreaker>> CircuitBreaker::Create(
    std::string name, CircuitBreakerOptions options, Clock& clock) {
  if (name.empty()) return absl::InvalidArgumentError("circuit breaker name must not be empty");
  if (absl::Status s = options.Validate(); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("breaker '", name, "': ", s.message()));
  }
  return std::unique_ptr<CircuitBreaker>(
      new CircuitBreaker(std::move(name), std::move(options), clock));
}

CircuitBreaker::CircuitBreaker(std::string name, CircuitBreakerOptions options, Clock& clock)
    : name_(std::move(name)),
      options_(std::move(options)),
      clock_(clock),
      time_based_(options_.sliding_window_type == SlidingWindowType::kTimeBased),
      needs_timing_(options_.slow_call_duration_threshold < absl::InfiniteDuration()),
      minimum_calls_(
          time_based_ ? options_.minimum_number_of_calls
                      : std::min(options_.minimum_number_of_calls, options_.sliding_window_size)) {
  if (time_based_) {
    time_window_ = std::make_unique<TimeWindow>(options_.sliding_window_duration,
                                                options_.time_window_buckets);
  } else {
    count_window_ = std::make_unique<CountWindow>(options_.sliding_window_size);
  }
  MutexLock lock(&mu_);
  state_since_ = clock_.Now();
}

bool CircuitBreaker::TryAcquirePermission() {
  const uint64_t seen = word();
  const CircuitBreakerState s = StateOf(seen);
  if (s == CircuitBreakerState::kClosed || s == CircuitBreakerState::kDisabled) return true;
  return AcquireSlow(seen);
}

bool CircuitBreaker::AcquireSlow(uint64_t seen) {
  // A few rounds at most: OPEN may become HALF_OPEN under us, HALF_OPEN may end.
  for (int round = 0; round < 4; ++round, seen = word()) {
    switch (StateOf(seen)) {
      case CircuitBreakerState::kClosed:
      case CircuitBreakerState::kDisabled:
        return true;
      case CircuitBreakerState::kForcedOpen:
        break;
      case CircuitBreakerState::kOpen:
        // open_until is stored before the word, so it belongs to `seen` or a later OPEN period
        // (which only makes us refuse); the transition applies only if `seen` is still current.
        if (clock_.Now().nanos() < open_until_nanos_.load(std::memory_order_acquire)) break;
        TransitionTo({CircuitBreakerState::kHalfOpen, TransitionReason::kOpenWaitElapsed},
                     Guard::kIfUnchanged, seen);
        continue;
      case CircuitBreakerState::kHalfOpen: {
        MutexLock lock(&mu_);
        if (state() != CircuitBreakerState::kHalfOpen) continue;
        if (half_open_permits_issued_ < options_.permitted_number_of_calls_in_half_open_state) {
          ++half_open_permits_issued_;
          return true;
        }
        break;
      }
    }
    break;
  }
  not_permitted_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void CircuitBreaker::ReleasePermission() {
  if (state() != CircuitBreakerState::kHalfOpen) return;
  MutexLock lock(&mu_);
  if (state() == CircuitBreakerState::kHalfOpen &&
      half_open_permits_issued_ > half_open_recorded_) {
    --half_open_permits_issued_;
  }
}

void CircuitBreaker::OnSuccess(absl::Duration elapsed) { Record(/*failed=*/false, elapsed); }

void CircuitBreaker::OnError(absl::Duration elapsed, const absl::Status& error) {
  if (IsIgnored(error)) {
    ReleasePermission();
    return;
  }
  Record(IsFailure(error), elapsed);
}

bool CircuitBreaker::IsIgnored(const absl::Status& error) const {
  if (Contains(options_.ignore_codes, error.code())) return true;
  return options_.ignore_predicate && options_.ignore_predicate(error);
}

bool CircuitBreaker::IsFailure(const absl::Status& error) const {
  if (error.ok()) return false;
  if (!options_.record_codes.empty() && !Contains(options_.record_codes, error.code())) {
    return false;
  }
  return !options_.record_predicate || options_.record_predicate(error);
}

void CircuitBreaker::Record(bool failed, absl::Duration elapsed) {
  const bool slow = elapsed > options_.slow_call_duration_threshold;
  const uint64_t seen = word();
  switch (StateOf(seen)) {
    case CircuitBreakerState::kClosed:
      RecordInClosed(failed, slow, seen);
      return;
    case CircuitBreakerState::kHalfOpen:
      RecordInHalfOpen(failed, slow);
      return;
    default:
      return;  // OPEN, FORCED_OPEN (a call permitted before the trip) and DISABLED: not judged.
  }
}

void CircuitBreaker::RecordInClosed(bool failed, bool slow, uint64_t seen) {
  const Outcome outcome = MakeOutcome(failed, slow);
  WindowTotals totals;
  if (time_based_) {
    totals = time_window_->Record(outcome, clock_.Now());
  } else if (count_window_->Record(outcome) || failed || slow) {
    // Judged when the counts moved, and on every failure or slow call, so a window full of
    // failures is never left unjudged.
    totals = count_window_->Totals();
  } else {
    totals.calls = -1;  // A success replaced a success: nothing to judge.
  }
  if (failed) {
    const int32_t run = consecutive_failures_.fetch_add(1, std::memory_order_relaxed) + 1;
    if (options_.consecutive_failures_threshold > 0 &&
        run >= options_.consecutive_failures_threshold) {
      TransitionTo({CircuitBreakerState::kOpen, TransitionReason::kConsecutiveFailures},
                   Guard::kIfUnchanged, seen);
      return;
    }
  } else if (consecutive_failures_.load(std::memory_order_relaxed) != 0) {
    consecutive_failures_.store(0, std::memory_order_relaxed);
  }
  if (totals.calls >= 0) MaybeTrip(totals, seen);
}

WindowTotals CircuitBreaker::ClosedTotals() const {
  return time_based_ ? time_window_->Totals(clock_.Now()) : count_window_->Totals();
}

void CircuitBreaker::MaybeTrip(const WindowTotals& totals, uint64_t seen) {
  if (totals.calls < minimum_calls_) return;
  const double failure_rate = 100.0 * totals.failed / totals.calls;
  const double slow_rate = 100.0 * totals.slow / totals.calls;
  TransitionReason reason;
  if (failure_rate >= options_.failure_rate_threshold &&
      totals.failed >= options_.minimum_number_of_failures) {
    reason = TransitionReason::kFailureRate;
  } else if (slow_rate >= options_.slow_call_rate_threshold) {
    reason = TransitionReason::kSlowCallRate;
  } else {
    return;
  }
  TransitionTo({CircuitBreakerState::kOpen, reason, failure_rate, slow_rate}, Guard::kIfUnchanged,
               seen);
}

void CircuitBreaker::RecordInHalfOpen(bool failed, bool slow) {
  std::vector<TimerId> cancel;
  {
    MutexLock lock(&mu_);
    // Bounded by the permits handed out in this HALF_OPEN period. (A call let through before
    // the trip that reports back now cannot be told from a trial call; it takes a trial slot.)
    if (state() != CircuitBreakerState::kHalfOpen ||
        half_open_recorded_ >= half_open_permits_issued_) {
      return;
    }
    ++half_open_recorded_;
    half_open_failed_ += failed;
    half_open_slow_ += slow;
    const double trial = options_.permitted_number_of_calls_in_half_open_state;
    // Decide as soon as the outcome is certain: failures already seen can only add up.
    const double worst_failure_rate = 100.0 * half_open_failed_ / trial;
    const double worst_slow_rate = 100.0 * half_open_slow_ / trial;
    if (worst_failure_rate >= options_.failure_rate_threshold ||
        worst_slow_rate >= options_.slow_call_rate_threshold) {
      EnterLocked({CircuitBreakerState::kOpen, TransitionReason::kTrialFailed, worst_failure_rate,
                   worst_slow_rate},
                  &cancel);
    } else if (half_open_recorded_ >= trial) {
      EnterLocked({CircuitBreakerState::kClosed, TransitionReason::kTrialPassed, worst_failure_rate,
                   worst_slow_rate},
                  &cancel);
    }
  }
  AfterTransition(cancel);
}

CircuitBreakerMetrics CircuitBreaker::metrics() const {
  CircuitBreakerMetrics m;
  {
    MutexLock lock(&mu_);
    m.state = state();
    m.time_in_state = clock_.Now() - state_since_;
  }
  const WindowTotals t = ClosedTotals();
  m.buffered_calls = t.calls;
  m.failed_calls = t.failed;
  m.slow_calls = t.slow;
  m.slow_failed_calls = t.slow_failed;
  m.successful_calls = std::max<int64_t>(0, t.calls - t.failed);
  if (t.calls >= minimum_calls_ && t.calls > 0) {
    m.failure_rate = 100.0 * t.failed / t.calls;
    m.slow_call_rate = 100.0 * t.slow / t.calls;
  }
  m.not_permitted_calls = not_permitted_.load(std::memory_order_relaxed);
  for (int from = 0; from < kCircuitBreakerStateCount; ++from) {
    for (int to = 0; to < kCircuitBreakerStateCount; ++to) {
      m.transitions[from][to] = transitions_[from][to].load(std::memory_order_relaxed);
    }
  }
  return m;
}

absl::Status CallNotPermittedError(const CircuitBreaker& breaker) {
  absl::Status status = absl::UnavailableError(absl::StrCat("circuit breaker '", breaker.name(),
                                                            "' is ", StateName(breaker.state()),
                                                            " and does not permit further calls"));
  status.SetPayload(kNotPermittedPayload, absl::Cord(breaker.name()));
  return status;
}

bool IsCallNotPermitted(const absl::Status& status) {
  return status.GetPayload(kNotPermittedPayload).has_value();
}

}  // namespace failover
