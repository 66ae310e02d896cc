#include "core/simulated_clock.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(SimulatedClockTest, MovesOnlyWhenAdvanced) {
  SimulatedClock clock;
  const MonotonicTime t0 = clock.Now();
  const absl::Time w0 = clock.WallNow();
  EXPECT_EQ(clock.Now(), t0);
  clock.Advance(absl::Milliseconds(250));
  EXPECT_EQ(clock.Now() - t0, absl::Milliseconds(250));
  EXPECT_EQ(clock.WallNow() - w0, absl::Milliseconds(250));
  clock.Advance(absl::Seconds(-5));  // Ignored: time never goes backwards.
  EXPECT_EQ(clock.Now() - t0, absl::Milliseconds(250));
}

TEST(SimulatedClockTest, SleepForAdvances) {
  SimulatedClock clock;
  const MonotonicTime t0 = clock.Now();
  clock.SleepFor(absl::Seconds(3));
  EXPECT_EQ(clock.Now() - t0, absl::Seconds(3));
}

TEST(SimulatedClockTest, TimersFireInDueOrderAtTheirDueTime) {
  SimulatedClock clock;
  const MonotonicTime t0 = clock.Now();
  std::vector<std::string> log;
  clock.ScheduleAfter(absl::Seconds(3), [&] {
    log.push_back("c@" + std::to_string(absl::ToInt64Seconds(clock.Now() - t0)));
  });
  clock.ScheduleAfter(absl::Seconds(1), [&] {
    log.push_back("a@" + std::to_string(absl::ToInt64Seconds(clock.Now() - t0)));
  });
  clock.ScheduleAfter(absl::Seconds(1), [&] {
    log.push_back("b@" + std::to_string(absl::ToInt64Seconds(clock.Now() - t0)));
  });
  clock.Advance(absl::Seconds(2));
  EXPECT_EQ(log, (std::vector<std::string>{"a@1", "b@1"}));
  clock.Advance(absl::Seconds(5));
  EXPECT_EQ(log, (std::vector<std::string>{"a@1", "b@1", "c@3"}));
  EXPECT_EQ(clock.Now() - t0, absl::Seconds(7));
}

TEST(SimulatedClockTest, TimerScheduledByACallbackWithinTheIntervalFires) {
  SimulatedClock clock;
  int fired = 0;
  clock.ScheduleAfter(absl::Seconds(1), [&] {
    ++fired;
    clock.ScheduleAfter(absl::Seconds(1), [&] { ++fired; });
  });
  clock.Advance(absl::Seconds(2));
  EXPECT_EQ(fired, 2);
  EXPECT_FALSE(clock.NextTimerDue().has_value());
}

TEST(SimulatedClockTest, CancellingNoTimerReturnsAtOnce) {
  SimulatedClock clock;
  EXPECT_FALSE(clock.Cancel(kNoTimer));
  const TimerId real = SystemClock().ScheduleAfter(absl::Hours(1), [] {});  // Starts its thread.
  EXPECT_FALSE(SystemClock().Cancel(kNoTimer));
  EXPECT_TRUE(SystemClock().Cancel(real));
}

TEST(SimulatedClockTest, CancelledTimerNeverFires) {
  SimulatedClock clock;
  bool fired = false;
  const TimerId id = clock.ScheduleAfter(absl::Seconds(1), [&] { fired = true; });
  EXPECT_TRUE(clock.Cancel(id));
  EXPECT_FALSE(clock.Cancel(id));
  clock.Advance(absl::Seconds(2));
  EXPECT_FALSE(fired);
}

TEST(SimulatedClockTest, ZeroDelayTimerFiresOnNextAdvance) {
  SimulatedClock clock;
  bool fired = false;
  clock.ScheduleAfter(absl::ZeroDuration(), [&] { fired = true; });
  EXPECT_FALSE(fired);
  clock.Advance(absl::Nanoseconds(1));
  EXPECT_TRUE(fired);
}

}  // namespace
}  // namespace failover
