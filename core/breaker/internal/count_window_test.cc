#include "core/breaker/internal/count_window.h"

#include <atomic>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace breaker_internal {
namespace {

TEST(CountWindowTest, CountsUntilFullThenSlides) {
  CountWindow w(4);
  EXPECT_TRUE(w.Record(kFailure));
  EXPECT_TRUE(w.Record(kSuccess));
  EXPECT_TRUE(w.Record(kSlowFailure));
  WindowTotals t = w.Totals();
  EXPECT_EQ(t.calls, 3);
  EXPECT_EQ(t.failed, 2);
  EXPECT_EQ(t.slow, 1);
  EXPECT_EQ(t.slow_failed, 1);
  EXPECT_TRUE(w.Record(kSlowSuccess));  // Full: F S SF SS.
  EXPECT_TRUE(w.Record(kSuccess));      // Evicts F.
  t = w.Totals();
  EXPECT_EQ(t.calls, 4);
  EXPECT_EQ(t.failed, 1);
  EXPECT_EQ(t.slow, 2);
  EXPECT_FALSE(w.Record(kSuccess));  // Evicts S with S: nothing moves.
  EXPECT_TRUE(w.Record(kSuccess));   // Evicts SF.
  t = w.Totals();
  EXPECT_EQ(t.failed, 0);
  EXPECT_EQ(t.slow, 1);
  EXPECT_EQ(t.slow_failed, 0);
}

TEST(CountWindowTest, SizeOneHoldsOnlyTheLastCall) {
  CountWindow w(1);
  w.Record(kFailure);
  w.Record(kSuccess);
  EXPECT_EQ(w.Totals().calls, 1);
  EXPECT_EQ(w.Totals().failed, 0);
}

TEST(CountWindowTest, NonPowerOfTwoSizesWrapExactly) {
  for (uint32_t size : {3u, 7u, 100u, 65535u}) {
    CountWindow w(size);
    for (uint32_t i = 0; i < size; ++i) w.Record(kFailure);
    for (uint32_t i = 0; i < size - 1; ++i) w.Record(kSuccess);
    EXPECT_EQ(w.Totals().calls, static_cast<int32_t>(size)) << size;
    EXPECT_EQ(w.Totals().failed, 1) << size;
  }
}

TEST(CountWindowTest, ResetEmptiesIt) {
  CountWindow w(10);
  for (int i = 0; i < 15; ++i) w.Record(i % 2 ? kFailure : kSlowSuccess);
  w.Reset();
  const WindowTotals t = w.Totals();
  EXPECT_EQ(t.calls, 0);
  EXPECT_EQ(t.failed, 0);
  EXPECT_EQ(t.slow, 0);
}

TEST(CountWindowTest, ConcurrentRecordersAndResetsNeverDrift) {
  CountWindow w(64);
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20'000; ++i) w.Record((i + t) % 3 == 0 ? kFailure : kSuccess);
    });
  }
  std::thread resetter([&] {
    while (!stop.load()) w.Reset();
  });
  for (auto& th : threads) th.join();
  stop.store(true);
  resetter.join();
  // Quiescent: the totals must equal what the slots hold. Fill with successes and check.
  for (int i = 0; i < 64; ++i) w.Record(kSuccess);
  const WindowTotals t = w.Totals();
  EXPECT_EQ(t.calls, 64);
  EXPECT_EQ(t.failed, 0);
}

}  // namespace
}  // namespace breaker_internal
}  // namespace failover
