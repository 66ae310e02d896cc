#include "core/metrics/meters.h"

#include <limits>
#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(CounterTest, StartsAtZeroAndAdds) {
  Counter counter;
  EXPECT_EQ(counter.Value(), 0u);
  counter.Increment();
  counter.Increment(41);
  EXPECT_EQ(counter.Value(), 42u);
}

TEST(GaugeTest, SetAndAdd) {
  Gauge gauge;
  EXPECT_EQ(gauge.Value(), 0.0);
  gauge.Set(2.5);
  gauge.Add(-1.0);
  EXPECT_DOUBLE_EQ(gauge.Value(), 1.5);
  gauge.Set(-7);
  EXPECT_EQ(gauge.Value(), -7.0);
}

TEST(HistogramTest, EmptyHistogramReadsZeros) {
  const Histogram histogram(*BucketLayout::Create({1.0, 2.0}));
  const HistogramValue value = histogram.Read();
  EXPECT_EQ(value.count, 0u);
  EXPECT_EQ(value.sum, 0.0);
  EXPECT_EQ(value.max, 0.0);
  EXPECT_EQ(value.upper_bounds, (std::vector<double>{1.0, 2.0}));
  EXPECT_EQ(value.bucket_counts, (std::vector<uint64_t>{0, 0, 0}));
}

TEST(HistogramTest, CountsPerBucketWithBoundsInclusive) {
  Histogram histogram(*BucketLayout::Create({1.0, 2.0}));
  for (double v : {0.5, 1.0, 1.5, 2.0, 2.0001, 100.0}) histogram.Record(v);
  const HistogramValue value = histogram.Read();
  EXPECT_EQ(value.bucket_counts, (std::vector<uint64_t>{2, 2, 2}));
  EXPECT_EQ(value.count, 6u);
  EXPECT_DOUBLE_EQ(value.sum, 0.5 + 1.0 + 1.5 + 2.0 + 2.0001 + 100.0);
  EXPECT_EQ(value.max, 100.0);
}

TEST(HistogramTest, IgnoresNonFiniteValues) {
  Histogram histogram(*BucketLayout::Create({1.0}));
  histogram.Record(std::numeric_limits<double>::quiet_NaN());
  histogram.Record(std::numeric_limits<double>::infinity());
  histogram.Record(-std::numeric_limits<double>::infinity());
  EXPECT_EQ(histogram.Read().count, 0u);
}

TEST(HistogramTest, MaxOfNegativeValues) {
  Histogram histogram(*BucketLayout::Create({0.0}));
  histogram.Record(-3.0);
  histogram.Record(-1.0);
  EXPECT_EQ(histogram.Read().max, -1.0);
  EXPECT_EQ(histogram.Read().bucket_counts, (std::vector<uint64_t>{2, 0}));
}

TEST(TimerTest, RecordsSeconds) {
  Timer timer(BucketLayout::DefaultSeconds());
  timer.Record(absl::Milliseconds(1));  // exactly the first bound
  timer.Record(absl::Milliseconds(3));  // (0.002, 0.004]
  timer.Record(absl::Seconds(60));      // overflow
  const HistogramValue value = timer.Read();
  EXPECT_EQ(value.count, 3u);
  EXPECT_EQ(value.bucket_counts[0], 1u);
  EXPECT_EQ(value.bucket_counts[2], 1u);
  EXPECT_EQ(value.bucket_counts.back(), 1u);
  EXPECT_DOUBLE_EQ(value.sum, 60.004);
  EXPECT_DOUBLE_EQ(value.max, 60.0);
}

TEST(TimerTest, NegativeCountsAsZeroAndInfiniteIsIgnored) {
  Timer timer(BucketLayout::DefaultSeconds());
  timer.Record(absl::Milliseconds(-5));
  timer.Record(absl::InfiniteDuration());
  timer.Record(-absl::InfiniteDuration());
  const HistogramValue value = timer.Read();
  EXPECT_EQ(value.count, 1u);
  EXPECT_EQ(value.bucket_counts[0], 1u);
  EXPECT_EQ(value.sum, 0.0);
  EXPECT_EQ(value.max, 0.0);
}

}  // namespace
}  // namespace failover
