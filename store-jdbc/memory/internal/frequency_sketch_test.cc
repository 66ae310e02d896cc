#include "store-jdbc/memory/internal/frequency_sketch.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace memory_internal {
namespace {

// Spread test ids like a real hash would.
uint64_t H(uint64_t i) { return i * 0x9E3779B97F4A7C15ULL + 12345; }

class FrequencySketchTest : public ::testing::TestWithParam<bool> {
 protected:
  bool doorkeeper() const { return GetParam(); }
};

INSTANTIATE_TEST_SUITE_P(Doorkeeper, FrequencySketchTest, ::testing::Bool());

TEST_P(FrequencySketchTest, UnseenItemIsZeroAndCountsGrow) {
  FrequencySketch sketch(1000, doorkeeper());
  EXPECT_EQ(sketch.Frequency(H(1)), 0);
  for (int i = 1; i <= 5; ++i) {
    sketch.Increment(H(1));
    EXPECT_EQ(sketch.Frequency(H(1)), i);
  }
  EXPECT_EQ(sketch.Frequency(H(2)), 0);
}

TEST_P(FrequencySketchTest, SaturatesWithoutCountingFurtherAdditions) {
  FrequencySketch sketch(1000, doorkeeper());
  for (int i = 0; i < 40; ++i) sketch.Increment(H(7));
  const int max = FrequencySketch::kMaxCounter + (doorkeeper() ? 1 : 0);
  EXPECT_EQ(sketch.Frequency(H(7)), max);
  EXPECT_EQ(sketch.additions(), max);
}

TEST_P(FrequencySketchTest, EstimatesNeverUnderestimateAndAreMostlyExact) {
  FrequencySketch sketch(1000, doorkeeper());
  // 500 items, item i seen (i % 8) + 1 times: 2,250 increments, below the 10,000 sample.
  for (uint64_t i = 0; i < 500; ++i) {
    for (uint64_t n = 0; n <= i % 8; ++n) sketch.Increment(H(i));
  }
  int exact = 0;
  for (uint64_t i = 0; i < 500; ++i) {
    const int truth = static_cast<int>(i % 8) + 1;
    const int estimate = sketch.Frequency(H(i));
    EXPECT_GE(estimate, truth) << "item " << i;
    if (estimate == truth) ++exact;
  }
  EXPECT_GE(exact, 475);  // Collisions in all four rows are rare at this load.
}

TEST_P(FrequencySketchTest, AgingHalvesCountsOnceSampleSizeIsReached) {
  FrequencySketch sketch(16, doorkeeper());
  ASSERT_EQ(sketch.sample_size(), 160);
  const uint64_t hot = H(1'000'000);
  for (int i = 0; i < 12; ++i) sketch.Increment(hot);
  ASSERT_GE(sketch.Frequency(hot), 12);

  uint64_t next = 0;
  while (sketch.additions() < sketch.sample_size() - 1) sketch.Increment(H(next++));
  const int before = sketch.Frequency(hot);
  const int64_t additions_before = sketch.additions();
  sketch.Increment(H(next++));  // A new item: counted, and reaches the sample size.
  const int after = sketch.Frequency(hot);

  EXPECT_EQ(sketch.additions(), (additions_before + 1) / 2);
  // The counters are halved (the last increment may first have bumped one of the hot item's
  // counters); with the doorkeeper, its +1 is gone too, as the doorkeeper is cleared.
  const int counters_before = before - (doorkeeper() ? 1 : 0);
  EXPECT_GE(after, counters_before / 2);
  EXPECT_LE(after, (counters_before + 1) / 2);
  EXPECT_LT(after, before);
}

// The batched form gives exactly the sequential result, also when aging happens mid-batch.
TEST_P(FrequencySketchTest, IncrementAllEqualsIncrementsInOrder) {
  FrequencySketch one_by_one(16, doorkeeper());
  FrequencySketch batched(16, doorkeeper());
  std::vector<uint64_t> hashes;
  for (uint64_t i = 0; i < 1000; ++i) hashes.push_back(H(i % 37 == 0 ? 5 : i % 23));
  for (uint64_t h : hashes) one_by_one.Increment(h);
  // Uneven chunks, one longer than the internal prefetch batch; 1,000 increments age often.
  size_t done = 0;
  for (size_t chunk : {1, 5, 16, 70, 908}) {
    batched.IncrementAll(hashes.data() + done, chunk);
    done += chunk;
  }
  ASSERT_EQ(done, hashes.size());
  EXPECT_EQ(batched.additions(), one_by_one.additions());
  for (uint64_t i = 0; i < 40; ++i) {
    EXPECT_EQ(batched.Frequency(H(i)), one_by_one.Frequency(H(i))) << "item " << i;
  }
}

TEST(FrequencySketchDoorkeeperTest, OneOffItemsDoNotInflateOtherEstimates) {
  FrequencySketch sketch(100, /*doorkeeper=*/true);
  for (uint64_t i = 0; i < 900; ++i) sketch.Increment(H(i));  // Below the 1,000 sample.
  int unseen_total = 0;
  for (uint64_t i = 10'000; i < 10'100; ++i) unseen_total += sketch.Frequency(H(i));
  EXPECT_LE(unseen_total, 12);  // Only doorkeeper false positives (~4%), each worth 1.
  for (uint64_t i = 0; i < 100; ++i) EXPECT_GE(sketch.Frequency(H(i)), 1);
}

TEST(FrequencySketchDoorkeeperTest, AgingClearsTheDoorkeeper) {
  FrequencySketch sketch(16, /*doorkeeper=*/true);
  const uint64_t once = H(777'777);
  uint64_t next = 0;
  while (sketch.additions() < sketch.sample_size() - 2) sketch.Increment(H(next++));
  sketch.Increment(once);
  ASSERT_EQ(sketch.Frequency(once), 1);
  sketch.Increment(H(next++));  // Ages.
  EXPECT_EQ(sketch.Frequency(once), 0);
}

}  // namespace
}  // namespace memory_internal
}  // namespace failover
