// Retry together with a shared RetryBudget: throttling, refilling, sharing, and concurrent use.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "core/retry/retry.h"
#include "core/retry/retry_budget.h"
#include "core/simulated_clock.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

class RetryWithBudgetTest : public ::testing::Test {
 protected:
  // max_tokens 4: retries are allowed while more than 2 tokens remain.
  RetryWithBudgetTest() : budget_(MakeBudget(4, 0.5)) {}

  static std::unique_ptr<RetryBudget> MakeBudget(double max_tokens, double token_ratio) {
    RetryBudgetOptions options;
    options.max_tokens = max_tokens;
    options.token_ratio = token_ratio;
    return *RetryBudget::Create(options);
  }

  std::unique_ptr<Retry> Make(absl::string_view name, RetryOptions options = RetryOptions()) {
    absl::StatusOr<std::unique_ptr<Retry>> retry =
        Retry::Create(std::string(name), std::move(options), clock_, random_, budget_.get());
    EXPECT_TRUE(retry.ok()) << retry.status();
    return *std::move(retry);
  }

  SimulatedClock clock_;
  SeededRandom random_{3};
  std::unique_ptr<RetryBudget> budget_;
};

absl::Status AlwaysDown() { return absl::UnavailableError("down"); }

TEST_F(RetryWithBudgetTest, DrainsUnderSustainedFailureThenRefuses) {
  std::unique_ptr<Retry> retry = Make("redis-get");
  int attempts = 0;
  auto counted_down = [&attempts] {
    ++attempts;
    return AlwaysDown();
  };
  // Attempt 1 fails (3 tokens left, retry allowed); attempt 2 fails (2 left): refused.
  EXPECT_EQ(retry->Run(counted_down).message(),
            "retry 'redis-get' gave up after 2 attempts (budget exhausted): down");
  EXPECT_EQ(attempts, 2);
  // Now every first failure is refused a retry at once.
  EXPECT_EQ(retry->Run(counted_down).message(),
            "retry 'redis-get' gave up after 1 attempt (budget exhausted): down");
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(budget_->tokens(), 1.0);

  const RetryMetrics m = retry->metrics();
  EXPECT_EQ(m.retries_refused_by_budget, 2);
  EXPECT_EQ(m.failed_after_retry, 1);
  EXPECT_EQ(m.failed_without_retry, 1);
  EXPECT_EQ(m.retries, 1);
}

TEST_F(RetryWithBudgetTest, RefillsOnSuccess) {
  std::unique_ptr<Retry> retry = Make("redis-get");
  for (int i = 0; i < 2; ++i) (void)retry->Run(AlwaysDown);
  EXPECT_EQ(budget_->tokens(), 1.0);
  EXPECT_FALSE(budget_->AllowsRetry());
  // Five successes at 0.5 tokens each bring 3.5: the next failure leaves 2.5 > 2, so it is
  // retried.
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(retry->Run([] { return absl::OkStatus(); }).ok());
  EXPECT_EQ(budget_->tokens(), 3.5);
  EXPECT_TRUE(budget_->AllowsRetry());
  int calls = 0;
  EXPECT_TRUE(retry->Run([&calls] { return ++calls == 1 ? AlwaysDown() : absl::OkStatus(); }).ok());
  EXPECT_EQ(retry->metrics().succeeded_after_retry, 1);
}

TEST_F(RetryWithBudgetTest, NonRetryableErrorsDoNotDrainIt) {
  std::unique_ptr<Retry> retry = Make("redis-get");
  for (int i = 0; i < 10; ++i) {
    (void)retry->Run([] { return absl::NotFoundError("no such key"); });
  }
  EXPECT_EQ(budget_->tokens(), 4.0);
}

TEST_F(RetryWithBudgetTest, DeadlineAndAttemptLimitsAreNotCountedAsRefusals) {
  RetryOptions options;
  options.max_attempts = 1;
  std::unique_ptr<Retry> retry = Make("redis-get", options);
  for (int i = 0; i < 5; ++i) (void)retry->Run(AlwaysDown);
  EXPECT_EQ(retry->metrics().retries_refused_by_budget, 0);
}

TEST_F(RetryWithBudgetTest, SharedAcrossRetryObjects) {
  std::unique_ptr<Retry> get = Make("redis-get");
  std::unique_ptr<Retry> set = Make("redis-set");
  (void)get->Run(AlwaysDown);  // Drains the shared bucket to 2.
  int attempts = 0;
  EXPECT_EQ(set->Run([&attempts] {
                 ++attempts;
                 return AlwaysDown();
               })
                .message(),
            "retry 'redis-set' gave up after 1 attempt (budget exhausted): down");
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(set->metrics().retries_refused_by_budget, 1);
}

// Eight threads share one Retry and one budget (run under --config=tsan). Every call must land in
// exactly one outcome counter, and the attempts seen must match the retries counted.
TEST(RetryWithBudgetConcurrencyTest, EightThreadsShareRetryAndBudget) {
  SimulatedClock clock;
  SeededRandom random(5);
  RetryBudgetOptions budget_options;
  budget_options.max_tokens = 20;
  budget_options.token_ratio = 0.2;
  std::unique_ptr<RetryBudget> budget = *RetryBudget::Create(budget_options);
  RetryOptions options;
  options.max_attempts = 4;
  options.wait = absl::Milliseconds(10);
  options.jitter = 0.5;
  std::unique_ptr<Retry> retry = *Retry::Create("shared", options, clock, random, budget.get());

  constexpr int kThreads = 8;
  constexpr int kCallsPerThread = 500;
  std::atomic<int64_t> attempts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        // Fails on 2 attempts out of 3, so the budget drains and refills continually.
        (void)retry->Run([&attempts, t, i](const AttemptContext& context) {
          attempts.fetch_add(1, std::memory_order_relaxed);
          return (t + i + context.attempt) % 3 == 0 ? absl::OkStatus() : AlwaysDown();
        });
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  const RetryMetrics m = retry->metrics();
  EXPECT_EQ(m.succeeded_without_retry + m.succeeded_after_retry + m.failed_without_retry +
                m.failed_after_retry,
            kThreads * kCallsPerThread);
  EXPECT_EQ(attempts.load(), kThreads * kCallsPerThread + m.retries);
  EXPECT_GT(m.retries_refused_by_budget, 0);
  EXPECT_GT(m.succeeded_after_retry, 0);
  EXPECT_GE(budget->tokens(), 0.0);
  EXPECT_LE(budget->tokens(), 20.0);
}

}  // namespace
}  // namespace failover
