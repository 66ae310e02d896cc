#include "core/internal/timer_queue.h"

#include <utility>

namespace failover {
namespace clock_internal {

TimerId TimerQueue::Add(MonotonicTime due, std::function<void()> callback) {
  MutexLock lock(&mu_);
  const TimerId id = next_id_++;
  timers_.emplace(Key{due, id}, std::move(callback));
  due_by_id_.emplace(id, due);
  ++version_;
  return id;
}

bool TimerQueue::Cancel(TimerId id) {
  // kNoTimer names no timer; it is also running_'s "nothing runs" value, so waiting for it to
  // stop running would wait forever.
  if (id == kNoTimer) return false;
  MutexLock lock(&mu_);
  auto it = due_by_id_.find(id);
  if (it != due_by_id_.end()) {
    timers_.erase(Key{it->second, id});
    due_by_id_.erase(it);
    ++version_;
    return true;
  }
  if (running_ == id && running_thread_ != std::this_thread::get_id()) {
    auto finished = [this, id]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return running_ != id; };
    mu_.Await(finished);
  }
  return false;
}

std::optional<MonotonicTime> TimerQueue::NextDue() const {
  MutexLock lock(&mu_);
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first.due;
}

bool TimerQueue::RunOneDue(MonotonicTime now) {
  std::function<void()> callback;
  {
    MutexLock lock(&mu_);
    if (timers_.empty() || timers_.begin()->first.due > now) return false;
    auto node = timers_.extract(timers_.begin());
    due_by_id_.erase(node.key().id);
    callback = std::move(node.mapped());
    running_ = node.key().id;
    running_thread_ = std::this_thread::get_id();
  }
  callback();
  callback = nullptr;  // Whatever it captured is released before Cancel() may return.
  MutexLock lock(&mu_);
  running_ = kNoTimer;
  return true;
}

void TimerQueue::WaitUntilDueOrChanged(const Clock& clock) {
  MutexLock lock(&mu_);
  const uint64_t seen = version_;
  auto changed = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return version_ != seen; };
  if (timers_.empty()) {
    mu_.Await(changed);
    return;
  }
  const absl::Duration until_due = timers_.begin()->first.due - clock.Now();
  if (until_due <= absl::ZeroDuration()) return;
  mu_.AwaitWithTimeout(changed, until_due);
}

}  // namespace clock_internal
}  // namespace failover
