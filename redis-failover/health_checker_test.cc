#include "redis-failover/health_checker.h"

#include <stdexcept>
#include <vector>

#include "core/simulated_clock.h"
#include "core/sync.h"
#include "gtest/gtest.h"

namespace failover {
namespace redis {
namespace {

// A probe answering a script (true = healthy, false = failure, nothing left = throw), and a
// record of what the checker reported. The test waits on it (bounded) for the checker's thread.
class Script {
 public:
  explicit Script(std::vector<int> outcomes) : outcomes_(std::move(outcomes)) {}

  HealthProbe Probe() {
    return [this](absl::Duration) -> absl::Status {
      int outcome;
      {
        MutexLock lock(&mu_);
        outcome = next_ < outcomes_.size() ? outcomes_[next_] : 1;
        ++next_;
      }
      if (outcome == 2) throw std::runtime_error("probe crashed");
      return outcome == 1 ? absl::OkStatus() : absl::UnavailableError("down");
    };
  }
  HealthChecker::Callback OnChange() {
    return [this](const HealthChange& c) {
      MutexLock lock(&mu_);
      changes_.push_back(c.healthy);
    };
  }
  std::vector<bool> changes() {
    MutexLock lock(&mu_);
    return changes_;
  }

 private:
  Mutex mu_;
  const std::vector<int> outcomes_;
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<bool> changes_ ABSL_GUARDED_BY(mu_);
};

HealthCheckOptions OneProbeEverySecond() {
  HealthCheckOptions o;
  o.interval = absl::Seconds(1);
  o.probes = 1;
  return o;
}

// Waits for the checker to finish its round `n` (it counts after the probe returns).
void WaitForRounds(HealthChecker& checker, uint64_t n) {
  ASSERT_TRUE(checker.WaitForRounds(n, absl::Seconds(30))) << "round " << n;
}

TEST(HealthCheckerTest, ReportsOnlyChangesAndRoundsFollowTheClock) {
  SimulatedClock clock;
  Script script({1, 0, 0, 1});
  HealthChecker checker("east", script.Probe(), OneProbeEverySecond(), clock, script.OnChange());
  checker.Start();
  WaitForRounds(checker, 1);  // The first round runs at once.
  EXPECT_TRUE(checker.healthy());
  for (uint64_t round = 2; round <= 4; ++round) {
    clock.Advance(absl::Seconds(1));
    WaitForRounds(checker, round);
  }
  EXPECT_EQ(script.changes(), (std::vector<bool>{false, true}));
  EXPECT_TRUE(checker.healthy());
}

TEST(HealthCheckerTest, NoRoundBeforeTheInterval) {
  SimulatedClock clock;
  Script script({1, 1});
  HealthChecker checker("east", script.Probe(), OneProbeEverySecond(), clock, script.OnChange());
  checker.Start();
  WaitForRounds(checker, 1);
  clock.Advance(absl::Milliseconds(999));
  EXPECT_EQ(checker.rounds(), 1u);  // The timer has not fired, so no round can have started.
  clock.Advance(absl::Milliseconds(1));
  WaitForRounds(checker, 2);
}

TEST(HealthCheckerTest, ThrowingProbeIsUnhealthyAndTheCheckerKeepsGoing) {
  SimulatedClock clock;
  Script script({2, 1});
  HealthChecker checker("east", script.Probe(), OneProbeEverySecond(), clock, script.OnChange());
  checker.Start();
  WaitForRounds(checker, 1);
  EXPECT_FALSE(checker.healthy());
  clock.Advance(absl::Seconds(1));
  WaitForRounds(checker, 2);
  EXPECT_TRUE(checker.healthy());
  EXPECT_EQ(script.changes(), (std::vector<bool>{false, true}));
}

TEST(HealthCheckerTest, DestructionStopsAWaitingChecker) {
  SimulatedClock clock;
  Script script({1});
  {
    HealthChecker checker("east", script.Probe(), OneProbeEverySecond(), clock, script.OnChange());
    checker.Start();
    WaitForRounds(checker, 1);
  }  // Waiting for a timer that never fires: the destructor must not hang.
  EXPECT_FALSE(clock.NextTimerDue().has_value());  // Its timer was cancelled.
}

}  // namespace
}  // namespace redis
}  // namespace failover
