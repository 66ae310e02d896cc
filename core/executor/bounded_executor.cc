#include "core/executor/bounded_executor.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace failover {

BoundedExecutor::BoundedExecutor(BoundedExecutorOptions options) : options_(std::move(options)) {
  const int threads = std::max(1, options_.threads);
  MutexLock lock(&join_mu_);
  workers_.reserve(threads);
  for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

BoundedExecutor::~BoundedExecutor() { Shutdown(); }

absl::StatusOr<SubmitOutcome> BoundedExecutor::Submit(std::function<void()> task) {
  if (!task) {
    return absl::InvalidArgumentError(
        absl::StrCat("executor '", options_.name, "': cannot submit an empty task"));
  }
  uint64_t caller_ticket = 0;
  int64_t discarded = 0;
  bool warn = false;
  {
    MutexLock lock(&mu_);
    if (stopping_) {
      return absl::FailedPreconditionError(
          absl::StrCat("executor '", options_.name, "' is shut down; task not accepted"));
    }
    if (options_.concurrency_limit <= 0 || in_flight_ < options_.concurrency_limit) {
      EnqueueLocked(std::move(task));
      return SubmitOutcome::kQueued;
    }
    switch (options_.rejection_policy) {
      case RejectionPolicy::kAbort:
        return absl::ResourceExhaustedError(
            absl::StrCat(LimitText(), "; task rejected (rejection policy ABORT)"));
      case RejectionPolicy::kCallerRuns:
        caller_ticket = next_ticket_++;
        unfinished_.insert(caller_ticket);
        break;
      case RejectionPolicy::kDiscard:
        discarded = ++discarded_;
        warn = !in_discard_burst_;
        in_discard_burst_ = true;
        break;
    }
  }
  if (options_.rejection_policy == RejectionPolicy::kCallerRuns) {
    task();
    task = nullptr;  // release what the task captured before it counts as finished
    Finish(caller_ticket, /*counted_in_flight=*/false);
    return SubmitOutcome::kRanOnCaller;
  }
  if (warn && options_.warnings) {
    options_.warnings(absl::StrCat(LimitText(),
                                   "; dropping submitted tasks (rejection policy DISCARD; ",
                                   discarded, " dropped so far; warned once per burst)"));
  }
  return SubmitOutcome::kDiscarded;
}

std::string BoundedExecutor::LimitText() const {
  return absl::StrCat("executor '", options_.name, "': concurrency limit ",
                      options_.concurrency_limit, " reached");
}

void BoundedExecutor::EnqueueLocked(std::function<void()> task) {
  const uint64_t ticket = next_ticket_++;
  unfinished_.insert(ticket);
  ++in_flight_;
  in_discard_burst_ = false;
  queue_.push_back(QueuedTask{ticket, std::move(task)});
}

void BoundedExecutor::WorkerLoop() {
  for (;;) {
    QueuedTask next;
    {
      MutexLock lock(&mu_);
      mu_.Await([this]()
                    ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and every accepted task has been taken
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    next.task();
    next.task = nullptr;
    Finish(next.ticket, /*counted_in_flight=*/true);
  }
}

void BoundedExecutor::Finish(uint64_t ticket, bool counted_in_flight) {
  MutexLock lock(&mu_);
  unfinished_.erase(ticket);
  if (counted_in_flight) --in_flight_;
}

void BoundedExecutor::Drain() {
  MutexLock lock(&mu_);
  const uint64_t horizon = next_ticket_;
  mu_.Await([this, horizon]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return unfinished_.empty() || *unfinished_.begin() >= horizon;
  });
}

void BoundedExecutor::Shutdown() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
  }
  {
    MutexLock lock(&join_mu_);
    for (std::thread& worker : workers_) worker.join();
    workers_.clear();
  }
  // Tasks running on callers (CALLER_RUNS) were accepted too.
  MutexLock lock(&mu_);
  mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return unfinished_.empty(); });
}

int64_t BoundedExecutor::discarded() const {
  MutexLock lock(&mu_);
  return discarded_;
}

int64_t BoundedExecutor::in_flight() const {
  MutexLock lock(&mu_);
  return in_flight_;
}

}  // namespace failover
