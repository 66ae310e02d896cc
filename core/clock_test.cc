#include "core/clock.h"

#include <atomic>
#include <thread>

#include "absl/time/clock.h"
#include "core/sync.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(MonotonicTimeTest, ArithmeticWithDurations) {
  const MonotonicTime t = MonotonicTime::FromNanos(1'000);
  EXPECT_EQ((t + absl::Microseconds(2)).nanos(), 3'000);
  EXPECT_EQ((t - absl::Nanoseconds(500)).nanos(), 500);
  EXPECT_EQ((t + absl::Microseconds(2)) - t, absl::Microseconds(2));
  EXPECT_EQ(t - (t + absl::Seconds(1)), absl::Seconds(-1));
  EXPECT_LT(t, t + absl::Nanoseconds(1));
}

TEST(MonotonicTimeTest, SaturatesInsteadOfOverflowing) {
  const MonotonicTime t = MonotonicTime::FromNanos(5);
  EXPECT_EQ(t + absl::InfiniteDuration(), MonotonicTime::InfiniteFuture());
  EXPECT_EQ(t - absl::InfiniteDuration(), MonotonicTime::InfinitePast());
  EXPECT_EQ(MonotonicTime::InfiniteFuture() + absl::Seconds(1), MonotonicTime::InfiniteFuture());
  EXPECT_EQ(MonotonicTime::FromNanos(INT64_MAX - 10) + absl::Seconds(1),
            MonotonicTime::InfiniteFuture());
  EXPECT_EQ(MonotonicTime::InfiniteFuture() - t, absl::InfiniteDuration());
  EXPECT_EQ(t - MonotonicTime::InfiniteFuture(), -absl::InfiniteDuration());
  EXPECT_EQ(MonotonicTime::InfiniteFuture() - MonotonicTime::InfiniteFuture(),
            absl::ZeroDuration());
  EXPECT_EQ(MonotonicTime::FromNanos(INT64_MAX - 1) - MonotonicTime::FromNanos(-10),
            absl::InfiniteDuration());
}

TEST(SystemClockTest, MonotonicNeverGoesBackwards) {
  Clock& clock = SystemClock();
  MonotonicTime last = clock.Now();
  for (int i = 0; i < 10'000; ++i) {
    const MonotonicTime now = clock.Now();
    ASSERT_GE(now, last);
    last = now;
  }
}

TEST(SystemClockTest, WallClockIsNearAbslNow) {
  EXPECT_LT(absl::AbsDuration(SystemClock().WallNow() - absl::Now()), absl::Seconds(1));
}

// The real timer thread: bounded waits on notifications, no sleeps.
TEST(SystemClockTest, TimerFiresOnTheTimerThread) {
  Notification fired;
  SystemClock().ScheduleAfter(absl::Milliseconds(1), [&] { fired.Notify(); });
  EXPECT_TRUE(fired.WaitForNotificationWithTimeout(absl::Seconds(10)));
}

TEST(SystemClockTest, EarlierTimerScheduledLaterFiresFirst) {
  Notification early;
  std::atomic<bool> late_fired{false};
  const TimerId late = SystemClock().ScheduleAfter(absl::Hours(1), [&] { late_fired.store(true); });
  SystemClock().ScheduleAfter(absl::Milliseconds(1), [&] { early.Notify(); });
  EXPECT_TRUE(early.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_TRUE(SystemClock().Cancel(late));
  EXPECT_FALSE(late_fired.load());
}

TEST(SystemClockTest, CancelWaitsForARunningCallback) {
  Notification started;
  Notification release;
  std::atomic<bool> finished{false};
  const TimerId id = SystemClock().ScheduleAfter(absl::ZeroDuration(), [&] {
    started.Notify();
    release.WaitForNotification();
    finished.store(true);
  });
  ASSERT_TRUE(started.WaitForNotificationWithTimeout(absl::Seconds(10)));
  // Release the callback a little later, so that Cancel() below usually finds it running.
  std::thread releaser([&] {
    for (int i = 0; i < 10'000; ++i) std::this_thread::yield();
    release.Notify();
  });
  EXPECT_FALSE(SystemClock().Cancel(id));  // Already running: waits for it to return.
  EXPECT_TRUE(finished.load());
  releaser.join();
}

}  // namespace
}  // namespace failover
