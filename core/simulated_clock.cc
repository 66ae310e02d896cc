#include "core/simulated_clock.h"

namespace failover {

SimulatedClock::SimulatedClock()
    : SimulatedClock(MonotonicTime::FromNanos(1'000'000'000),
                     absl::FromUnixSeconds(1'700'000'000)) {}

SimulatedClock::SimulatedClock(MonotonicTime start, absl::Time wall_start)
    : start_(start), wall_start_(wall_start), now_nanos_(start.nanos()) {}

MonotonicTime SimulatedClock::Now() const {
  return MonotonicTime::FromNanos(now_nanos_.load(std::memory_order_acquire));
}

absl::Time SimulatedClock::WallNow() const { return wall_start_ + (Now() - start_); }

TimerId SimulatedClock::ScheduleAfter(absl::Duration delay, std::function<void()> callback) {
  return timers_.Add(Now() + delay, std::move(callback));
}

void SimulatedClock::Advance(absl::Duration d) {
  if (d <= absl::ZeroDuration()) return;
  MutexLock lock(&advance_mu_);
  AdvanceToLocked(Now() + d);
}

void SimulatedClock::AdvanceTo(MonotonicTime target) {
  MutexLock lock(&advance_mu_);
  AdvanceToLocked(target);
}

void SimulatedClock::AdvanceToLocked(MonotonicTime target) {
  if (target <= Now()) return;
  for (;;) {
    const std::optional<MonotonicTime> next = timers_.NextDue();
    if (!next.has_value() || *next > target) break;
    if (*next > Now()) now_nanos_.store(next->nanos(), std::memory_order_release);
    timers_.RunOneDue(Now());
  }
  now_nanos_.store(target.nanos(), std::memory_order_release);
}

}  // namespace failover
