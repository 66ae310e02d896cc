#include "core/metrics/otlp/internal/otlp_retry_wait.h"

#include "gtest/gtest.h"

namespace failover {
namespace otlp_internal {
namespace {

OtlpRetryConfig Retry(absl::Duration initial, absl::Duration max) {
  OtlpRetryConfig retry;
  retry.initial_backoff = initial;
  retry.max_backoff = max;
  return retry;
}

TEST(OtlpRetryWaitTest, DoublesPerFailureWithEqualJitterUpToTheCap) {
  const OtlpRetryConfig retry = Retry(absl::Seconds(1), absl::Seconds(8));
  // u = 0: half the back-off; u -> 1: the whole back-off.
  EXPECT_EQ(OtlpRetryWait(retry, 0, std::nullopt, 0.0), absl::Milliseconds(500));
  EXPECT_EQ(OtlpRetryWait(retry, 0, std::nullopt, 0.5), absl::Milliseconds(750));
  EXPECT_EQ(OtlpRetryWait(retry, 1, std::nullopt, 0.5), absl::Milliseconds(1500));
  EXPECT_EQ(OtlpRetryWait(retry, 2, std::nullopt, 0.5), absl::Seconds(3));
  EXPECT_EQ(OtlpRetryWait(retry, 3, std::nullopt, 0.5), absl::Seconds(6));
  EXPECT_EQ(OtlpRetryWait(retry, 4, std::nullopt, 0.5), absl::Seconds(6));  // b capped at 8 s
  EXPECT_EQ(OtlpRetryWait(retry, 1000000, std::nullopt, 0.5), absl::Seconds(6));
  EXPECT_EQ(OtlpRetryWait(retry, 3, std::nullopt, 0.999), absl::Microseconds(7996000));
}

TEST(OtlpRetryWaitTest, RetryAfterRaisesTheWaitButNotPastTheCap) {
  const OtlpRetryConfig retry = Retry(absl::Seconds(1), absl::Seconds(30));
  EXPECT_EQ(OtlpRetryWait(retry, 0, absl::Seconds(7), 0.5), absl::Seconds(7));
  EXPECT_EQ(OtlpRetryWait(retry, 0, absl::Seconds(120), 0.5), absl::Seconds(30));
  // A Retry-After shorter than the back-off does not shorten it (no hot loop on "0").
  EXPECT_EQ(OtlpRetryWait(retry, 0, absl::ZeroDuration(), 0.5), absl::Milliseconds(750));
}

TEST(OtlpRetryWaitTest, InitialAboveTheCapIsCapped) {
  EXPECT_EQ(OtlpRetryWait(Retry(absl::Seconds(10), absl::Seconds(4)), 0, std::nullopt, 0.0),
            absl::Seconds(2));
  EXPECT_EQ(OtlpRetryWait(Retry(absl::Seconds(10), absl::Seconds(4)), 0, std::nullopt, 1.0),
            absl::Seconds(4));
}

}  // namespace
}  // namespace otlp_internal
}  // namespace failover
