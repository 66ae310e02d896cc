// The real clock: CLOCK_MONOTONIC via std::chrono::steady_clock, CLOCK_REALTIME via absl::Now(),
// and one lazily started timer thread.
#include <chrono>
#include <mutex>
#include <thread>

#include "absl/time/clock.h"
#include "core/clock.h"
#include "core/internal/timer_queue.h"

namespace failover {
namespace {

// Thread-safe. Lives for the whole process (never destroyed), so its timer thread is detached.
class RealClock final : public Clock {
 public:
  MonotonicTime Now() const override {
    return MonotonicTime::FromNanos(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
  }

  absl::Time WallNow() const override { return absl::Now(); }

  void SleepFor(absl::Duration d) override { absl::SleepFor(d); }

  TimerId ScheduleAfter(absl::Duration delay, std::function<void()> callback) override {
    std::call_once(thread_started_, [this] { std::thread([this] { RunTimers(); }).detach(); });
    return queue_.Add(Now() + delay, std::move(callback));
  }

  bool Cancel(TimerId id) override { return queue_.Cancel(id); }

 private:
  void RunTimers() {
    for (;;) {
      while (queue_.RunOneDue(Now())) {
      }
      queue_.WaitUntilDueOrChanged(*this);
    }
  }

  std::once_flag thread_started_;
  clock_internal::TimerQueue queue_;
};

}  // namespace

Clock& SystemClock() {
  static RealClock* const clock = new RealClock();
  return *clock;
}

}  // namespace failover
