// CircuitBreaker's state machine: transitions, OPEN waits, timers, and listener delivery.
#include <cmath>
#include <utility>

#include "core/breaker/circuit_breaker.h"
#include "core/breaker/internal/count_window.h"
#include "core/breaker/internal/time_window.h"

namespace failover {
namespace {

// Breakers whose listeners are being called on this thread, innermost first: a transition
// caused by a listener is queued and delivered by the loop already running, in order.
struct DeliveryFrame {
  const CircuitBreaker* breaker;
  const DeliveryFrame* outer;
};
thread_local const DeliveryFrame* delivering = nullptr;

bool IsDelivering(const CircuitBreaker* breaker) {
  for (const DeliveryFrame* f = delivering; f != nullptr; f = f->outer) {
    if (f->breaker == breaker) return true;
  }
  return false;
}

}  // namespace

CircuitBreaker::~CircuitBreaker() {
  TimerId timer;
  {
    MutexLock lock(&mu_);
    ++generation_;
    timer = std::exchange(timer_, kNoTimer);
  }
  if (timer != kNoTimer) clock_.Cancel(timer);
}

void CircuitBreaker::TransitionIf(const CircuitBreakerState* expected, Transition t) {
  std::vector<TimerId> cancel;
  {
    MutexLock lock(&mu_);
    if (expected != nullptr && state() != *expected) return;
    EnterLocked(t, &cancel);
  }
  for (TimerId id : cancel) clock_.Cancel(id);
  DeliverEvents();
}

void CircuitBreaker::EnterLocked(Transition t, std::vector<TimerId>* cancel) {
  const CircuitBreakerState from = state();
  const MonotonicTime now = clock_.Now();
  ++generation_;
  if (timer_ != kNoTimer) cancel->push_back(std::exchange(timer_, kNoTimer));

  StateTransitionEvent event{
      name_, from, t.to, t.reason, now, clock_.WallNow(), t.failure_rate, t.slow_call_rate};
  const uint64_t generation = generation_;
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
      if (options_.automatic_transition_from_open_to_half_open) {
        timer_ = clock_.ScheduleAfter(event.open_wait, [this, generation] { OnTimer(generation); });
      }
      break;
    case CircuitBreakerState::kHalfOpen:
      half_open_permits_issued_ = half_open_recorded_ = 0;
      half_open_failed_ = half_open_slow_ = 0;
      if (options_.max_wait_duration_in_half_open_state > absl::ZeroDuration()) {
        timer_ = clock_.ScheduleAfter(options_.max_wait_duration_in_half_open_state,
                                      [this, generation] { OnTimer(generation); });
      }
      break;
    case CircuitBreakerState::kDisabled:
    case CircuitBreakerState::kForcedOpen:
      break;
  }
  state_since_ = now;
  state_.store(static_cast<uint8_t>(t.to), std::memory_order_release);
  if (from != t.to) {
    transitions_[static_cast<int>(from)][static_cast<int>(t.to)].fetch_add(
        1, std::memory_order_relaxed);
    pending_events_.push_back(std::move(event));
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
    if (generation != generation_) return;  // A later transition superseded this timer.
    timer_ = kNoTimer;
    if (state() == CircuitBreakerState::kOpen) {
      EnterLocked({CircuitBreakerState::kHalfOpen, TransitionReason::kOpenWaitElapsed}, &cancel);
    } else if (state() == CircuitBreakerState::kHalfOpen) {
      EnterLocked({CircuitBreakerState::kOpen, TransitionReason::kTrialTimedOut}, &cancel);
    }
  }
  for (TimerId id : cancel) clock_.Cancel(id);
  DeliverEvents();
}

void CircuitBreaker::ManualTransition(CircuitBreakerState to) {
  if (state() == to) return;  // Re-entering a state would restart its wait or trial.
  TransitionIf(nullptr, {to, TransitionReason::kManual});
}

void CircuitBreaker::TransitionToClosed() { ManualTransition(CircuitBreakerState::kClosed); }
void CircuitBreaker::TransitionToOpen() { ManualTransition(CircuitBreakerState::kOpen); }
void CircuitBreaker::TransitionToHalfOpen() { ManualTransition(CircuitBreakerState::kHalfOpen); }
void CircuitBreaker::TransitionToDisabled() { ManualTransition(CircuitBreakerState::kDisabled); }
void CircuitBreaker::TransitionToForcedOpen() {
  ManualTransition(CircuitBreakerState::kForcedOpen);
}
void CircuitBreaker::Reset() {
  TransitionIf(nullptr, {CircuitBreakerState::kClosed, TransitionReason::kManual});
}

void CircuitBreaker::AddListener(Listener listener) {
  MutexLock lock(&delivery_mu_);
  listeners_.push_back(std::move(listener));
}

void CircuitBreaker::DeliverEvents() {
  if (IsDelivering(this)) return;
  const DeliveryFrame frame{this, delivering};
  delivering = &frame;
  {
    MutexLock delivery_lock(&delivery_mu_);
    for (;;) {
      std::vector<StateTransitionEvent> batch;
      {
        MutexLock lock(&mu_);
        batch.swap(pending_events_);
      }
      if (batch.empty()) break;
      for (const StateTransitionEvent& event : batch) {
        for (const Listener& listener : listeners_) listener(event);
      }
    }
  }
  delivering = frame.outer;
}

}  // namespace failover
