// CircuitBreaker: stops calling a dependency that is failing or slow, lets a few trial calls
// through after a wait, and resumes when they succeed. States, options and defaults follow
// resilience4j (see circuit_breaker_options.h and docs/circuit-breaker.md); on top of that it has
// a consecutive-failures trigger, an OPEN wait that grows on repeated trips, a time-based window
// on the monotonic clock, and a half-open trial that fails fast.
//
//   failover::CircuitBreakerOptions options;
//   options.consecutive_failures_threshold = 5;
//   auto breaker = failover::CircuitBreaker::Create("quotes-api", options, clock);
//   if (!breaker.ok()) return breaker.status();
//   absl::StatusOr<Quote> q = (*breaker)->Execute([&] { return client.GetQuote(id); });
//   if (failover::IsCallNotPermitted(q.status())) { ... serve a fallback ... }
//
// Or, when the call is made elsewhere (async, or timed by the caller):
//   if (!breaker->TryAcquirePermission()) return fallback();
//   absl::Status s = DoCall();
//   breaker->OnResult(elapsed, s);
//
// Every TryAcquirePermission() that returns true must be followed by exactly one OnSuccess(),
// OnError(), OnResult() or ReleasePermission().
//
// Thread-safety: all methods are safe to call concurrently. In CLOSED (and DISABLED) acquiring a
// permission and recording an outcome take no lock and allocate nothing: a count-based window
// costs one atomic load to acquire and one fetch_add + one exchange to record. State changes,
// HALF_OPEN bookkeeping take an internal mutex. Listeners are called with no lock held, one
// event at a time and in order, by the thread that caused the transition or, if another thread
// is already delivering this breaker's events, by that thread (so a transition call may return
// before its event was delivered). Listeners may call into this or any other breaker, including
// AddListener(); a slow listener delays only later events of this breaker.
#ifndef FAILOVER_CORE_BREAKER_CIRCUIT_BREAKER_H_
#define FAILOVER_CORE_BREAKER_CIRCUIT_BREAKER_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/breaker/circuit_breaker_options.h"
#include "core/breaker/circuit_breaker_state.h"
#include "core/clock.h"
#include "core/listener_list.h"
#include "core/sync.h"

namespace failover {
namespace breaker_internal {
class CountWindow;
class TimeWindow;
struct WindowTotals;
}  // namespace breaker_internal

// A point-in-time view of a breaker, for dashboards and metrics.
struct CircuitBreakerMetrics {
  CircuitBreakerState state = CircuitBreakerState::kClosed;
  // Rates over the current window in percent; -1 while fewer than the minimum calls are in it.
  double failure_rate = -1;
  double slow_call_rate = -1;
  // How long the breaker has been in `state`.
  absl::Duration time_in_state = absl::ZeroDuration();
  int64_t buffered_calls = 0;
  int64_t failed_calls = 0;
  int64_t slow_calls = 0;
  int64_t slow_failed_calls = 0;
  int64_t successful_calls = 0;
  // Cumulative since creation.
  uint64_t not_permitted_calls = 0;
  // transitions[from][to], cumulative since creation.
  std::array<std::array<uint64_t, kCircuitBreakerStateCount>, kCircuitBreakerStateCount>
      transitions{};
};

class CircuitBreaker {
 public:
  using Listener = std::function<void(const StateTransitionEvent&)>;

  // Validates `options`. `clock` must outlive the breaker.
  static absl::StatusOr<std::unique_ptr<CircuitBreaker>> Create(std::string name,
                                                                CircuitBreakerOptions options,
                                                                Clock& clock);
  ~CircuitBreaker();
  CircuitBreaker(const CircuitBreaker&) = delete;
  CircuitBreaker& operator=(const CircuitBreaker&) = delete;

  // --- Guarding a call -----------------------------------------------------------------
  // True if a call may proceed now. False when OPEN (wait not over), FORCED_OPEN, or HALF_OPEN
  // with all trial permits handed out; counted as a not-permitted call.
  bool TryAcquirePermission();
  // Gives back a permission without an outcome (call not made, or its error is ignored).
  void ReleasePermission();
  // Outcome of a permitted call that took `elapsed`.
  void OnSuccess(absl::Duration elapsed);
  // Classified by the options: ignored errors release the permission, errors that are not
  // recorded count as successes, the rest as failures.
  void OnError(absl::Duration elapsed, const absl::Status& error);
  // OnSuccess() for OK, OnError() otherwise.
  void OnResult(absl::Duration elapsed, const absl::Status& status) {
    if (status.ok()) {
      OnSuccess(elapsed);
    } else {
      OnError(elapsed, status);
    }
  }

  // Runs `call` (returning absl::Status or absl::StatusOr<T>) if permitted, timing it on the
  // breaker's clock. When not permitted, returns UNAVAILABLE without calling; check with
  // IsCallNotPermitted().
  template <typename F>
  auto Execute(F&& call) -> decltype(call());

  // --- Observing -------------------------------------------------------------------------
  CircuitBreakerState state() const { return StateOf(word()); }
  const std::string& name() const { return name_; }
  const CircuitBreakerOptions& options() const { return options_; }
  CircuitBreakerMetrics metrics() const;
  // Called for every state transition from now on.
  void AddListener(Listener listener) { listeners_.Add(std::move(listener)); }

  // --- Steering (each fires a kManual transition event if the state changes) --------------------
  void TransitionToClosed();
  void TransitionToOpen();
  void TransitionToHalfOpen();
  void TransitionToDisabled();
  void TransitionToForcedOpen();
  // Back to CLOSED with an empty window and the base OPEN wait.
  void Reset();

 private:
  // The state and a generation number that grows with every transition, in one atomic word, so
  // a decision made on what a thread saw (a trip, the end of an OPEN wait) applies only if no
  // other transition happened since.
  static constexpr int kStateBits = 8;
  static CircuitBreakerState StateOf(uint64_t word) {
    return static_cast<CircuitBreakerState>(word & 0xff);
  }
  static uint64_t GenerationOf(uint64_t word) { return word >> kStateBits; }
  uint64_t word() const { return state_word_.load(std::memory_order_acquire); }

  struct Transition {
    CircuitBreakerState to;
    TransitionReason reason;
    double failure_rate = -1;
    double slow_call_rate = -1;
  };
  enum class Guard {
    kIfUnchanged,     // Only if the state word still equals the one the decision was made on.
    kIfStateDiffers,  // Manual transitions: not when already in the target state.
    kAlways,          // Reset().
  };

  CircuitBreaker(std::string name, CircuitBreakerOptions options, Clock& clock);

  bool IsFailure(const absl::Status& error) const;
  bool IsIgnored(const absl::Status& error) const;
  void Record(bool failed, absl::Duration elapsed);
  void RecordInClosed(bool failed, bool slow, uint64_t seen);
  breaker_internal::WindowTotals ClosedTotals() const;
  bool AcquireSlow(uint64_t seen);
  void RecordInHalfOpen(bool failed, bool slow) ABSL_LOCKS_EXCLUDED(mu_);
  void MaybeTrip(const breaker_internal::WindowTotals& totals, uint64_t seen);

  void TransitionTo(Transition t, Guard guard, uint64_t seen) ABSL_LOCKS_EXCLUDED(mu_);
  void EnterLocked(Transition t, std::vector<TimerId>* cancel) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnTimer(uint64_t generation) ABSL_LOCKS_EXCLUDED(mu_);
  absl::Duration NextOpenWaitLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Cancels timers replaced by a transition, then delivers pending events.
  void AfterTransition(const std::vector<TimerId>& cancel) ABSL_LOCKS_EXCLUDED(mu_);

  const std::string name_;
  const CircuitBreakerOptions options_;
  Clock& clock_;
  const bool time_based_;
  const bool needs_timing_;
  const int32_t minimum_calls_;

  // Hot path: read on every call. Written only under mu_.
  std::atomic<uint64_t> state_word_{static_cast<uint64_t>(CircuitBreakerState::kClosed)};
  std::atomic<int64_t> open_until_nanos_{0};
  std::unique_ptr<breaker_internal::CountWindow> count_window_;
  std::unique_ptr<breaker_internal::TimeWindow> time_window_;
  alignas(64) std::atomic<int32_t> consecutive_failures_{0};
  alignas(64) std::atomic<uint64_t> not_permitted_{0};
  std::array<std::array<std::atomic<uint64_t>, kCircuitBreakerStateCount>,
             kCircuitBreakerStateCount>
      transitions_{};

  mutable Mutex mu_;
  int trips_since_closed_ ABSL_GUARDED_BY(mu_) = 0;
  MonotonicTime state_since_ ABSL_GUARDED_BY(mu_);
  int half_open_permits_issued_ ABSL_GUARDED_BY(mu_) = 0;
  int half_open_recorded_ ABSL_GUARDED_BY(mu_) = 0;
  int half_open_failed_ ABSL_GUARDED_BY(mu_) = 0;
  int half_open_slow_ ABSL_GUARDED_BY(mu_) = 0;
  TimerId timer_ ABSL_GUARDED_BY(mu_) = kNoTimer;
  // OnTimer() calls past their generation check; the destructor waits for them.
  int timer_callbacks_running_ ABSL_GUARDED_BY(mu_) = 0;
  bool destroying_ ABSL_GUARDED_BY(mu_) = false;
  ListenerList<StateTransitionEvent> listeners_;  // Events queued under mu_.
};

// The error Execute() returns when the breaker refuses a call: UNAVAILABLE, naming the breaker
// and its state, with a payload that IsCallNotPermitted() recognises.
absl::Status CallNotPermittedError(const CircuitBreaker& breaker);
bool IsCallNotPermitted(const absl::Status& status);

// --- Implementation details below ---------------------------------------------------------

namespace breaker_internal {
inline const absl::Status& StatusOf(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}
}  // namespace breaker_internal

template <typename F>
auto CircuitBreaker::Execute(F&& call) -> decltype(call()) {
  using Result = decltype(call());
  if (!TryAcquirePermission()) return Result(CallNotPermittedError(*this));
  const MonotonicTime start = needs_timing_ ? clock_.Now() : MonotonicTime();
  Result result = std::forward<F>(call)();
  const absl::Duration elapsed = needs_timing_ ? clock_.Now() - start : absl::ZeroDuration();
  OnResult(elapsed, breaker_internal::StatusOf(result));
  return result;
}

}  // namespace failover

#endif  // FAILOVER_CORE_BREAKER_CIRCUIT_BREAKER_H_
