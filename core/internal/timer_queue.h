// TimerQueue: the bookkeeping shared by SystemClock and SimulatedClock. Holds one-shot timers
// ordered by due time (ties in scheduling order), hands out due ones, and implements Cancel()'s
// promise that a cancelled callback never runs and is not running when Cancel() returns.
#ifndef FAILOVER_CORE_INTERNAL_TIMER_QUEUE_H_
#define FAILOVER_CORE_INTERNAL_TIMER_QUEUE_H_

#include <functional>
#include <map>
#include <optional>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "core/clock.h"
#include "core/sync.h"

namespace failover {
namespace clock_internal {

// Thread-safe.
class TimerQueue {
 public:
  TimerId Add(MonotonicTime due, std::function<void()> callback) ABSL_LOCKS_EXCLUDED(mu_);

  // See Clock::Cancel().
  bool Cancel(TimerId id) ABSL_LOCKS_EXCLUDED(mu_);

  // Due time of the earliest timer, if any.
  std::optional<MonotonicTime> NextDue() const ABSL_LOCKS_EXCLUDED(mu_);

  // Removes the earliest timer due at or before `now` and runs it on the calling thread.
  // Returns false if none is due.
  bool RunOneDue(MonotonicTime now) ABSL_LOCKS_EXCLUDED(mu_);

  // Blocks until the earliest timer is due on `clock` or the queue changes (a timer added or
  // cancelled), whichever comes first. Used by the system clock's timer thread.
  void WaitUntilDueOrChanged(const Clock& clock) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Key {
    MonotonicTime due;
    TimerId id;
    bool operator<(const Key& o) const { return due != o.due ? due < o.due : id < o.id; }
  };

  mutable Mutex mu_;
  TimerId next_id_ ABSL_GUARDED_BY(mu_) = 1;
  uint64_t version_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<Key, std::function<void()>> timers_ ABSL_GUARDED_BY(mu_);
  std::map<TimerId, MonotonicTime> due_by_id_ ABSL_GUARDED_BY(mu_);
  TimerId running_ ABSL_GUARDED_BY(mu_) = kNoTimer;
  std::thread::id running_thread_ ABSL_GUARDED_BY(mu_);
};

}  // namespace clock_internal
}  // namespace failover

#endif  // FAILOVER_CORE_INTERNAL_TIMER_QUEUE_H_
