#include "core/scheduling/cron_scheduler.h"

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/time/civil_time.h"
#include "core/simulated_clock.h"
#include "core/sync.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2024, 1, 1, 0, 0, 0), absl::UTCTimeZone());

CronExpression Cron(absl::string_view text) {
  absl::StatusOr<CronExpression> cron = CronExpression::Parse(text);
  EXPECT_TRUE(cron.ok()) << cron.status();
  return *cron;
}

// Records each run's fire time and the clock's wall time during the run. Thread-safe.
class Runs {
 public:
  void Record(absl::Time fire_time, absl::Time wall) {
    MutexLock lock(&mu_);
    fire_times_.push_back(fire_time);
    walls_.push_back(wall);
  }
  std::vector<absl::Time> fire_times() {
    MutexLock lock(&mu_);
    return fire_times_;
  }
  std::vector<absl::Time> walls() {
    MutexLock lock(&mu_);
    return walls_;
  }

 private:
  Mutex mu_;
  std::vector<absl::Time> fire_times_ ABSL_GUARDED_BY(mu_);
  std::vector<absl::Time> walls_ ABSL_GUARDED_BY(mu_);
};

class CronSchedulerTest : public ::testing::Test {
 protected:
  SimulatedClock clock_{MonotonicTime::FromNanos(1'000'000'000), kStart};
  Runs runs_;
  CronScheduler::Task Recorder() {
    return [this](absl::Time fire_time) { runs_.Record(fire_time, clock_.WallNow()); };
  }
};

TEST_F(CronSchedulerTest, HourlyFiresTwentyFourTimesADayOnTheHour) {
  CronScheduler scheduler(Cron("0 0 * * * *"), clock_, Recorder());
  EXPECT_EQ(scheduler.next_fire_time(), kStart + absl::Hours(1));
  clock_.Advance(absl::Hours(24));
  const std::vector<absl::Time> fires = runs_.fire_times();
  ASSERT_EQ(fires.size(), 24u);
  for (size_t i = 0; i < fires.size(); ++i) {
    EXPECT_EQ(fires[i], kStart + absl::Hours(i + 1));
  }
  EXPECT_EQ(runs_.walls(), fires);  // each ran at its own fire time
  EXPECT_EQ(scheduler.runs(), 24);
  EXPECT_EQ(scheduler.next_fire_time(), kStart + absl::Hours(25));
}

TEST_F(CronSchedulerTest, EveryFifteenSeconds) {
  clock_.Advance(absl::Seconds(7));  // start between two fire times
  CronScheduler scheduler(Cron("*/15 * * * * *"), clock_, Recorder());
  clock_.Advance(absl::Hours(1));
  const std::vector<absl::Time> fires = runs_.fire_times();
  ASSERT_EQ(fires.size(), 240u);
  EXPECT_EQ(fires.front(), kStart + absl::Seconds(15));
  for (size_t i = 1; i < fires.size(); ++i) EXPECT_EQ(fires[i] - fires[i - 1], absl::Seconds(15));
  EXPECT_EQ(runs_.walls(), fires);
}

TEST_F(CronSchedulerTest, RunsInTheGivenTimeZone) {
  absl::TimeZone paris;
  if (!absl::LoadTimeZone("Europe/Paris", &paris)) GTEST_SKIP() << "no tzdata for Europe/Paris";
  CronScheduler scheduler(Cron("@daily"), clock_, Recorder(), paris);
  clock_.Advance(absl::Hours(48));
  // Local midnight in January is 23:00 UTC.
  EXPECT_EQ(runs_.fire_times(),
            (std::vector<absl::Time>{kStart + absl::Hours(23), kStart + absl::Hours(47)}));
}

// A clock whose wall time a task can push forward, to simulate a run that takes a while (a
// SimulatedClock cannot be advanced from inside its own timer callback).
class SlowRunClock final : public Clock {
 public:
  explicit SlowRunClock(SimulatedClock& base) : base_(base) {}
  MonotonicTime Now() const override { return base_.Now() + extra(); }
  absl::Time WallNow() const override { return base_.WallNow() + extra(); }
  void SleepFor(absl::Duration d) override { base_.SleepFor(d); }
  TimerId ScheduleAfter(absl::Duration delay, std::function<void()> callback) override {
    return base_.ScheduleAfter(delay + extra(), std::move(callback));
  }
  bool Cancel(TimerId id) override { return base_.Cancel(id); }
  // The current run takes `d` more (consumed when the task re-arms).
  void RunTakes(absl::Duration d) { extra_nanos_ += absl::ToInt64Nanoseconds(d); }
  void Settle() { extra_nanos_ = 0; }

 private:
  absl::Duration extra() const { return absl::Nanoseconds(extra_nanos_.load()); }
  SimulatedClock& base_;
  std::atomic<int64_t> extra_nanos_{0};
};

TEST_F(CronSchedulerTest, OverrunningRunSkipsMissedFireTimesWithoutBurst) {
  SlowRunClock slow(clock_);
  int run = 0;
  CronScheduler scheduler(Cron("0 * * * * *"), slow, [&](absl::Time fire_time) {
    runs_.Record(fire_time, slow.WallNow());
    if (++run == 2) slow.RunTakes(absl::Seconds(150));  // the 00:02 run ends at 00:04:30
  });
  clock_.Advance(absl::Minutes(2));  // runs 00:01 and 00:02; re-armed for 00:05
  EXPECT_EQ(scheduler.next_fire_time(), kStart + absl::Minutes(5));
  slow.Settle();
  clock_.Advance(absl::Minutes(4));
  EXPECT_EQ(runs_.fire_times(),
            (std::vector<absl::Time>{kStart + absl::Minutes(1), kStart + absl::Minutes(2),
                                     kStart + absl::Minutes(5), kStart + absl::Minutes(6)}));
}

TEST_F(CronSchedulerTest, StopInsideTheTaskEndsTheSchedule) {
  std::unique_ptr<CronScheduler> scheduler;
  int run = 0;
  scheduler = std::make_unique<CronScheduler>(Cron("0 0 * * * *"), clock_, [&](absl::Time t) {
    runs_.Record(t, clock_.WallNow());
    if (++run == 3) scheduler->Stop();  // must not deadlock
  });
  clock_.Advance(absl::Hours(10));
  EXPECT_EQ(runs_.fire_times().size(), 3u);
  EXPECT_EQ(scheduler->runs(), 3);
  EXPECT_FALSE(scheduler->next_fire_time().has_value());
  EXPECT_FALSE(clock_.NextTimerDue().has_value());
  scheduler.reset();  // a second Stop() from the destructor is harmless
}

TEST_F(CronSchedulerTest, DestructionWhileArmedCancelsTheTimer) {
  {
    CronScheduler scheduler(Cron("0 0 * * * *"), clock_, Recorder());
    EXPECT_TRUE(clock_.NextTimerDue().has_value());
  }
  EXPECT_FALSE(clock_.NextTimerDue().has_value());
  clock_.Advance(absl::Hours(3));
  EXPECT_TRUE(runs_.fire_times().empty());
}

TEST_F(CronSchedulerTest, StopFromAnotherThreadWaitsForTheRunningTask) {
  Notification entered;
  Notification release;
  std::atomic<bool> running{false};
  CronScheduler scheduler(Cron("0 0 * * * *"), clock_, [&](absl::Time) {
    running = true;
    entered.Notify();
    release.WaitForNotification();
    running = false;
  });
  std::thread advancer([&] { clock_.Advance(absl::Hours(5)); });
  entered.WaitForNotification();
  std::atomic<bool> running_when_stopped{true};
  std::atomic<int> runs_when_stopped{-1};
  std::thread stopper([&] {
    scheduler.Stop();
    running_when_stopped = running.load();
    runs_when_stopped = scheduler.runs();
  });
  // The stopper may or may not have reached Stop() yet: either way, once Stop() returns no task
  // is running and none starts afterwards, though the advancer goes on for hours.
  release.Notify();
  stopper.join();
  advancer.join();
  EXPECT_FALSE(running_when_stopped);
  EXPECT_GE(runs_when_stopped, 1);
  EXPECT_EQ(scheduler.runs(), runs_when_stopped);
}

TEST_F(CronSchedulerTest, ExpressionWithoutFutureFireTimeArmsNothing) {
  CronScheduler scheduler(Cron("0 0 0 30 2 *"), clock_, Recorder());
  EXPECT_FALSE(scheduler.next_fire_time().has_value());
  EXPECT_FALSE(clock_.NextTimerDue().has_value());
}

}  // namespace
}  // namespace failover
