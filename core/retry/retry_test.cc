#include "core/retry/retry.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/simulated_clock.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

using Durations = std::vector<absl::Duration>;

absl::Duration Ms(int64_t ms) { return absl::Milliseconds(ms); }

// Returns the scripted statuses in order, then OK; records when each attempt started and what
// context it got. Each attempt takes `takes` of simulated time.
class ScriptedAttempt {
 public:
  ScriptedAttempt(SimulatedClock& clock, std::vector<absl::Status> script,
                  absl::Duration takes = absl::ZeroDuration())
      : clock_(clock), script_(std::move(script)), takes_(takes) {}

  absl::Status operator()(const AttemptContext& context) {
    starts_.push_back(clock_.Now());
    contexts_.push_back(context);
    clock_.Advance(takes_);
    const size_t i = contexts_.size() - 1;
    return i < script_.size() ? script_[i] : absl::OkStatus();
  }

  int attempts() const { return static_cast<int>(contexts_.size()); }
  const std::vector<AttemptContext>& contexts() const { return contexts_; }
  // Time between the starts of consecutive attempts.
  Durations Gaps() const {
    Durations gaps;
    for (size_t i = 1; i < starts_.size(); ++i) gaps.push_back(starts_[i] - starts_[i - 1]);
    return gaps;
  }

 private:
  SimulatedClock& clock_;
  const std::vector<absl::Status> script_;
  const absl::Duration takes_;
  std::vector<MonotonicTime> starts_;
  std::vector<AttemptContext> contexts_;
};

std::vector<absl::Status> Failures(int n, absl::Status status = absl::UnavailableError("down")) {
  return std::vector<absl::Status>(n, status);
}

class RetryTest : public ::testing::Test {
 protected:
  std::unique_ptr<Retry> Make(RetryOptions options, RetryListener listener = nullptr) {
    absl::StatusOr<std::unique_ptr<Retry>> retry = Retry::Create(
        "redis-get", std::move(options), clock_, random_, nullptr, std::move(listener));
    EXPECT_TRUE(retry.ok()) << retry.status();
    return *std::move(retry);
  }

  SimulatedClock clock_;
  SeededRandom random_{1};
};

TEST_F(RetryTest, SucceedsFirstTryWithoutWaiting) {
  std::unique_ptr<Retry> retry = Make(RetryOptions());
  ScriptedAttempt attempt(clock_, {});
  const MonotonicTime start = clock_.Now();
  EXPECT_TRUE(retry->Run(attempt).ok());
  EXPECT_EQ(attempt.attempts(), 1);
  EXPECT_EQ(clock_.Now(), start);
  EXPECT_EQ(retry->metrics().succeeded_without_retry, 1);
  EXPECT_EQ(retry->metrics().retries, 0);
}

TEST_F(RetryTest, SucceedsAfterFailuresWithFixedWaits) {
  std::unique_ptr<Retry> retry = Make(RetryOptions());
  ScriptedAttempt attempt(clock_, Failures(2));
  EXPECT_TRUE(retry->Run(attempt).ok());
  EXPECT_EQ(attempt.Gaps(), (Durations{Ms(500), Ms(500)}));
  EXPECT_EQ(retry->metrics().succeeded_after_retry, 1);
  EXPECT_EQ(retry->metrics().retries, 2);
}

TEST_F(RetryTest, ExponentialWaitsThenGivesUpWithTheReason) {
  RetryOptions options;
  options.max_attempts = 4;
  options.wait = Ms(100);
  options.backoff_multiplier = 2.0;
  std::unique_ptr<Retry> retry = Make(options);
  ScriptedAttempt attempt(clock_, Failures(4, absl::UnavailableError("connection refused")));
  const absl::Status status = retry->Run(attempt);
  EXPECT_EQ(attempt.Gaps(), (Durations{Ms(100), Ms(200), Ms(400)}));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(),
            "retry 'redis-get' gave up after 4 attempts (attempts exhausted): connection refused");
  EXPECT_EQ(retry->metrics().failed_after_retry, 1);
}

TEST_F(RetryTest, WaitsAreCappedAtMaxWait) {
  RetryOptions options;
  options.max_attempts = 5;
  options.wait = Ms(100);
  options.backoff_multiplier = 3.0;
  options.max_wait = Ms(500);
  std::unique_ptr<Retry> retry = Make(options);
  ScriptedAttempt attempt(clock_, Failures(4));
  EXPECT_TRUE(retry->Run(attempt).ok());
  EXPECT_EQ(attempt.Gaps(), (Durations{Ms(100), Ms(300), Ms(500), Ms(500)}));
}

TEST_F(RetryTest, JitteredWaitsAreBoundedAndRepeatableWithASeed) {
  RetryOptions options;
  options.max_attempts = 6;
  options.jitter = 0.2;
  Durations first_run;
  for (int run = 0; run < 2; ++run) {
    SeededRandom random(99);
    absl::StatusOr<std::unique_ptr<Retry>> retry =
        Retry::Create("jittered", options, clock_, random);
    ASSERT_TRUE(retry.ok());
    ScriptedAttempt attempt(clock_, Failures(5));
    EXPECT_TRUE((*retry)->Run(attempt).ok());
    for (absl::Duration gap : attempt.Gaps()) {
      EXPECT_GE(gap, Ms(400));
      EXPECT_LE(gap, Ms(600));
    }
    if (run == 0) {
      first_run = attempt.Gaps();
    } else {
      EXPECT_EQ(attempt.Gaps(), first_run);
    }
  }
  EXPECT_NE(first_run, Durations(5, Ms(500)));
}

TEST_F(RetryTest, OneAttemptMeansNoRetry) {
  RetryOptions options;
  options.max_attempts = 1;
  std::unique_ptr<Retry> retry = Make(options);
  ScriptedAttempt attempt(clock_, Failures(1, absl::UnavailableError("reset")));
  EXPECT_EQ(retry->Run(attempt).message(),
            "retry 'redis-get' gave up after 1 attempt (attempts exhausted): reset");
  EXPECT_EQ(attempt.attempts(), 1);
  EXPECT_EQ(retry->metrics().failed_without_retry, 1);
}

TEST_F(RetryTest, NonRetryableErrorIsReturnedUnchanged) {
  std::unique_ptr<Retry> retry = Make(RetryOptions());
  absl::Status not_found = absl::NotFoundError("no such key");
  not_found.SetPayload("type.example/detail", absl::Cord("key=a"));
  ScriptedAttempt first(clock_, {not_found});
  EXPECT_EQ(retry->Run(first), not_found);
  EXPECT_EQ(first.attempts(), 1);

  ScriptedAttempt later(clock_, {absl::UnavailableError("down"), not_found});
  EXPECT_EQ(retry->Run(later), not_found);
  EXPECT_EQ(later.attempts(), 2);
  EXPECT_EQ(retry->metrics().failed_without_retry, 1);
  EXPECT_EQ(retry->metrics().failed_after_retry, 1);
}

TEST_F(RetryTest, GivingUpKeepsTheCodeAndPayloads) {
  RetryOptions options;
  options.max_attempts = 2;
  std::unique_ptr<Retry> retry = Make(options);
  absl::Status timeout = absl::DeadlineExceededError("read timed out");
  timeout.SetPayload("type.example/endpoint", absl::Cord("redis-a:6379"));
  ScriptedAttempt attempt(clock_, Failures(2, timeout));
  const absl::Status status = retry->Run(attempt);
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(status.GetPayload("type.example/endpoint"), absl::Cord("redis-a:6379"));
}

TEST_F(RetryTest, IgnoredCodesAndPredicatesAreNotRetried) {
  RetryOptions options;
  options.ignore_codes = {absl::StatusCode::kDeadlineExceeded};
  options.retry_if = [](const absl::Status& s) { return absl::StartsWith(s.message(), "LOADING"); };
  options.ignore_if = [](const absl::Status& s) { return s.message() == "LOADING forever"; };
  std::unique_ptr<Retry> retry = Make(options);

  ScriptedAttempt timeout(clock_, Failures(1, absl::DeadlineExceededError("write timed out")));
  EXPECT_EQ(retry->Run(timeout), absl::DeadlineExceededError("write timed out"));
  EXPECT_EQ(timeout.attempts(), 1);

  ScriptedAttempt loading(clock_, Failures(2, absl::FailedPreconditionError("LOADING data")));
  EXPECT_TRUE(retry->Run(loading).ok());
  EXPECT_EQ(loading.attempts(), 3);

  ScriptedAttempt forever(clock_, Failures(1, absl::FailedPreconditionError("LOADING forever")));
  EXPECT_EQ(retry->Run(forever).message(), "LOADING forever");
  EXPECT_EQ(forever.attempts(), 1);
}

TEST_F(RetryTest, DeadlineStopsBeforeAWaitThatWouldReachIt) {
  RetryOptions options;
  options.max_attempts = 10;
  options.deadline = Ms(1200);
  std::unique_ptr<Retry> retry = Make(options);
  // Attempts take 100 ms: 0-100, wait to 600, 600-700; a wait to 1200 would leave no time.
  ScriptedAttempt attempt(clock_, Failures(10, absl::UnavailableError("down")), Ms(100));
  const MonotonicTime start = clock_.Now();
  const absl::Status status = retry->Run(attempt);
  EXPECT_EQ(attempt.attempts(), 2);
  EXPECT_EQ(clock_.Now() - start, Ms(700));
  EXPECT_EQ(status.message(),
            "retry 'redis-get' gave up after 2 attempts (deadline: 500ms left, next wait 500ms): "
            "down");
  EXPECT_EQ(attempt.contexts()[0].remaining, Ms(1200));
  EXPECT_EQ(attempt.contexts()[1].remaining, Ms(600));
  EXPECT_EQ(attempt.contexts()[1].deadline, start + Ms(1200));
  EXPECT_EQ(attempt.contexts()[1].attempt, 2);
}

TEST_F(RetryTest, AttemptThatOverrunsTheDeadlineIsNotRetried) {
  RetryOptions options;
  options.deadline = absl::Seconds(1);
  std::unique_ptr<Retry> retry = Make(options);
  ScriptedAttempt attempt(clock_, Failures(3, absl::DeadlineExceededError("slow")),
                          absl::Seconds(2));
  EXPECT_EQ(retry->Run(attempt).message(),
            "retry 'redis-get' gave up after 1 attempt (deadline: 0 left, next wait 500ms): slow");
  EXPECT_EQ(retry->metrics().failed_without_retry, 1);
}

// The listener (or a sleep that overshoots) may eat the time left after the decision to retry:
// no attempt may then start at or after the deadline.
TEST_F(RetryTest, NoAttemptStartsAfterTheDeadlineEvenIfTheWaitOvershot) {
  RetryOptions options;
  options.deadline = Ms(1200);
  std::vector<RetryDecision> decisions;
  std::unique_ptr<Retry> retry = Make(options, [&](const RetryEvent& e) {
    decisions.push_back(e.decision);
    if (e.decision == RetryDecision::kWillRetry) clock_.Advance(absl::Seconds(1));  // Slow.
  });
  ScriptedAttempt attempt(clock_, Failures(3));
  const absl::Status status = retry->Run(attempt);
  EXPECT_EQ(attempt.attempts(), 1);
  EXPECT_EQ(status.message(),
            "retry 'redis-get' gave up after 1 attempt (deadline: reached while waiting to retry): "
            "down");
  EXPECT_EQ(decisions,
            (std::vector<RetryDecision>{RetryDecision::kWillRetry, RetryDecision::kDeadline}));
  EXPECT_EQ(retry->metrics().retries, 0);
  EXPECT_EQ(retry->metrics().failed_without_retry, 1);
}

TEST_F(RetryTest, RunUntilUsesTheEarlierDeadline) {
  std::unique_ptr<Retry> retry = Make(RetryOptions());  // No deadline of its own.
  ScriptedAttempt attempt(clock_, Failures(3));
  const MonotonicTime deadline = clock_.Now() + Ms(800);
  EXPECT_EQ(retry->RunUntil(deadline, attempt).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(attempt.attempts(), 2);
  EXPECT_EQ(attempt.contexts()[0].remaining, Ms(800));
}

TEST_F(RetryTest, RunUntilAPassedDeadlineMakesNoAttempt) {
  std::unique_ptr<Retry> retry = Make(RetryOptions());
  ScriptedAttempt attempt(clock_, {});
  const absl::Status status = retry->RunUntil(clock_.Now() - Ms(5), attempt);
  EXPECT_EQ(status, absl::DeadlineExceededError(
                        "retry 'redis-get' made no attempt: the deadline passed 5ms ago"));
  EXPECT_EQ(attempt.attempts(), 0);
  EXPECT_EQ(retry->metrics().failed_without_retry, 1);
}

TEST_F(RetryTest, StatusOrValuesPassThrough) {
  std::unique_ptr<Retry> retry = Make(RetryOptions());
  int calls = 0;
  absl::StatusOr<std::string> value = retry->Run([&]() -> absl::StatusOr<std::string> {
    if (++calls == 1) return absl::UnavailableError("down");
    return std::string("bar");
  });
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, "bar");

  absl::StatusOr<std::unique_ptr<int>> owned =
      retry->Run([](const AttemptContext& context) -> absl::StatusOr<std::unique_ptr<int>> {
        if (context.attempt < 3) return absl::UnavailableError("down");
        return std::make_unique<int>(context.attempt);
      });
  ASSERT_TRUE(owned.ok());
  EXPECT_EQ(**owned, 3);

  absl::StatusOr<int> failed =
      retry->Run([]() -> absl::StatusOr<int> { return absl::UnavailableError("down"); });
  EXPECT_EQ(failed.status().message(),
            "retry 'redis-get' gave up after 3 attempts (attempts exhausted): down");
}

TEST_F(RetryTest, ListenerSeesEveryAttempt) {
  std::vector<std::string> log;
  std::unique_ptr<Retry> retry = Make(RetryOptions(), [&log](const RetryEvent& e) {
    log.push_back(absl::StrCat(e.retry_name, " #", e.attempt, " ", e.status.message(), " -> ",
                               RetryDecisionName(e.decision), " ",
                               absl::FormatDuration(e.next_wait)));
  });
  ScriptedAttempt attempt(clock_, Failures(1, absl::UnavailableError("down")));
  EXPECT_TRUE(retry->Run(attempt).ok());
  ScriptedAttempt failing(clock_, Failures(3, absl::UnavailableError("gone")));
  EXPECT_FALSE(retry->Run(failing).ok());
  EXPECT_EQ(log, (std::vector<std::string>{
                     "redis-get #1 down -> will retry 500ms",
                     "redis-get #2  -> succeeded 0",
                     "redis-get #1 gone -> will retry 500ms",
                     "redis-get #2 gone -> will retry 500ms",
                     "redis-get #3 gone -> attempts exhausted 0",
                 }));
}

TEST_F(RetryTest, CountersSplitCallsLikeResilience4j) {
  std::unique_ptr<Retry> retry = Make(RetryOptions());
  for (int i = 0; i < 3; ++i) {
    ScriptedAttempt ok(clock_, {});
    EXPECT_TRUE(retry->Run(ok).ok());
  }
  ScriptedAttempt after_retry(clock_, Failures(1));
  EXPECT_TRUE(retry->Run(after_retry).ok());
  ScriptedAttempt not_found(clock_, {absl::NotFoundError("x")});
  EXPECT_FALSE(retry->Run(not_found).ok());
  ScriptedAttempt exhausted(clock_, Failures(3));
  EXPECT_FALSE(retry->Run(exhausted).ok());

  const RetryMetrics m = retry->metrics();
  EXPECT_EQ(m.succeeded_without_retry, 3);
  EXPECT_EQ(m.succeeded_after_retry, 1);
  EXPECT_EQ(m.failed_without_retry, 1);
  EXPECT_EQ(m.failed_after_retry, 1);
  EXPECT_EQ(m.retries_refused_by_budget, 0);
  EXPECT_EQ(m.retries, 3);
}

TEST_F(RetryTest, CreateRejectsBadOptionsNamingTheRetry) {
  RetryOptions options;
  options.max_attempts = 0;
  EXPECT_EQ(Retry::Create("redis-get", options, clock_, random_).status(),
            absl::InvalidArgumentError("retry 'redis-get': max_attempts must be >= 1, got 0"));
  EXPECT_EQ(Retry::Create("", RetryOptions(), clock_, random_).status(),
            absl::InvalidArgumentError("retry name must not be empty"));
}

}  // namespace
}  // namespace failover
