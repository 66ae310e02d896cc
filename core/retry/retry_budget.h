// RetryBudget: a token bucket shared by every caller of a dependency, so that retries cannot
// multiply the load on it during an outage. Retry (retry.h) consults it before each retry; first
// attempts are never throttled.
//
// The model is gRPC's retry throttling (gRFC A6): the bucket starts full at `max_tokens`; every
// attempt that fails with a retryable error takes 1 token, every successful attempt returns
// `token_ratio` tokens (never above `max_tokens`, never below 0), and retries are allowed only
// while more than `max_tokens / 2` tokens remain. Chosen over a time-refilled bucket (Finagle's
// tokens/s plus a percentage of requests) because:
//   - it scales with traffic by itself: sustained retries are bounded by about `token_ratio`
//     retries per success, at 10 requests/s or 100k, with nothing to tune per rate;
//   - it needs no clock, so it is deterministic under test and its whole state is one integer
//     (milli-tokens, as in gRPC), updated lock-free with compare-and-swap.
// The price: after a long outage the bucket is empty and retries come back only after
// (max_tokens / 2) / token_ratio successes (51 with the defaults); first attempts carry the
// traffic meanwhile.
//
//   failover::RetryBudgetOptions budget_options;  // 10 tokens, 0.1 back per success
//   auto budget = failover::RetryBudget::Create(budget_options);
//   if (!budget.ok()) return budget.status();
//   auto get = failover::Retry::Create("redis-get", options, clock, random, budget->get());
//   auto set = failover::Retry::Create("redis-set", options, clock, random, budget->get());
#ifndef FAILOVER_CORE_RETRY_RETRY_BUDGET_H_
#define FAILOVER_CORE_RETRY_RETRY_BUDGET_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace failover {

// Immutable config; the defaults are the example values of gRFC A6 (gRPC itself has none).
struct RetryBudgetOptions {
  // Bucket size, in [0.001, 1000] (gRPC: (0, 1000], 3 decimal places). Retries stop once
  // half of it is used up.
  double max_tokens = 10;
  // Tokens a success puts back, >= 0.001 (kept to 3 decimal places). 0.1 = one failure's worth
  // per 10 successes, so retries stay allowed while about 9 % or fewer of attempts fail.
  double token_ratio = 0.1;

  // OK, or INVALID_ARGUMENT naming the bad field.
  absl::Status Validate() const;
};

// Thread-safe and lock-free: every method is one atomic load or a compare-and-swap loop.
// AllowsRetry() is a check, not a reservation, so callers that check at the same moment may all
// retry; like gRPC, the overshoot is bounded by the number of concurrent callers.
class RetryBudget {
 public:
  // INVALID_ARGUMENT if `options` do not validate.
  static absl::StatusOr<std::unique_ptr<RetryBudget>> Create(const RetryBudgetOptions& options);

  RetryBudget(const RetryBudget&) = delete;
  RetryBudget& operator=(const RetryBudget&) = delete;

  // An attempt succeeded: adds token_ratio, up to max_tokens.
  void RecordSuccess();
  // An attempt failed with a retryable error: removes 1 token, down to 0.
  void RecordFailure();
  // True while more than max_tokens / 2 tokens remain.
  bool AllowsRetry() const;
  // Tokens now, for metrics and tests.
  double tokens() const;

 private:
  RetryBudget(int64_t max_milli_tokens, int64_t milli_token_ratio);
  // Adds `delta` milli-tokens, clamped to [0, max_milli_tokens_].
  void Add(int64_t delta);

  const int64_t max_milli_tokens_;
  const int64_t milli_token_ratio_;
  std::atomic<int64_t> milli_tokens_;
};

}  // namespace failover

#endif  // FAILOVER_CORE_RETRY_RETRY_BUDGET_H_
