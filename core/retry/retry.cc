#include "core/retry/retry.h"

#include <algorithm>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "core/retry/backoff.h"

namespace failover {

absl::string_view RetryDecisionName(RetryDecision decision) {
  switch (decision) {
    case RetryDecision::kSucceeded:
      return "succeeded";
    case RetryDecision::kWillRetry:
      return "will retry";
    case RetryDecision::kNotRetryable:
      return "not retryable";
    case RetryDecision::kAttemptsExhausted:
      return "attempts exhausted";
    case RetryDecision::kDeadline:
      return "deadline";
    case RetryDecision::kBudgetExhausted:
      return "budget exhausted";
  }
  return "unknown";
}

absl::StatusOr<std::unique_ptr<Retry>> Retry::Create(std::string name, RetryOptions options,
                                                     Clock& clock, RandomSource& random,
                                                     RetryBudget* budget, RetryListener listener) {
  if (name.empty()) return absl::InvalidArgumentError("retry name must not be empty");
  if (absl::Status s = options.Validate(); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("retry '", name, "': ", s.message()));
  }
  return std::unique_ptr<Retry>(
      new Retry(std::move(name), std::move(options), clock, random, budget, std::move(listener)));
}

Retry::Retry(std::string name, RetryOptions options, Clock& clock, RandomSource& random,
             RetryBudget* budget, RetryListener listener)
    : name_(std::move(name)),
      options_(std::move(options)),
      clock_(clock),
      random_(random),
      budget_(budget),
      listener_(std::move(listener)) {}

RetryMetrics Retry::metrics() const {
  RetryMetrics m;
  m.succeeded_without_retry = succeeded_without_retry_.load(std::memory_order_relaxed);
  m.succeeded_after_retry = succeeded_after_retry_.load(std::memory_order_relaxed);
  m.failed_without_retry = failed_without_retry_.load(std::memory_order_relaxed);
  m.failed_after_retry = failed_after_retry_.load(std::memory_order_relaxed);
  m.retries_refused_by_budget = retries_refused_by_budget_.load(std::memory_order_relaxed);
  m.retries = retries_.load(std::memory_order_relaxed);
  return m;
}

absl::Status Retry::StartCall(MonotonicTime deadline, Call& call) {
  const MonotonicTime now = clock_.Now();
  call.deadline = std::min(deadline, now + options_.deadline);
  if (call.deadline > now) return absl::OkStatus();
  failed_without_retry_.fetch_add(1, std::memory_order_relaxed);
  return absl::DeadlineExceededError(
      absl::StrCat("retry '", name_, "' made no attempt: the deadline passed ",
                   absl::FormatDuration(now - call.deadline), " ago"));
}

AttemptContext Retry::ContextFor(const Call& call) const {
  AttemptContext context;
  context.attempt = call.attempt;
  context.deadline = call.deadline;
  context.remaining = call.deadline - clock_.Now();
  return context;
}

RetryDecision Retry::AfterAttempt(Call& call, const absl::Status& status) {
  absl::Duration wait = absl::ZeroDuration();
  const RetryDecision decision = Decide(call, status, wait);
  Count(decision, call.attempt);
  if (listener_) listener_(RetryEvent{name_, call.attempt, status, decision, wait});
  if (decision != RetryDecision::kWillRetry) return decision;
  clock_.SleepFor(wait);
  // The listener, or a sleep that overshot, may have used up the time left: never start an
  // attempt at or after the deadline.
  const absl::Duration time_left = call.deadline - clock_.Now();
  if (time_left <= absl::ZeroDuration()) {
    call.refused_wait = absl::ZeroDuration();  // Marks "reached while waiting" in the message.
    call.time_left = absl::ZeroDuration();
    retries_.fetch_sub(1, std::memory_order_relaxed);  // Counted as a retry a moment ago.
    Count(RetryDecision::kDeadline, call.attempt);
    if (listener_) {
      listener_(
          RetryEvent{name_, call.attempt, status, RetryDecision::kDeadline, absl::ZeroDuration()});
    }
    return RetryDecision::kDeadline;
  }
  ++call.attempt;
  return decision;
}

RetryDecision Retry::Decide(Call& call, const absl::Status& status, absl::Duration& wait) {
  if (status.ok()) {
    if (budget_ != nullptr) budget_->RecordSuccess();
    return RetryDecision::kSucceeded;
  }
  // Like gRPC, only retryable failures drain the budget: a NOT_FOUND says nothing about overload.
  if (!options_.IsRetryable(status)) return RetryDecision::kNotRetryable;
  if (budget_ != nullptr) budget_->RecordFailure();
  if (call.attempt >= options_.max_attempts) return RetryDecision::kAttemptsExhausted;

  const absl::Duration next_wait = BackoffWait(options_, call.attempt, random_);
  const absl::Duration time_left = call.deadline - clock_.Now();
  // A wait that reaches the deadline would leave the next attempt no time at all.
  if (next_wait >= time_left) {
    call.refused_wait = next_wait;
    call.time_left = std::max(time_left, absl::ZeroDuration());
    return RetryDecision::kDeadline;
  }
  if (budget_ != nullptr && !budget_->AllowsRetry()) return RetryDecision::kBudgetExhausted;
  wait = next_wait;
  return RetryDecision::kWillRetry;
}

void Retry::Count(RetryDecision decision, int attempt) {
  const bool first = attempt == 1;
  switch (decision) {
    case RetryDecision::kWillRetry:
      retries_.fetch_add(1, std::memory_order_relaxed);
      return;
    case RetryDecision::kSucceeded:
      (first ? succeeded_without_retry_ : succeeded_after_retry_)
          .fetch_add(1, std::memory_order_relaxed);
      return;
    case RetryDecision::kBudgetExhausted:
      retries_refused_by_budget_.fetch_add(1, std::memory_order_relaxed);
      break;
    case RetryDecision::kNotRetryable:
    case RetryDecision::kAttemptsExhausted:
    case RetryDecision::kDeadline:
      break;
  }
  (first ? failed_without_retry_ : failed_after_retry_).fetch_add(1, std::memory_order_relaxed);
}

absl::Status Retry::GiveUpStatus(const Call& call, RetryDecision decision,
                                 const absl::Status& last) const {
  std::string reason(RetryDecisionName(decision));
  if (decision == RetryDecision::kDeadline && call.refused_wait > absl::ZeroDuration()) {
    absl::StrAppend(&reason, ": ", absl::FormatDuration(call.time_left), " left, next wait ",
                    absl::FormatDuration(call.refused_wait));
  } else if (decision == RetryDecision::kDeadline) {
    absl::StrAppend(&reason, ": reached while waiting to retry");
  }
  absl::Status status(last.code(), absl::StrCat("retry '", name_, "' gave up after ", call.attempt,
                                                call.attempt == 1 ? " attempt (" : " attempts (",
                                                reason, "): ", last.message()));
  last.ForEachPayload([&status](absl::string_view type_url, const absl::Cord& payload) {
    status.SetPayload(type_url, payload);
  });
  return status;
}

}  // namespace failover
