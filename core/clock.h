// Time for the failover toolkit: a monotonic clock for measuring and scheduling, a wall clock
// for timestamps people read, and timers. Every component that needs time takes a `Clock&`, so
// tests drive a `SimulatedClock` (simulated_clock.h) by hand instead of sleeping.
//
//   failover::Clock& clock = failover::SystemClock();
//   failover::MonotonicTime start = clock.Now();
//   ...
//   absl::Duration elapsed = clock.Now() - start;
//   failover::TimerId id = clock.ScheduleAfter(absl::Seconds(5), [] { ... });
//   clock.Cancel(id);
#ifndef FAILOVER_CORE_CLOCK_H_
#define FAILOVER_CORE_CLOCK_H_

#include <cstdint>
#include <functional>
#include <limits>

#include "absl/time/time.h"

namespace failover {

// A point on a monotonic clock: nanoseconds since an arbitrary origin fixed per clock. Never
// goes backwards; unrelated to wall time. Arithmetic with absl::Duration saturates at
// InfinitePast()/InfiniteFuture() instead of overflowing. Trivially copyable; 8 bytes.
class MonotonicTime {
 public:
  constexpr MonotonicTime() = default;
  static constexpr MonotonicTime FromNanos(int64_t nanos) { return MonotonicTime(nanos); }
  static constexpr MonotonicTime InfinitePast() {
    return MonotonicTime(std::numeric_limits<int64_t>::min());
  }
  static constexpr MonotonicTime InfiniteFuture() {
    return MonotonicTime(std::numeric_limits<int64_t>::max());
  }

  constexpr int64_t nanos() const { return nanos_; }

  friend MonotonicTime operator+(MonotonicTime t, absl::Duration d);
  friend MonotonicTime operator-(MonotonicTime t, absl::Duration d) { return t + (-d); }
  friend absl::Duration operator-(MonotonicTime a, MonotonicTime b);
  MonotonicTime& operator+=(absl::Duration d) { return *this = *this + d; }

  friend constexpr bool operator==(MonotonicTime a, MonotonicTime b) {
    return a.nanos_ == b.nanos_;
  }
  friend constexpr bool operator!=(MonotonicTime a, MonotonicTime b) { return !(a == b); }
  friend constexpr bool operator<(MonotonicTime a, MonotonicTime b) { return a.nanos_ < b.nanos_; }
  friend constexpr bool operator<=(MonotonicTime a, MonotonicTime b) {
    return a.nanos_ <= b.nanos_;
  }
  friend constexpr bool operator>(MonotonicTime a, MonotonicTime b) { return b < a; }
  friend constexpr bool operator>=(MonotonicTime a, MonotonicTime b) { return b <= a; }

 private:
  explicit constexpr MonotonicTime(int64_t nanos) : nanos_(nanos) {}
  int64_t nanos_ = 0;
};

// Identifies a scheduled timer. 0 is never a valid id.
using TimerId = uint64_t;
inline constexpr TimerId kNoTimer = 0;

// Source of monotonic time, wall time, sleeping and one-shot timers.
//
// Thread-safety: every method may be called concurrently from any thread. Timer callbacks run on
// a thread owned by the clock (SystemClock) or on the thread that advances it (SimulatedClock);
// callbacks due at the same instant run in the order they were scheduled.
class Clock {
 public:
  virtual ~Clock() = default;

  // Monotonic now. Cheap: one vDSO call for the system clock.
  virtual MonotonicTime Now() const = 0;
  // Wall-clock now, for timestamps shown to people or stored (`asOf`, `expireOn`).
  virtual absl::Time WallNow() const = 0;
  // Blocks the caller for `d` of this clock's time. A SimulatedClock advances itself instead.
  virtual void SleepFor(absl::Duration d) = 0;

  // Runs `callback` once, no earlier than `delay` from now. Returns an id for Cancel().
  virtual TimerId ScheduleAfter(absl::Duration delay, std::function<void()> callback) = 0;
  // Cancels a timer. Returns true if it had not started running. If the callback is running
  // on another thread, waits until it returns, so after Cancel() the callback never runs and no
  // longer touches whatever it captured. Calling Cancel() for a timer from inside its own
  // callback returns false without waiting.
  virtual bool Cancel(TimerId id) = 0;
};

// The process-wide real clock (CLOCK_MONOTONIC, CLOCK_REALTIME). Its timer thread starts on the
// first ScheduleAfter(). Never destroyed.
Clock& SystemClock();

}  // namespace failover

#endif  // FAILOVER_CORE_CLOCK_H_
