#include "core/scheduling/cron_scheduler.h"

#include <algorithm>
#include <utility>

namespace failover {

CronScheduler::CronScheduler(CronExpression expression, Clock& clock, Task task,
                             absl::TimeZone time_zone)
    : expression_(std::move(expression)),
      clock_(clock),
      task_(std::move(task)),
      time_zone_(time_zone) {
  MutexLock lock(&mu_);
  ArmLocked(clock_.WallNow());
}

CronScheduler::~CronScheduler() { Stop(); }

void CronScheduler::ArmLocked(absl::Time after) {
  armed_for_.reset();
  timer_ = kNoTimer;
  if (stopped_) return;
  const std::optional<absl::Time> next = expression_.Next(after, time_zone_);
  if (!next.has_value()) return;
  armed_for_ = next;
  const absl::Duration delay = std::max(*next - clock_.WallNow(), absl::ZeroDuration());
  const absl::Time fire_time = *next;
  // Scheduling under mu_ is safe: the callback takes mu_ first thing, so it cannot observe a
  // half-armed state, and ScheduleAfter never runs the callback inline.
  timer_ = clock_.ScheduleAfter(delay, [this, fire_time] { OnTimer(fire_time); });
}

void CronScheduler::OnTimer(absl::Time fire_time) {
  {
    MutexLock lock(&mu_);
    if (stopped_) return;
    running_ = true;
    running_thread_ = std::this_thread::get_id();
    timer_ = kNoTimer;
    armed_for_.reset();
  }
  task_(fire_time);
  MutexLock lock(&mu_);
  running_ = false;
  running_thread_ = std::thread::id();
  ++runs_;
  // From the later of now and this fire time: a run that overran skips the fire times it
  // covered, and a timer that fired early (wall clock behind) does not repeat this one.
  ArmLocked(std::max(clock_.WallNow(), fire_time));
}

void CronScheduler::Stop() {
  TimerId timer = kNoTimer;
  {
    MutexLock lock(&mu_);
    stopped_ = true;
    std::swap(timer, timer_);
    armed_for_.reset();
  }
  // Outside mu_: Cancel() waits for a callback that has started, and that callback takes mu_.
  if (timer != kNoTimer) clock_.Cancel(timer);
  MutexLock lock(&mu_);
  if (running_ && running_thread_ == std::this_thread::get_id()) return;  // inside the task
  mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !running_; });
}

std::optional<absl::Time> CronScheduler::next_fire_time() const {
  MutexLock lock(&mu_);
  return armed_for_;
}

int64_t CronScheduler::runs() const {
  MutexLock lock(&mu_);
  return runs_;
}

}  // namespace failover
