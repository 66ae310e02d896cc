// BoundedExecutor: a fixed pool of worker threads with an optional cap on accepted-but-unfinished
// tasks, and a rejection policy (failover.store.async-executor.rejection-policy) for work
// submitted at that cap. Used for asynchronous store writes and scatter/gather fan-out.
//
// Ordering is not promised: tasks start in submission order, but with more than one worker
// they finish in any order, and a CALLER_RUNS task runs at once on the submitting thread.
//
//   BoundedExecutorOptions options;
//   options.name = "failover.store.async-executor";
//   options.threads = 4;
//   options.concurrency_limit = 64;
//   options.rejection_policy = RejectionPolicy::kCallerRuns;
//   BoundedExecutor executor(std::move(options));
//   absl::StatusOr<SubmitOutcome> outcome = executor.Submit([] { WriteOneRow(); });
//   executor.Drain();     // every task accepted so far has finished
//   executor.Shutdown();  // or let the destructor do it
#ifndef FAILOVER_CORE_EXECUTOR_BOUNDED_EXECUTOR_H_
#define FAILOVER_CORE_EXECUTOR_BOUNDED_EXECUTOR_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "core/config/store_config.h"
#include "core/sync.h"
#include "core/warning_sink.h"

namespace failover {

// What Submit() did with an accepted-or-dropped task.
enum class SubmitOutcome {
  kQueued,       // queued for a worker thread
  kRanOnCaller,  // at the limit under CALLER_RUNS: already ran on the submitting thread
  kDiscarded,    // at the limit under DISCARD: dropped, counted in discarded()
};

struct BoundedExecutorOptions {
  std::string name = "executor";  // names the executor in errors and warnings
  int threads = 4;                // worker threads; values below 1 mean 1
  int concurrency_limit = 0;      // max accepted-but-unfinished tasks; <= 0 = unbounded
  RejectionPolicy rejection_policy = RejectionPolicy::kDiscard;  // at the limit
  WarningSink warnings = StderrWarningSink();  // discard warnings (once per burst)
};

// Thread-safe: any thread may call any method, except that a task must not call Drain() or
// Shutdown() on its own executor (it would wait for itself). Tasks must not throw.
class BoundedExecutor {
 public:
  explicit BoundedExecutor(BoundedExecutorOptions options);
  ~BoundedExecutor();  // Shutdown()

  BoundedExecutor(const BoundedExecutor&) = delete;
  BoundedExecutor& operator=(const BoundedExecutor&) = delete;

  // Below the limit (or unbounded) queues `task` and returns kQueued. At the limit:
  // DISCARD drops it and returns kDiscarded (counted; one warning per burst of discards, a burst
  // ending when a task is queued again); CALLER_RUNS runs it on the calling thread and returns
  // kRanOnCaller (such tasks do not count toward the limit); ABORT returns RESOURCE_EXHAUSTED
  // naming the executor and the limit. After Shutdown(): FAILED_PRECONDITION.
  // An empty std::function is INVALID_ARGUMENT.
  absl::StatusOr<SubmitOutcome> Submit(std::function<void()> task);

  // Returns once every task accepted (queued or running on a caller) before the call has
  // finished. Tasks accepted afterwards are not waited for, so a steady stream of submissions
  // cannot keep Drain() from returning.
  void Drain();

  // Stops accepting tasks, runs every task already accepted, joins the workers. Idempotent;
  // concurrent callers all return once the workers are joined.
  void Shutdown();

  int64_t discarded() const;  // tasks dropped under DISCARD so far
  int64_t in_flight() const;  // queued or running on a worker (what the limit counts)
  const std::string& name() const { return options_.name; }

 private:
  struct QueuedTask {
    uint64_t ticket;
    std::function<void()> task;
  };

  // Under the limit: accepts the task. Requires mu_ held.
  void EnqueueLocked(std::function<void()> task) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string LimitText() const;
  void WorkerLoop();
  void Finish(uint64_t ticket, bool counted_in_flight);

  const BoundedExecutorOptions options_;

  mutable Mutex mu_;
  std::deque<QueuedTask> queue_ ABSL_GUARDED_BY(mu_);
  // Tickets of accepted tasks (queued, on a worker, or on a caller) that have not finished.
  std::set<uint64_t> unfinished_ ABSL_GUARDED_BY(mu_);
  uint64_t next_ticket_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t discarded_ ABSL_GUARDED_BY(mu_) = 0;
  bool in_discard_burst_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;

  Mutex join_mu_;  // serialises Shutdown()'s joins
  std::vector<std::thread> workers_ ABSL_GUARDED_BY(join_mu_);
};

}  // namespace failover

#endif  // FAILOVER_CORE_EXECUTOR_BOUNDED_EXECUTOR_H_
