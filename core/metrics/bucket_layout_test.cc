#include "core/metrics/bucket_layout.h"

#include <cmath>
#include <limits>
#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(BucketLayoutTest, ValueFallsIntoFirstBucketWhoseBoundIsAtLeastIt) {
  const BucketLayout layout = *BucketLayout::Create({0.1, 1.0, 10.0});
  ASSERT_EQ(layout.bucket_count(), 4u);
  EXPECT_EQ(layout.BucketIndex(-5.0), 0u);
  EXPECT_EQ(layout.BucketIndex(0.0), 0u);
  EXPECT_EQ(layout.BucketIndex(0.1), 0u);  // a bound belongs to its own bucket (`le`)
  EXPECT_EQ(layout.BucketIndex(std::nextafter(0.1, 1.0)), 1u);
  EXPECT_EQ(layout.BucketIndex(1.0), 1u);
  EXPECT_EQ(layout.BucketIndex(10.0), 2u);
  EXPECT_EQ(layout.BucketIndex(10.5), 3u);  // overflow
}

TEST(BucketLayoutTest, EmptyLayoutHasOnlyOverflowBucket) {
  const BucketLayout layout = *BucketLayout::Create({});
  EXPECT_EQ(layout.bucket_count(), 1u);
  EXPECT_EQ(layout.BucketIndex(123.0), 0u);
}

TEST(BucketLayoutTest, RejectsUnsortedDuplicateAndNonFiniteBounds) {
  EXPECT_FALSE(BucketLayout::Create({1.0, 0.5}).ok());
  EXPECT_FALSE(BucketLayout::Create({1.0, 1.0}).ok());
  EXPECT_FALSE(BucketLayout::Create({1.0, std::numeric_limits<double>::infinity()}).ok());
  EXPECT_FALSE(BucketLayout::Create({std::nan("")}).ok());
  const absl::Status status = BucketLayout::Create({0.1, 0.2, 0.2}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("index 2"), absl::string_view::npos) << status;
}

TEST(BucketLayoutTest, Exponential) {
  const BucketLayout layout = *BucketLayout::Exponential(0.5, 2.0, 4);
  EXPECT_EQ(layout.upper_bounds(), (std::vector<double>{0.5, 1.0, 2.0, 4.0}));
  EXPECT_FALSE(BucketLayout::Exponential(0.0, 2.0, 4).ok());
  EXPECT_FALSE(BucketLayout::Exponential(1.0, 1.0, 4).ok());
  EXPECT_FALSE(BucketLayout::Exponential(1.0, 2.0, 0).ok());
  EXPECT_FALSE(BucketLayout::Exponential(1.0, 2.0, 257).ok());
  EXPECT_FALSE(BucketLayout::Exponential(1e300, 1e10, 3).ok());  // overflows to infinity
}

TEST(BucketLayoutTest, DefaultSecondsSpansOneMillisecondToAboutHalfAMinute) {
  const std::vector<double>& bounds = BucketLayout::DefaultSeconds().upper_bounds();
  ASSERT_EQ(bounds.size(), 16u);
  EXPECT_DOUBLE_EQ(bounds.front(), 0.001);
  EXPECT_DOUBLE_EQ(bounds.back(), 32.768);
  EXPECT_EQ(&BucketLayout::DefaultSeconds(), &BucketLayout::DefaultSeconds());
}

}  // namespace
}  // namespace failover
