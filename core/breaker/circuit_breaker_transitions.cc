// CircuitBreaker's state machine: transitions, OPEN waits, timers, and listener delivery.
#include <cmath>
#include <utility>

#include "core/breaker/circuit_breaker.h"
#include "core/breaker/internal/count_window.h"
#include "core/breaker/internal/time_window.h"

namespace failover {

CircuitBreaker::~CircuitBreaker() {
  TimerId timer;
  {
    MutexLock lock(&mu_);
    destroying_ = true;
    timer = std::exchange(timer_, kNoTimer);
  }
  // Cancel() waits for the callback if it is running; a callback that already passed its check
  // is waited for below (it never schedules again once destroying_ is set).
  if (timer != kNoTimer) clock_.Cancel(timer);
  MutexLock lock(&mu_);
  mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return timer_callbacks_running_ == 0; });
}

void CircuitBreaker::TransitionTo(Transition t, Guard guard, uint64_t seen) {
  std::vector<TimerId> cancel;
  {
    MutexLock lock(&mu_);
    switch (guard) {
      case Guard::kIfUnchanged:
        if (word() != seen) return;  // Another transition came first; the decision is stale.
        break;
      case Guard::kIfStateDiffers:
        if (state() == t.to) return;  // Re-entering would restart the wait or the trial.
        break;
      case Guard::kAlways:
        break;
    }
    EnterLocked(t, &cancel);
  }
  AfterTransition(cancel);
}

void CircuitBreaker::EnterLocked(Transition t, std::vector<TimerId>* cancel) {
  const CircuitBreakerState from = state();
  const MonotonicTime now = clock_.Now();
  const uint64_t generation = GenerationOf(word()) + 1;
  if (timer_ != kNoTimer) cancel->push_back(std::exchange(timer_, kNoTimer));

  StateTransitionEvent event{
      name_, from, t.to, t.reason, now, clock_.WallNow(), t.failure_rate, t.slow_call_rate};
  absl::Duration timer_delay = absl::InfiniteDuration();
  switch (t.to) {
    case CircuitBreakerState::kClosed:
      trips_since_closed_ = 0;
      consecutive_failures_.store(0, std::memory_order_relaxed);
      if (time_based_) {
        time_window_->Reset();
      } else {
        count_window_->Reset();
      }
      break;
    case CircuitBreakerState::kOpen:
      event.open_wait = NextOpenWaitLocked();
      open_until_nanos_.store((now + event.open_wait).nanos(), std::memory_order_release);
      if (options_.automatic_transition_from_open_to_half_open) timer_delay = event.open_wait;
      break;
    case CircuitBreakerState::kHalfOpen:
      half_open_permits_issued_ = half_open_recorded_ = 0;
      half_open_failed_ = half_open_slow_ = 0;
      if (options_.max_wait_duration_in_half_open_state > absl::ZeroDuration()) {
        timer_delay = options_.max_wait_duration_in_half_open_state;
      }
      break;
    case CircuitBreakerState::kDisabled:
    case CircuitBreakerState::kForcedOpen:
      break;
  }
  if (timer_delay != absl::InfiniteDuration() && !destroying_) {
    timer_ = clock_.ScheduleAfter(timer_delay, [this, generation] { OnTimer(generation); });
  }
  state_since_ = now;
  state_word_.store((generation << kStateBits) | static_cast<uint64_t>(t.to),
                    std::memory_order_release);
  if (from != t.to) {
    transitions_[static_cast<int>(from)][static_cast<int>(t.to)].fetch_add(
        1, std::memory_order_relaxed);
    listeners_.Enqueue(std::move(event));
  }
}

absl::Duration CircuitBreaker::NextOpenWaitLocked() {
  ++trips_since_closed_;
  const absl::Duration base = options_.wait_duration_in_open_state;
  if (options_.open_wait_multiplier == 1.0 || trips_since_closed_ == 1) return base;
  const double factor = std::pow(options_.open_wait_multiplier, trips_since_closed_ - 1);
  const absl::Duration cap = options_.max_wait_duration_in_open_state;
  if (!std::isfinite(factor) || absl::FDivDuration(cap, base) <= factor) return cap;
  return base * factor;
}

void CircuitBreaker::OnTimer(uint64_t generation) {
  std::vector<TimerId> cancel;
  {
    MutexLock lock(&mu_);
    // Superseded by a later transition, or the breaker is going away.
    if (generation != GenerationOf(word()) || destroying_) return;
    ++timer_callbacks_running_;
    timer_ = kNoTimer;
    if (state() == CircuitBreakerState::kOpen) {
      EnterLocked({CircuitBreakerState::kHalfOpen, TransitionReason::kOpenWaitElapsed}, &cancel);
    } else if (state() == CircuitBreakerState::kHalfOpen) {
      EnterLocked({CircuitBreakerState::kOpen, TransitionReason::kTrialTimedOut}, &cancel);
    }
  }
  AfterTransition(cancel);
  MutexLock lock(&mu_);
  --timer_callbacks_running_;
}

void CircuitBreaker::TransitionToClosed() {
  TransitionTo({CircuitBreakerState::kClosed, TransitionReason::kManual}, Guard::kIfStateDiffers,
               0);
}
void CircuitBreaker::TransitionToOpen() {
  TransitionTo({CircuitBreakerState::kOpen, TransitionReason::kManual}, Guard::kIfStateDiffers, 0);
}
void CircuitBreaker::TransitionToHalfOpen() {
  TransitionTo({CircuitBreakerState::kHalfOpen, TransitionReason::kManual}, Guard::kIfStateDiffers,
               0);
}
void CircuitBreaker::TransitionToDisabled() {
  TransitionTo({CircuitBreakerState::kDisabled, TransitionReason::kManual}, Guard::kIfStateDiffers,
               0);
}
void CircuitBreaker::TransitionToForcedOpen() {
  TransitionTo({CircuitBreakerState::kForcedOpen, TransitionReason::kManual},
               Guard::kIfStateDiffers, 0);
}
void CircuitBreaker::Reset() {
  TransitionTo({CircuitBreakerState::kClosed, TransitionReason::kManual}, Guard::kAlways, 0);
}

void CircuitBreaker::AfterTransition(const std::vector<TimerId>& cancel) {
  for (TimerId id : cancel) clock_.Cancel(id);
  listeners_.Deliver();
}

}  // namespace failover
