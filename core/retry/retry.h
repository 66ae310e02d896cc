// Retry: calls an operation that returns absl::Status or absl::StatusOr<T> again when it fails
// with a retryable error, waiting between attempts through the injected Clock (so tests on a
// SimulatedClock run instantly), optionally throttled by a RetryBudget shared with other callers.
// The options and their defaults are in retry_options.h; docs/retry.md compares them with
// resilience4j, Jedis and redis-py.
//
//   auto retry = failover::Retry::Create("redis-get", options, failover::SystemClock(),
//                                        failover::SystemRandom(), budget.get());
//   if (!retry.ok()) return retry.status();
//   absl::StatusOr<std::string> value = (*retry)->Run([&](const failover::AttemptContext& ctx) {
//     return connection.Get(key, /*timeout=*/std::min(ctx.remaining, absl::Seconds(1)));
//   });
//
// When it gives up on a retryable error, Run returns that last error with its code and payloads
// and a message saying why:
//   "retry 'redis-get' gave up after 3 attempts (attempts exhausted): connection refused"
// A non-retryable error is returned unchanged, without a prefix.
#ifndef FAILOVER_CORE_RETRY_RETRY_H_
#define FAILOVER_CORE_RETRY_RETRY_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/retry/retry_budget.h"
#include "core/retry/retry_options.h"

namespace failover {

// What an attempt may want to know. Passed to attempts that take a `const AttemptContext&`.
struct AttemptContext {
  int attempt = 1;  // 1 for the first call.
  MonotonicTime deadline = MonotonicTime::InfiniteFuture();
  // deadline - now when the attempt starts (InfiniteDuration without a deadline). An attempt that
  // does I/O should bound it by this; Retry cannot stop an attempt that overruns.
  absl::Duration remaining = absl::InfiniteDuration();
};

// What Retry decided after an attempt.
enum class RetryDecision {
  kSucceeded,          // The attempt returned OK.
  kWillRetry,          // Retryable: waiting RetryEvent::next_wait, then calling again.
  kNotRetryable,       // Returned to the caller unchanged.
  kAttemptsExhausted,  // That was attempt max_attempts.
  kDeadline,           // The next wait would reach the deadline.
  kBudgetExhausted,    // The RetryBudget refused the retry.
};

// "succeeded", "will retry", "not retryable", "attempts exhausted", "deadline", "budget exhausted".
absl::string_view RetryDecisionName(RetryDecision decision);

// Reported to the listener after every attempt.
struct RetryEvent {
  absl::string_view retry_name;
  int attempt = 1;
  absl::Status status;  // The attempt's outcome (OK for kSucceeded).
  RetryDecision decision = RetryDecision::kSucceeded;
  absl::Duration next_wait = absl::ZeroDuration();  // Set for kWillRetry only.
};

// Called synchronously on the thread running the call, before any wait; concurrently when Run is.
using RetryListener = std::function<void(const RetryEvent&)>;

// Counts since the Retry was created; the first four split calls as resilience4j's
// Retry.Metrics does, so every Run lands in exactly one of them.
struct RetryMetrics {
  int64_t succeeded_without_retry = 0;
  int64_t succeeded_after_retry = 0;
  int64_t failed_without_retry = 0;  // Includes non-retryable errors on the first attempt.
  int64_t failed_after_retry = 0;
  int64_t retries_refused_by_budget = 0;  // Calls that stopped because the budget said no.
  int64_t retries = 0;                    // Attempts after the first, over all calls.
};

namespace retry_internal {

// The attempt's return type, whether it takes an AttemptContext or nothing.
template <typename F>
using AttemptResult =
    std::decay_t<typename std::conditional_t<std::is_invocable_v<F&, const AttemptContext&>,
                                             std::invoke_result<F&, const AttemptContext&>,
                                             std::invoke_result<F&>>::type>;

template <typename T>
struct IsStatusOr : std::false_type {};
template <typename T>
struct IsStatusOr<absl::StatusOr<T>> : std::true_type {};

template <typename F>
auto InvokeAttempt(F& attempt, const AttemptContext& context) {
  if constexpr (std::is_invocable_v<F&, const AttemptContext&>) {
    return attempt(context);
  } else {
    return attempt();
  }
}

inline const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& result) {
  return result.status();
}

}  // namespace retry_internal

// Thread-safe: Run may be called from many threads at once. The options are immutable, the
// counters atomic; the Clock, RandomSource and RetryBudget are thread-safe by contract and must
// outlive the Retry. Not copyable (it owns counters); share it by reference or pointer.
class Retry {
 public:
  // INVALID_ARGUMENT if `name` is empty or `options` do not validate. `budget` may be null (no
  // throttling) and may be shared by many Retry objects. `listener` may be empty.
  static absl::StatusOr<std::unique_ptr<Retry>> Create(std::string name, RetryOptions options,
                                                       Clock& clock, RandomSource& random,
                                                       RetryBudget* budget = nullptr,
                                                       RetryListener listener = nullptr);

  Retry(const Retry&) = delete;
  Retry& operator=(const Retry&) = delete;

  // Calls `attempt` (invocable as `R()` or `R(const AttemptContext&)`, R = absl::Status or
  // absl::StatusOr<T>) until it succeeds or the options say stop; returns its last result. The
  // deadline is options().deadline from now.
  template <typename F>
  [[nodiscard]] auto Run(F&& attempt) {
    return RunUntil(MonotonicTime::InfiniteFuture(), std::forward<F>(attempt));
  }

  // As Run, with the deadline the earlier of `deadline` and options().deadline from now, e.g.
  // to honour the deadline of the request being served. If that has already passed, returns
  // DEADLINE_EXCEEDED without calling `attempt`.
  template <typename F>
  [[nodiscard]] auto RunUntil(MonotonicTime deadline, F&& attempt);

  const std::string& name() const { return name_; }
  const RetryOptions& options() const { return options_; }
  RetryMetrics metrics() const;

 private:
  struct Call {
    MonotonicTime deadline;
    int attempt = 1;
    absl::Duration refused_wait;  // For the message when the deadline stops the call.
    absl::Duration time_left;
  };

  Retry(std::string name, RetryOptions options, Clock& clock, RandomSource& random,
        RetryBudget* budget, RetryListener listener);

  // Sets the call's deadline. DEADLINE_EXCEEDED (counted as a failure without retry) if it has
  // already passed, so that no attempt starts after it.
  absl::Status StartCall(MonotonicTime deadline, Call& call);
  AttemptContext ContextFor(const Call& call) const;
  // Decides, counts, reports to the listener and, when retrying, waits and moves to the next
  // attempt.
  RetryDecision AfterAttempt(Call& call, const absl::Status& status);
  RetryDecision Decide(Call& call, const absl::Status& status, absl::Duration& wait);
  void Count(RetryDecision decision, int attempt);
  absl::Status GiveUpStatus(const Call& call, RetryDecision decision,
                            const absl::Status& last) const;

  const std::string name_;
  const RetryOptions options_;
  Clock& clock_;
  RandomSource& random_;
  RetryBudget* const budget_;
  const RetryListener listener_;

  std::atomic<int64_t> succeeded_without_retry_{0};
  std::atomic<int64_t> succeeded_after_retry_{0};
  std::atomic<int64_t> failed_without_retry_{0};
  std::atomic<int64_t> failed_after_retry_{0};
  std::atomic<int64_t> retries_refused_by_budget_{0};
  std::atomic<int64_t> retries_{0};
};

template <typename F>
auto Retry::RunUntil(MonotonicTime deadline, F&& attempt) {
  using Result = retry_internal::AttemptResult<F>;
  static_assert(std::is_same_v<Result, absl::Status> || retry_internal::IsStatusOr<Result>::value,
                "a retried attempt must return absl::Status or absl::StatusOr<T>");
  Call call;
  if (absl::Status expired = StartCall(deadline, call); !expired.ok()) return Result(expired);
  while (true) {
    Result result = retry_internal::InvokeAttempt(attempt, ContextFor(call));
    const absl::Status& status = retry_internal::StatusOf(result);
    const RetryDecision decision = AfterAttempt(call, status);
    if (decision == RetryDecision::kWillRetry) continue;
    if (decision == RetryDecision::kSucceeded || decision == RetryDecision::kNotRetryable) {
      return result;
    }
    return Result(GiveUpStatus(call, decision, status));
  }
}

}  // namespace failover

#endif  // FAILOVER_CORE_RETRY_RETRY_H_
