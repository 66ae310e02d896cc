#include "core/executor/bounded_executor.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "core/sync.h"
#include "core/testing/warning_log.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

BoundedExecutorOptions LimitedOptions(RejectionPolicy policy, WarningLog* log) {
  BoundedExecutorOptions options;
  options.name = "test-pool";
  options.threads = 2;
  options.concurrency_limit = 2;
  options.rejection_policy = policy;
  options.warnings = log->Sink();
  return options;
}

// Fills `executor` (limit 2) with two tasks that block until `release` is notified; returns once
// both are running, so the executor is exactly at its limit.
void FillWithBlockedTasks(BoundedExecutor& executor, Notification& release) {
  Notification started[2];
  for (Notification& s : started) {
    auto outcome = executor.Submit([&s, &release] {
      s.Notify();
      release.WaitForNotification();
    });
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    ASSERT_EQ(*outcome, SubmitOutcome::kQueued);
  }
  for (Notification& s : started) s.WaitForNotification();
  ASSERT_EQ(executor.in_flight(), 2);
}

TEST(BoundedExecutorTest, RunsEveryQueuedTaskAndDrainWaitsForThem) {
  BoundedExecutor executor(BoundedExecutorOptions{});
  std::atomic<int> ran{0};
  for (int i = 0; i < 100; ++i) {
    auto outcome = executor.Submit([&ran] { ran.fetch_add(1); });
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(*outcome, SubmitOutcome::kQueued);
  }
  executor.Drain();
  EXPECT_EQ(ran.load(), 100);
  EXPECT_EQ(executor.in_flight(), 0);
}

TEST(BoundedExecutorTest, DiscardAtTheLimitDropsCountsAndWarnsOncePerBurst) {
  WarningLog log;
  BoundedExecutor executor(LimitedOptions(RejectionPolicy::kDiscard, &log));
  Notification release;
  FillWithBlockedTasks(executor, release);

  std::atomic<int> dropped_ran{0};
  for (int i = 0; i < 3; ++i) {
    auto outcome = executor.Submit([&dropped_ran] { dropped_ran.fetch_add(1); });
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(*outcome, SubmitOutcome::kDiscarded);
  }
  EXPECT_EQ(executor.discarded(), 3);
  ASSERT_EQ(log.messages().size(), 1u);
  EXPECT_TRUE(absl::StrContains(log.messages()[0], "test-pool")) << log.messages()[0];
  EXPECT_TRUE(absl::StrContains(log.messages()[0], "limit 2")) << log.messages()[0];

  release.Notify();
  executor.Drain();
  EXPECT_EQ(dropped_ran.load(), 0);

  // A queued task ends the burst: the next saturation warns again.
  Notification release_again;
  FillWithBlockedTasks(executor, release_again);
  EXPECT_EQ(*executor.Submit([] {}), SubmitOutcome::kDiscarded);
  EXPECT_EQ(log.messages().size(), 2u);
  EXPECT_EQ(executor.discarded(), 4);
  release_again.Notify();
  executor.Drain();  // the tasks still use the notification until they finish
}

TEST(BoundedExecutorTest, CallerRunsAtTheLimitRunsOnTheSubmittingThread) {
  WarningLog log;
  BoundedExecutor executor(LimitedOptions(RejectionPolicy::kCallerRuns, &log));
  Notification release;
  FillWithBlockedTasks(executor, release);

  std::thread::id ran_on;
  auto outcome = executor.Submit([&ran_on] { ran_on = std::this_thread::get_id(); });
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(*outcome, SubmitOutcome::kRanOnCaller);
  EXPECT_EQ(ran_on, std::this_thread::get_id());
  EXPECT_EQ(executor.in_flight(), 2);
  EXPECT_EQ(executor.discarded(), 0);
  release.Notify();
  executor.Drain();  // the tasks still use the notification until they finish
}

TEST(BoundedExecutorTest, AbortAtTheLimitIsResourceExhaustedNamingExecutorAndLimit) {
  WarningLog log;
  BoundedExecutor executor(LimitedOptions(RejectionPolicy::kAbort, &log));
  Notification release;
  FillWithBlockedTasks(executor, release);

  bool ran = false;
  auto outcome = executor.Submit([&ran] { ran = true; });
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(absl::StrContains(outcome.status().message(), "test-pool"));
  EXPECT_TRUE(absl::StrContains(outcome.status().message(), "limit 2"));
  release.Notify();
  executor.Drain();
  EXPECT_FALSE(ran);
}

TEST(BoundedExecutorTest, DrainDoesNotReturnBeforeAnAcceptedTaskFinishes) {
  BoundedExecutor executor(BoundedExecutorOptions{});
  Notification started, release;
  std::atomic<bool> task_done{false};
  ASSERT_TRUE(executor
                  .Submit([&] {
                    started.Notify();
                    release.WaitForNotification();
                    task_done.store(true);
                  })
                  .ok());
  started.WaitForNotification();
  std::atomic<bool> done_when_drained{false};
  std::thread drainer([&] {
    executor.Drain();
    done_when_drained.store(task_done.load());
  });
  release.Notify();
  drainer.join();
  EXPECT_TRUE(done_when_drained.load());
}

// Each task queues its successor before finishing, so the executor is never idle. A Drain() that
// waited for "no task at all" would never return; ours waits only for tasks accepted before it.
TEST(BoundedExecutorTest, DrainIgnoresTasksAcceptedAfterTheCall) {
  BoundedExecutorOptions options;
  options.threads = 1;
  BoundedExecutor executor(std::move(options));
  std::atomic<int> links{0};
  std::function<void()> link = [&] {
    links.fetch_add(1);
    (void)executor.Submit(link);  // FAILED_PRECONDITION once shut down: the chain ends
  };
  ASSERT_TRUE(executor.Submit(link).ok());
  executor.Drain();
  EXPECT_GE(links.load(), 1);
  executor.Shutdown();
}

TEST(BoundedExecutorTest, ShutdownRunsEveryAcceptedTaskThenRefusesNewOnes) {
  BoundedExecutorOptions options;
  options.threads = 1;
  BoundedExecutor executor(std::move(options));
  Notification release;
  std::atomic<int> ran{0};
  ASSERT_TRUE(executor.Submit([&] { release.WaitForNotification(); }).ok());
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(executor.Submit([&ran] { ran.fetch_add(1); }).ok());

  std::thread stopper([&] { executor.Shutdown(); });
  release.Notify();
  stopper.join();
  EXPECT_EQ(ran.load(), 50);

  auto late = executor.Submit([] {});
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(late.status().message(), "executor"));
  executor.Shutdown();  // idempotent
}

TEST(BoundedExecutorTest, DestructorRunsQueuedTasks) {
  std::atomic<int> ran{0};
  {
    BoundedExecutorOptions options;
    options.threads = 1;
    BoundedExecutor executor(std::move(options));
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(executor.Submit([&ran] { ran.fetch_add(1); }).ok());
  }
  EXPECT_EQ(ran.load(), 20);
}

TEST(BoundedExecutorTest, EmptyTaskIsInvalidArgument) {
  BoundedExecutor executor(BoundedExecutorOptions{});
  EXPECT_EQ(executor.Submit(nullptr).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(BoundedExecutorTest, ConcurrentSubmittersAccountForEveryTask) {
  for (RejectionPolicy policy :
       {RejectionPolicy::kDiscard, RejectionPolicy::kCallerRuns, RejectionPolicy::kAbort}) {
    BoundedExecutorOptions options;
    options.threads = 3;
    options.concurrency_limit = 4;
    options.rejection_policy = policy;
    options.warnings = [](absl::string_view) {};
    BoundedExecutor executor(std::move(options));
    std::atomic<int> ran{0}, accepted{0}, rejected{0};
    std::vector<std::thread> submitters;
    for (int t = 0; t < 8; ++t) {
      submitters.emplace_back([&] {
        for (int i = 0; i < 500; ++i) {
          auto outcome = executor.Submit([&ran] { ran.fetch_add(1); });
          if (outcome.ok() && *outcome != SubmitOutcome::kDiscarded) {
            accepted.fetch_add(1);
          } else {
            rejected.fetch_add(1);
          }
          EXPECT_LE(executor.in_flight(), 4);
        }
      });
    }
    for (std::thread& t : submitters) t.join();
    executor.Drain();
    EXPECT_EQ(ran.load(), accepted.load());
    EXPECT_EQ(accepted.load() + rejected.load(), 8 * 500);
    if (policy == RejectionPolicy::kCallerRuns) {
      EXPECT_EQ(rejected.load(), 0);
    }
    if (policy == RejectionPolicy::kDiscard) {
      EXPECT_EQ(executor.discarded(), rejected.load());
    }
  }
}

}  // namespace
}  // namespace failover
