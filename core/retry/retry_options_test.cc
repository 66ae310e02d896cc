#include "core/retry/retry_options.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace failover {
namespace {

void ExpectInvalid(const RetryOptions& options, absl::string_view message) {
  const absl::Status status = options.Validate();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), message);
}

TEST(RetryOptionsTest, DefaultsAreValidAndMatchTheDocs) {
  const RetryOptions options;
  EXPECT_TRUE(options.Validate().ok());
  EXPECT_EQ(options.max_attempts, 3);
  EXPECT_EQ(options.wait, absl::Milliseconds(500));
  EXPECT_EQ(options.backoff_multiplier, 1.0);
  EXPECT_EQ(options.max_wait, absl::Seconds(30));
  EXPECT_EQ(options.jitter, 0.0);
  EXPECT_EQ(options.deadline, absl::InfiniteDuration());
  EXPECT_EQ(options.retry_on_codes,
            (std::vector<absl::StatusCode>{absl::StatusCode::kUnavailable,
                                           absl::StatusCode::kDeadlineExceeded}));
  EXPECT_TRUE(options.ignore_codes.empty());
}

TEST(RetryOptionsTest, ValidateNamesTheBadField) {
  RetryOptions o;
  o.max_attempts = 0;
  ExpectInvalid(o, "max_attempts must be >= 1, got 0");

  o = RetryOptions();
  o.wait = absl::Milliseconds(-1);
  ExpectInvalid(o, "wait must be finite and >= 0, got -1ms");

  o = RetryOptions();
  o.backoff_multiplier = 0.5;
  ExpectInvalid(o, "backoff_multiplier must be finite and >= 1, got 0.5");
  o.backoff_multiplier = std::nan("");
  ExpectInvalid(o, "backoff_multiplier must be finite and >= 1, got nan");
  o.backoff_multiplier = std::numeric_limits<double>::infinity();
  ExpectInvalid(o, "backoff_multiplier must be finite and >= 1, got inf");

  o = RetryOptions();
  o.max_wait = absl::Milliseconds(100);
  ExpectInvalid(o, "max_wait must be finite and >= wait (500ms), got 100ms");
  o.max_wait = absl::InfiniteDuration();
  ExpectInvalid(o, "max_wait must be finite and >= wait (500ms), got inf");

  o = RetryOptions();
  o.jitter = 1.5;
  ExpectInvalid(o, "jitter must be in [0, 1], got 1.5");
  o.jitter = std::nan("");
  ExpectInvalid(o, "jitter must be in [0, 1], got nan");

  o = RetryOptions();
  o.deadline = absl::ZeroDuration();
  ExpectInvalid(o, "deadline must be > 0 (infinite for none), got 0");

  o = RetryOptions();
  o.retry_on_codes.push_back(absl::StatusCode::kOk);
  ExpectInvalid(o, "retry_on_codes must not contain OK");

  o = RetryOptions();
  o.ignore_codes.push_back(absl::StatusCode::kOk);
  ExpectInvalid(o, "ignore_codes must not contain OK");
}

TEST(RetryOptionsTest, EdgeValuesAreValid) {
  RetryOptions o;
  o.max_attempts = 1;
  o.wait = absl::ZeroDuration();
  o.max_wait = absl::ZeroDuration();
  o.jitter = 1.0;
  o.deadline = absl::Nanoseconds(1);
  EXPECT_TRUE(o.Validate().ok());
}

TEST(RetryOptionsTest, DefaultClassification) {
  const RetryOptions o;
  EXPECT_TRUE(o.IsRetryable(absl::UnavailableError("connection refused")));
  EXPECT_TRUE(o.IsRetryable(absl::DeadlineExceededError("read timed out")));
  EXPECT_FALSE(o.IsRetryable(absl::ResourceExhaustedError("quota")));
  EXPECT_FALSE(o.IsRetryable(absl::AbortedError("conflict")));
  EXPECT_FALSE(o.IsRetryable(absl::NotFoundError("no such key")));
  EXPECT_FALSE(o.IsRetryable(absl::InternalError("bug")));
  EXPECT_FALSE(o.IsRetryable(absl::OkStatus()));
}

TEST(RetryOptionsTest, IgnoredCodeWinsOverRetriedCode) {
  RetryOptions o;
  o.ignore_codes = {absl::StatusCode::kDeadlineExceeded};
  EXPECT_FALSE(o.IsRetryable(absl::DeadlineExceededError("write timed out")));
  EXPECT_TRUE(o.IsRetryable(absl::UnavailableError("connection refused")));
}

TEST(RetryOptionsTest, PredicatesAddRetriesAndIgnoreWins) {
  RetryOptions o;
  o.retry_if = [](const absl::Status& s) { return s.message() == "LOADING"; };
  EXPECT_TRUE(o.IsRetryable(absl::FailedPreconditionError("LOADING")));
  EXPECT_FALSE(o.IsRetryable(absl::FailedPreconditionError("WRONGTYPE")));
  EXPECT_TRUE(o.IsRetryable(absl::UnavailableError("reset")));  // Codes still apply.

  o.ignore_if = [](const absl::Status& s) { return s.message() == "reset"; };
  EXPECT_FALSE(o.IsRetryable(absl::UnavailableError("reset")));
  o.ignore_codes = {absl::StatusCode::kFailedPrecondition};
  EXPECT_FALSE(o.IsRetryable(absl::FailedPreconditionError("LOADING")));
}

TEST(RetryOptionsTest, ClearedCodesRetryByPredicateOnly) {
  RetryOptions o;
  o.retry_on_codes.clear();
  EXPECT_FALSE(o.IsRetryable(absl::UnavailableError("connection refused")));
  o.retry_if = [](const absl::Status& s) { return s.code() == absl::StatusCode::kAborted; };
  EXPECT_TRUE(o.IsRetryable(absl::AbortedError("conflict")));
  EXPECT_FALSE(o.IsRetryable(absl::UnavailableError("connection refused")));
}

}  // namespace
}  // namespace failover
