// CronScheduler: runs a task at every fire time of a CronExpression, on an injected Clock, in a
// given time zone. After each run it asks the expression for the next fire time after the
// clock's wall time, so a run that overruns one or more fire times skips them (no burst of
// catch-up runs), and a clock that fires a timer slightly early never runs a fire time twice.
//
//   absl::StatusOr<failover::CronExpression> cron = failover::CronExpression::Parse("0 0 * * * *");
//   failover::CronScheduler hourly(*cron, clock, [&](absl::Time fire_time) { store.Clean(); });
//   ...
//   hourly.Stop();  // or let the destructor stop it
//
// Thread-safe. The task runs on the clock's timer thread (the advancing thread for a
// SimulatedClock), one run at a time. Stop() and the destructor cancel the pending timer and
// wait for a run in progress, except when called from inside the task itself, where Stop()
// returns at once and no further run happens. Do not destroy the scheduler from inside its task.
#ifndef FAILOVER_CORE_SCHEDULING_CRON_SCHEDULER_H_
#define FAILOVER_CORE_SCHEDULING_CRON_SCHEDULER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/scheduling/cron_expression.h"
#include "core/sync.h"

namespace failover {

class CronScheduler {
 public:
  // Receives the fire time the run is for (a whole second in the schedule).
  using Task = std::function<void(absl::Time fire_time)>;

  // Arms the first fire time right away. An expression with no future fire time (e.g.
  // "0 0 0 30 2 *") arms nothing; next_fire_time() then stays empty.
  CronScheduler(CronExpression expression, Clock& clock, Task task,
                absl::TimeZone time_zone = absl::UTCTimeZone());
  ~CronScheduler();
  CronScheduler(const CronScheduler&) = delete;
  CronScheduler& operator=(const CronScheduler&) = delete;

  // Cancels the pending fire time and waits for a run in progress (see the class comment).
  // Idempotent.
  void Stop();

  // The fire time currently armed; nullopt while a run is in progress, after Stop(), or when
  // the expression has no further fire time.
  std::optional<absl::Time> next_fire_time() const;
  // Number of completed runs.
  int64_t runs() const;

 private:
  // Arms the first fire time strictly after `after` (unless stopped).
  void ArmLocked(absl::Time after) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnTimer(absl::Time fire_time);

  const CronExpression expression_;
  Clock& clock_;
  const Task task_;
  const absl::TimeZone time_zone_;

  mutable Mutex mu_;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  bool running_ ABSL_GUARDED_BY(mu_) = false;
  std::thread::id running_thread_ ABSL_GUARDED_BY(mu_);
  TimerId timer_ ABSL_GUARDED_BY(mu_) = kNoTimer;
  std::optional<absl::Time> armed_for_ ABSL_GUARDED_BY(mu_);
  int64_t runs_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace failover

#endif  // FAILOVER_CORE_SCHEDULING_CRON_SCHEDULER_H_
