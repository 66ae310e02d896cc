// SimulatedClock: a Clock that moves only when told to. Tests (and the demo) advance it by hand;
// timers fire deterministically, in due-time order, on the advancing thread, each seeing Now()
// equal to its own due time.
//
//   failover::SimulatedClock clock;
//   bool fired = false;
//   clock.ScheduleAfter(absl::Seconds(5), [&] { fired = true; });
//   clock.Advance(absl::Seconds(4));   // fired == false
//   clock.Advance(absl::Seconds(1));   // fired == true
#ifndef FAILOVER_CORE_SIMULATED_CLOCK_H_
#define FAILOVER_CORE_SIMULATED_CLOCK_H_

#include <atomic>
#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/internal/timer_queue.h"
#include "core/sync.h"

namespace failover {

// Thread-safe: any thread may read it, schedule or cancel timers, or advance it (advances are
// serialised). Timer callbacks must not advance the clock themselves (that would deadlock).
// SleepFor() advances the clock by the requested duration, so code that sleeps through an
// injected Clock runs instantly and deterministically under test.
class SimulatedClock final : public Clock {
 public:
  // Monotonic time starts at 1 s (so "zero" is never mistaken for "unset"); wall time starts at
  // 2023-11-14T22:13:20Z.
  SimulatedClock();
  SimulatedClock(MonotonicTime start, absl::Time wall_start);

  MonotonicTime Now() const override;
  absl::Time WallNow() const override;
  void SleepFor(absl::Duration d) override { Advance(d); }
  TimerId ScheduleAfter(absl::Duration delay, std::function<void()> callback) override;
  bool Cancel(TimerId id) override { return timers_.Cancel(id); }

  // Moves time forward by `d` (negative durations are ignored), firing every timer that falls
  // due on the way, including timers that those callbacks schedule within the interval.
  // Concurrent advances add up.
  void Advance(absl::Duration d) ABSL_LOCKS_EXCLUDED(advance_mu_);
  // Moves time forward to `t` (a time in the past is ignored).
  void AdvanceTo(MonotonicTime t) ABSL_LOCKS_EXCLUDED(advance_mu_);

  // Due time of the earliest pending timer, if any.
  std::optional<MonotonicTime> NextTimerDue() const { return timers_.NextDue(); }

 private:
  void AdvanceToLocked(MonotonicTime target) ABSL_EXCLUSIVE_LOCKS_REQUIRED(advance_mu_);

  const MonotonicTime start_;
  const absl::Time wall_start_;
  std::atomic<int64_t> now_nanos_;
  Mutex advance_mu_;
  clock_internal::TimerQueue timers_;
};

}  // namespace failover

#endif  // FAILOVER_CORE_SIMULATED_CLOCK_H_
