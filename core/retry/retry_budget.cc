#include "core/retry/retry_budget.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace failover {
namespace {

// gRPC keeps tokens to 3 decimal places and caps the bucket at 1000.
constexpr double kMinTokens = 0.001;
constexpr double kMaxTokensLimit = 1000.0;
constexpr int64_t kMilli = 1000;

}  // namespace

absl::Status RetryBudgetOptions::Validate() const {
  // Written as `!(in range)` so that NaN is rejected too.
  if (!(max_tokens >= kMinTokens && max_tokens <= kMaxTokensLimit)) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_tokens must be in [0.001, 1000], got ", max_tokens));
  }
  if (!(token_ratio >= kMinTokens && token_ratio <= kMaxTokensLimit)) {
    return absl::InvalidArgumentError(
        absl::StrCat("token_ratio must be in [0.001, 1000], got ", token_ratio));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RetryBudget>> RetryBudget::Create(
    const RetryBudgetOptions& options) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  return std::unique_ptr<RetryBudget>(new RetryBudget(std::llround(options.max_tokens * kMilli),
                                                      std::llround(options.token_ratio * kMilli)));
}

RetryBudget::RetryBudget(int64_t max_milli_tokens, int64_t milli_token_ratio)
    : max_milli_tokens_(max_milli_tokens),
      milli_token_ratio_(milli_token_ratio),
      milli_tokens_(max_milli_tokens) {}

void RetryBudget::RecordSuccess() { Add(milli_token_ratio_); }

void RetryBudget::RecordFailure() { Add(-kMilli); }

bool RetryBudget::AllowsRetry() const {
  // The token count is the only shared state and guards no other memory: relaxed suffices.
  return milli_tokens_.load(std::memory_order_relaxed) > max_milli_tokens_ / 2;
}

double RetryBudget::tokens() const {
  return static_cast<double>(milli_tokens_.load(std::memory_order_relaxed)) / kMilli;
}

void RetryBudget::Add(int64_t delta) {
  int64_t current = milli_tokens_.load(std::memory_order_relaxed);
  int64_t next;
  do {
    next = std::clamp<int64_t>(current + delta, 0, max_milli_tokens_);
  } while (!milli_tokens_.compare_exchange_weak(current, next, std::memory_order_relaxed));
}

}  // namespace failover
