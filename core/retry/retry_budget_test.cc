#include "core/retry/retry_budget.h"

#include <cmath>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace {

std::unique_ptr<RetryBudget> MakeBudget(double max_tokens, double token_ratio) {
  RetryBudgetOptions options;
  options.max_tokens = max_tokens;
  options.token_ratio = token_ratio;
  absl::StatusOr<std::unique_ptr<RetryBudget>> budget = RetryBudget::Create(options);
  EXPECT_TRUE(budget.ok()) << budget.status();
  return *std::move(budget);
}

TEST(RetryBudgetTest, ValidateNamesTheBadField) {
  RetryBudgetOptions options;
  EXPECT_TRUE(options.Validate().ok());
  options.max_tokens = 0;
  EXPECT_EQ(RetryBudget::Create(options).status(),
            absl::InvalidArgumentError("max_tokens must be in [0.001, 1000], got 0"));
  options.max_tokens = 1001;
  EXPECT_EQ(options.Validate().message(), "max_tokens must be in [0.001, 1000], got 1001");
  options.max_tokens = std::nan("");
  EXPECT_EQ(options.Validate().message(), "max_tokens must be in [0.001, 1000], got nan");
  options = RetryBudgetOptions();
  options.token_ratio = 0.0001;
  EXPECT_EQ(options.Validate().message(), "token_ratio must be in [0.001, 1000], got 0.0001");
}

TEST(RetryBudgetTest, StartsFullAndRefusesAtHalf) {
  std::unique_ptr<RetryBudget> budget = MakeBudget(10, 0.1);
  EXPECT_EQ(budget->tokens(), 10.0);
  for (int i = 0; i < 4; ++i) budget->RecordFailure();
  EXPECT_EQ(budget->tokens(), 6.0);
  EXPECT_TRUE(budget->AllowsRetry());
  budget->RecordFailure();
  EXPECT_EQ(budget->tokens(), 5.0);  // Exactly half: refused, as in gRPC.
  EXPECT_FALSE(budget->AllowsRetry());
}

TEST(RetryBudgetTest, SuccessesRefillUpToMax) {
  std::unique_ptr<RetryBudget> budget = MakeBudget(10, 0.1);
  for (int i = 0; i < 5; ++i) budget->RecordFailure();
  EXPECT_FALSE(budget->AllowsRetry());
  budget->RecordSuccess();
  EXPECT_DOUBLE_EQ(budget->tokens(), 5.1);
  EXPECT_TRUE(budget->AllowsRetry());
  for (int i = 0; i < 100; ++i) budget->RecordSuccess();
  EXPECT_EQ(budget->tokens(), 10.0);
}

TEST(RetryBudgetTest, NeverBelowZero) {
  std::unique_ptr<RetryBudget> budget = MakeBudget(2, 0.5);
  for (int i = 0; i < 10; ++i) budget->RecordFailure();
  EXPECT_EQ(budget->tokens(), 0.0);
  budget->RecordSuccess();
  budget->RecordSuccess();
  EXPECT_EQ(budget->tokens(), 1.0);
  EXPECT_FALSE(budget->AllowsRetry());
  budget->RecordSuccess();
  EXPECT_TRUE(budget->AllowsRetry());
}

TEST(RetryBudgetTest, TokenRatioKeepsThreeDecimals) {
  std::unique_ptr<RetryBudget> budget = MakeBudget(1, 0.0014);  // Rounds to 0.001.
  budget->RecordFailure();
  budget->RecordSuccess();
  EXPECT_DOUBLE_EQ(budget->tokens(), 0.001);
}

// Eight threads update one bucket at once. No update may be lost: the bucket never reaches its
// bounds here, so the totals are exact whatever the interleaving.
TEST(RetryBudgetTest, ConcurrentUpdatesAreNotLost) {
  std::unique_ptr<RetryBudget> budget = MakeBudget(1000, 0.5);
  constexpr int kThreads = 8;
  constexpr int kFailuresPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&budget] {
      for (int i = 0; i < kFailuresPerThread; ++i) {
        budget->RecordFailure();
        (void)budget->AllowsRetry();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(budget->tokens(), 600.0);

  threads.clear();
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&budget] {
      for (int i = 0; i < 2 * kFailuresPerThread; ++i) budget->RecordSuccess();
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(budget->tokens(), 1000.0);
}

}  // namespace
}  // namespace failover
