#include "core/breaker/internal/time_window.h"

#include <atomic>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace breaker_internal {
namespace {

MonotonicTime At(absl::Duration d) { return MonotonicTime::FromNanos(0) + d; }

TEST(TimeWindowTest, CallsLeaveTheWindowAfterItsDuration) {
  TimeWindow w(absl::Seconds(2), 20);  // 100 ms buckets.
  w.Record(kFailure, At(absl::Milliseconds(50)));
  w.Record(kSuccess, At(absl::Milliseconds(1050)));
  EXPECT_EQ(w.Totals(At(absl::Milliseconds(1999))).calls, 2);
  // The first call's bucket [0, 100ms) leaves when the window reaches [2000, 2100).
  WindowTotals t = w.Totals(At(absl::Milliseconds(2000)));
  EXPECT_EQ(t.calls, 1);
  EXPECT_EQ(t.failed, 0);
  EXPECT_EQ(w.Totals(At(absl::Milliseconds(3050))).calls, 0);
}

TEST(TimeWindowTest, SlidesInBucketSteps) {
  TimeWindow w(absl::Seconds(1), 10);  // 100 ms buckets.
  for (int ms = 0; ms < 1000; ms += 10) w.Record(kFailure, At(absl::Milliseconds(ms)));
  EXPECT_EQ(w.Totals(At(absl::Milliseconds(999))).calls, 100);
  EXPECT_EQ(w.Totals(At(absl::Milliseconds(1000))).calls, 90);
  EXPECT_EQ(w.Totals(At(absl::Milliseconds(1550))).calls, 40);
}

TEST(TimeWindowTest, NotAlignedToWallSeconds) {
  // A call at 0.95 s and one at 1.05 s are in the same 1 s window at 1.1 s, whatever the
  // epoch-second boundaries say.
  TimeWindow w(absl::Seconds(1), 10);
  w.Record(kFailure, At(absl::Milliseconds(950)));
  w.Record(kFailure, At(absl::Milliseconds(1050)));
  EXPECT_EQ(w.Totals(At(absl::Milliseconds(1100))).failed, 2);
}

TEST(TimeWindowTest, LongIdleGapEmptiesEverything) {
  TimeWindow w(absl::Seconds(1), 10);
  for (int i = 0; i < 10; ++i) w.Record(kSlowFailure, At(absl::Milliseconds(i * 100)));
  w.Record(kSuccess, At(absl::Hours(5)));
  const WindowTotals t = w.Totals(At(absl::Hours(5)));
  EXPECT_EQ(t.calls, 1);
  EXPECT_EQ(t.failed, 0);
  EXPECT_EQ(t.slow, 0);
}

TEST(TimeWindowTest, LateRecordFromADelayedThreadOutsideTheWindowIsDropped) {
  TimeWindow w(absl::Seconds(1), 10);
  w.Record(kSuccess, At(absl::Seconds(10)));
  w.Record(kFailure, At(absl::Seconds(8)));  // Stamped before the window began.
  EXPECT_EQ(w.Totals(At(absl::Seconds(10))).failed, 0);
  w.Record(kFailure, At(absl::Milliseconds(9500)));  // Late but still inside.
  EXPECT_EQ(w.Totals(At(absl::Seconds(10))).failed, 1);
}

TEST(TimeWindowTest, TicksBeforeTheClockOriginMapToTheirOwnBuckets) {
  TimeWindow w(absl::Seconds(3), 3);                 // 1 s buckets; 3 is not a power of two.
  w.Record(kFailure, At(absl::Milliseconds(-500)));  // Tick -1.
  w.Record(kSuccess, At(absl::Milliseconds(500)));   // Tick 0: must not share tick -1's bucket.
  WindowTotals t = w.Totals(At(absl::Milliseconds(500)));
  EXPECT_EQ(t.calls, 2);
  EXPECT_EQ(t.failed, 1);
  t = w.Totals(At(absl::Milliseconds(2500)));  // Window ticks 0..2: tick -1 has left.
  EXPECT_EQ(t.calls, 1);
  EXPECT_EQ(t.failed, 0);
}

TEST(TimeWindowTest, Reset) {
  TimeWindow w(absl::Seconds(1), 4);
  w.Record(kFailure, At(absl::Milliseconds(10)));
  w.Record(kFailure, At(absl::Milliseconds(600)));
  w.Reset();
  EXPECT_EQ(w.Totals(At(absl::Milliseconds(700))).calls, 0);
}

TEST(TimeWindowTest, ConcurrentRecordsAcrossBucketsNeverDrift) {
  TimeWindow w(absl::Milliseconds(100), 10);
  std::atomic<int64_t> now_ms{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20'000; ++i) {
        const int64_t ms = now_ms.fetch_add(1) / 50;  // Time moves as calls arrive.
        w.Record(kFailure, At(absl::Milliseconds(ms)));
      }
    });
  }
  for (auto& th : threads) th.join();
  // Far in the future every bucket has expired: totals must be exactly zero.
  const WindowTotals t = w.Totals(At(absl::Hours(1)));
  EXPECT_EQ(t.calls, 0);
  EXPECT_EQ(t.failed, 0);
}

}  // namespace
}  // namespace breaker_internal
}  // namespace failover
