#include "core/retry/backoff.h"

#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace {

// Returns a fixed value and counts draws.
class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(double value) : value_(value) {}
  double Uniform01() override {
    ++draws_;
    return value_;
  }
  int draws() const { return draws_; }

 private:
  const double value_;
  int draws_ = 0;
};

std::vector<absl::Duration> Waits(const RetryOptions& options, int count, RandomSource& random) {
  std::vector<absl::Duration> waits;
  for (int retry = 1; retry <= count; ++retry) waits.push_back(BackoffWait(options, retry, random));
  return waits;
}

TEST(BackoffWaitTest, FixedWaitByDefaultWithoutDrawingRandomness) {
  FixedRandom random(0.9);
  const RetryOptions options;
  EXPECT_EQ(Waits(options, 4, random), std::vector<absl::Duration>(4, absl::Milliseconds(500)));
  EXPECT_EQ(random.draws(), 0);
}

TEST(BackoffWaitTest, ExponentialThenCapped) {
  FixedRandom random(0.5);
  RetryOptions options;
  options.wait = absl::Milliseconds(100);
  options.backoff_multiplier = 2.0;
  options.max_wait = absl::Milliseconds(700);
  EXPECT_EQ(Waits(options, 5, random),
            (std::vector<absl::Duration>{absl::Milliseconds(100), absl::Milliseconds(200),
                                         absl::Milliseconds(400), absl::Milliseconds(700),
                                         absl::Milliseconds(700)}));
}

TEST(BackoffWaitTest, HugeGrowthSaturatesAtTheCap) {
  FixedRandom random(0.5);
  RetryOptions options;
  options.backoff_multiplier = 10.0;
  EXPECT_EQ(BackoffWait(options, 1000, random), options.max_wait);
  options.wait = absl::ZeroDuration();
  EXPECT_EQ(BackoffWait(options, 1000, random), absl::ZeroDuration());
}

TEST(BackoffWaitTest, JitterSpansBothSidesOfTheWait) {
  RetryOptions options;
  options.wait = absl::Seconds(1);
  options.jitter = 0.5;
  FixedRandom low(0.0);
  EXPECT_EQ(BackoffWait(options, 1, low), absl::Milliseconds(500));
  FixedRandom middle(0.5);
  EXPECT_EQ(BackoffWait(options, 1, middle), absl::Seconds(1));
  FixedRandom high(0.75);
  EXPECT_EQ(BackoffWait(options, 1, high), absl::Milliseconds(1250));
  EXPECT_EQ(high.draws(), 1);
}

TEST(BackoffWaitTest, JitteredWaitsStayInBoundsAndUseTheRange) {
  SeededRandom random(7);
  RetryOptions options;
  options.wait = absl::Seconds(1);
  options.jitter = 0.2;
  absl::Duration lowest = absl::InfiniteDuration();
  absl::Duration highest = absl::ZeroDuration();
  for (int i = 0; i < 2000; ++i) {
    const absl::Duration wait = BackoffWait(options, 1, random);
    ASSERT_GE(wait, absl::Milliseconds(800));
    ASSERT_LE(wait, absl::Milliseconds(1200));
    lowest = std::min(lowest, wait);
    highest = std::max(highest, wait);
  }
  EXPECT_LT(lowest, absl::Milliseconds(820));
  EXPECT_GT(highest, absl::Milliseconds(1180));
}

TEST(BackoffWaitTest, JitterNeverExceedsTheCap) {
  FixedRandom random(0.999);
  RetryOptions options;
  options.wait = absl::Seconds(1);
  options.max_wait = absl::Seconds(1);
  options.jitter = 1.0;
  EXPECT_EQ(BackoffWait(options, 3, random), absl::Seconds(1));
}

TEST(BackoffWaitTest, SameSeedSameWaits) {
  RetryOptions options;
  options.backoff_multiplier = 2.0;
  options.jitter = 0.5;
  SeededRandom a(42);
  SeededRandom b(42);
  SeededRandom c(43);
  const std::vector<absl::Duration> from_a = Waits(options, 6, a);
  EXPECT_EQ(from_a, Waits(options, 6, b));
  EXPECT_NE(from_a, Waits(options, 6, c));
}

// A finite cap beyond what int64 nanoseconds hold (~292 years) must not wrap negative.
TEST(BackoffWaitTest, HugeFiniteCapSaturatesInsteadOfWrapping) {
  RetryOptions options;
  options.wait = absl::Milliseconds(1);
  options.backoff_multiplier = 1e6;
  options.max_wait = absl::Hours(24 * 365 * 300);
  SeededRandom random(1);
  absl::Duration previous = absl::ZeroDuration();
  for (int retry = 1; retry <= 8; ++retry) {
    const absl::Duration wait = BackoffWait(options, retry, random);
    EXPECT_GE(wait, previous) << retry;
    EXPECT_LE(wait, options.max_wait) << retry;
    previous = wait;
  }
  EXPECT_EQ(previous, options.max_wait);
}

}  // namespace
}  // namespace failover
