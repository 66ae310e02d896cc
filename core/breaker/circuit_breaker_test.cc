#include "core/breaker/circuit_breaker.h"

#include <string>
#include <vector>

#include "core/breaker/circuit_breaker_test_util.h"
#include "core/simulated_clock.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

using testing_internal::Call;
using testing_internal::Fail;
using testing_internal::MakeBreaker;
using testing_internal::Succeed;
using testing_internal::TransitionLog;
using State = CircuitBreakerState;

CircuitBreakerOptions SmallWindow() {
  CircuitBreakerOptions o;
  o.sliding_window_size = 10;
  o.minimum_number_of_calls = 4;
  o.failure_rate_threshold = 50;
  o.wait_duration_in_open_state = absl::Seconds(10);
  o.permitted_number_of_calls_in_half_open_state = 2;
  return o;
}

TEST(CircuitBreakerTest, StartsClosedAndPermits) {
  SimulatedClock clock;
  auto b = MakeBreaker(SmallWindow(), clock);
  EXPECT_EQ(b->state(), State::kClosed);
  EXPECT_TRUE(b->TryAcquirePermission());
  b->OnSuccess(absl::Milliseconds(1));
}

TEST(CircuitBreakerTest, NoDecisionBelowMinimumCalls) {
  SimulatedClock clock;
  auto b = MakeBreaker(SmallWindow(), clock);
  Fail(*b, 3);
  EXPECT_EQ(b->state(), State::kClosed);
  EXPECT_EQ(b->metrics().failure_rate, -1);
  Fail(*b);
  EXPECT_EQ(b->state(), State::kOpen);
}

TEST(CircuitBreakerTest, TripsWhenFailureRateReachesThreshold) {
  SimulatedClock clock;
  auto b = MakeBreaker(SmallWindow(), clock);
  TransitionLog log(*b);
  Succeed(*b, 5);
  Fail(*b, 4);
  EXPECT_EQ(b->state(), State::kClosed);  // 4/9 = 44 %.
  Fail(*b);                               // 5/10 = 50 %.
  EXPECT_EQ(b->state(), State::kOpen);
  ASSERT_EQ(log.events.size(), 1u);
  EXPECT_EQ(log.events[0].reason, TransitionReason::kFailureRate);
  EXPECT_DOUBLE_EQ(log.events[0].failure_rate, 50.0);
  EXPECT_EQ(log.events[0].open_wait, absl::Seconds(10));
}

TEST(CircuitBreakerTest, MinimumFailuresGatesTheFailureRate) {
  SimulatedClock clock;
  CircuitBreakerOptions o = SmallWindow();
  o.minimum_number_of_calls = 1;
  o.minimum_number_of_failures = 3;
  auto b = MakeBreaker(o, clock);
  Fail(*b, 2);  // 100 % of 2 calls, but only 2 failures.
  EXPECT_EQ(b->state(), State::kClosed);
  Fail(*b);
  EXPECT_EQ(b->state(), State::kOpen);
}

TEST(CircuitBreakerTest, WindowForgetsOldFailures) {
  SimulatedClock clock;
  auto b = MakeBreaker(SmallWindow(), clock);
  Succeed(*b, 7);
  Fail(*b, 3);     // 3 of 10.
  Succeed(*b, 7);  // Still 3 of 10: the successes slid out.
  EXPECT_EQ(b->metrics().failed_calls, 3);
  Succeed(*b, 3);  // Now the failures have slid out.
  EXPECT_EQ(b->metrics().failed_calls, 0);
  Fail(*b, 4);  // 4/10.
  EXPECT_EQ(b->state(), State::kClosed);
  Fail(*b);
  EXPECT_EQ(b->state(), State::kOpen);
}

TEST(CircuitBreakerTest, OpenRefusesAndCountsNotPermitted) {
  SimulatedClock clock;
  auto b = MakeBreaker(SmallWindow(), clock);
  Fail(*b, 4);
  ASSERT_EQ(b->state(), State::kOpen);
  EXPECT_FALSE(b->TryAcquirePermission());
  EXPECT_FALSE(b->TryAcquirePermission());
  EXPECT_EQ(b->metrics().not_permitted_calls, 2u);
}

TEST(CircuitBreakerTest, OpenToHalfOpenOnFirstCallAfterWait) {
  SimulatedClock clock;
  auto b = MakeBreaker(SmallWindow(), clock);
  Fail(*b, 4);
  clock.Advance(absl::Seconds(9));
  EXPECT_FALSE(b->TryAcquirePermission());
  clock.Advance(absl::Seconds(1));
  EXPECT_EQ(b->state(), State::kOpen);  // No automatic transition configured.
  EXPECT_TRUE(b->TryAcquirePermission());
  EXPECT_EQ(b->state(), State::kHalfOpen);
}

TEST(CircuitBreakerTest, AutomaticTransitionByTimer) {
  SimulatedClock clock;
  CircuitBreakerOptions o = SmallWindow();
  o.automatic_transition_from_open_to_half_open = true;
  auto b = MakeBreaker(o, clock);
  TransitionLog log(*b);
  Fail(*b, 4);
  clock.Advance(absl::Seconds(10));
  EXPECT_EQ(b->state(), State::kHalfOpen);
  EXPECT_EQ(log.entries, (std::vector<std::string>{"CLOSED->OPEN", "OPEN->HALF_OPEN"}));
  EXPECT_EQ(log.events[1].reason, TransitionReason::kOpenWaitElapsed);
}

TEST(CircuitBreakerTest, HalfOpenPermitsOnlyTheTrialCalls) {
  SimulatedClock clock;
  auto b = MakeBreaker(SmallWindow(), clock);
  Fail(*b, 4);
  clock.Advance(absl::Seconds(10));
  EXPECT_TRUE(b->TryAcquirePermission());
  EXPECT_TRUE(b->TryAcquirePermission());
  EXPECT_FALSE(b->TryAcquirePermission());
  b->ReleasePermission();  // One trial call was not made after all.
  EXPECT_TRUE(b->TryAcquirePermission());
}

TEST(CircuitBreakerTest, HalfOpenClosesWhenTrialPasses) {
  SimulatedClock clock;
  auto b = MakeBreaker(SmallWindow(), clock);
  TransitionLog log(*b);
  Fail(*b, 4);
  clock.Advance(absl::Seconds(10));
  Succeed(*b, 2);
  EXPECT_EQ(b->state(), State::kClosed);
  EXPECT_EQ(log.events.back().reason, TransitionReason::kTrialPassed);
  EXPECT_EQ(b->metrics().buffered_calls, 0);  // A fresh window.
}

TEST(CircuitBreakerTest, HalfOpenReopensAsSoonAsTrialCannotPass) {
  SimulatedClock clock;
  CircuitBreakerOptions o = SmallWindow();
  o.permitted_number_of_calls_in_half_open_state = 4;  // 2 failures of 4 = 50 %: certain fail.
  auto b = MakeBreaker(o, clock);
  TransitionLog log(*b);
  Fail(*b, 4);
  clock.Advance(absl::Seconds(10));
  Fail(*b);
  EXPECT_EQ(b->state(), State::kHalfOpen);
  Fail(*b);
  EXPECT_EQ(b->state(), State::kOpen);
  EXPECT_EQ(log.events.back().reason, TransitionReason::kTrialFailed);
}

TEST(CircuitBreakerTest, HalfOpenMaxWaitSendsBackToOpen) {
  SimulatedClock clock;
  CircuitBreakerOptions o = SmallWindow();
  o.max_wait_duration_in_half_open_state = absl::Seconds(3);
  auto b = MakeBreaker(o, clock);
  TransitionLog log(*b);
  Fail(*b, 4);
  clock.Advance(absl::Seconds(10));
  ASSERT_TRUE(b->TryAcquirePermission());  // Trial starts; the call never reports back.
  clock.Advance(absl::Seconds(3));
  EXPECT_EQ(b->state(), State::kOpen);
  EXPECT_EQ(log.events.back().reason, TransitionReason::kTrialTimedOut);
}

TEST(CircuitBreakerTest, OpenWaitGrowsOnRepeatedTripsAndIsCapped) {
  SimulatedClock clock;
  CircuitBreakerOptions o = SmallWindow();
  o.open_wait_multiplier = 2;
  o.max_wait_duration_in_open_state = absl::Seconds(35);
  o.permitted_number_of_calls_in_half_open_state = 1;
  auto b = MakeBreaker(o, clock);
  TransitionLog log(*b);
  Fail(*b, 4);
  std::vector<absl::Duration> waits;
  for (int trip = 0; trip < 4; ++trip) {
    waits.push_back(log.events.back().open_wait);
    clock.Advance(log.events.back().open_wait);
    Fail(*b);  // The single trial call fails: OPEN again.
  }
  EXPECT_EQ(waits, (std::vector<absl::Duration>{absl::Seconds(10), absl::Seconds(20),
                                                absl::Seconds(35), absl::Seconds(35)}));
  // A passed trial resets the growth.
  clock.Advance(absl::Seconds(35));
  Succeed(*b);
  ASSERT_EQ(b->state(), State::kClosed);
  Fail(*b, 4);
  EXPECT_EQ(log.events.back().open_wait, absl::Seconds(10));
}

TEST(CircuitBreakerTest, ConsecutiveFailuresTripBeforeMinimumCalls) {
  SimulatedClock clock;
  CircuitBreakerOptions o;
  o.consecutive_failures_threshold = 3;  // Window defaults: 100 calls, 100 minimum.
  auto b = MakeBreaker(o, clock);
  TransitionLog log(*b);
  Fail(*b, 2);
  Succeed(*b);  // Breaks the run.
  Fail(*b, 2);
  EXPECT_EQ(b->state(), State::kClosed);
  Fail(*b);
  EXPECT_EQ(b->state(), State::kOpen);
  EXPECT_EQ(log.events.back().reason, TransitionReason::kConsecutiveFailures);
}

TEST(CircuitBreakerTest, SlowCallsTripOnSlowRate) {
  SimulatedClock clock;
  CircuitBreakerOptions o = SmallWindow();
  o.slow_call_duration_threshold = absl::Milliseconds(100);
  o.slow_call_rate_threshold = 75;
  auto b = MakeBreaker(o, clock);
  TransitionLog log(*b);
  ASSERT_TRUE(Call(*b, absl::OkStatus(), absl::Milliseconds(100)));  // Not slow: not above.
  ASSERT_TRUE(Call(*b, absl::OkStatus(), absl::Milliseconds(101)));
  ASSERT_TRUE(Call(*b, absl::OkStatus(), absl::Milliseconds(500)));
  ASSERT_TRUE(Call(*b, absl::OkStatus(), absl::Milliseconds(500)));
  EXPECT_EQ(b->state(), State::kOpen);  // 3 of 4 slow = 75 %.
  EXPECT_EQ(log.events.back().reason, TransitionReason::kSlowCallRate);
  EXPECT_DOUBLE_EQ(log.events.back().slow_call_rate, 75.0);
}

TEST(CircuitBreakerTest, ExecuteTimesTheCallOnTheClock) {
  SimulatedClock clock;
  CircuitBreakerOptions o = SmallWindow();
  o.slow_call_duration_threshold = absl::Seconds(1);
  auto b = MakeBreaker(o, clock);
  for (int i = 0; i < 4; ++i) {
    absl::StatusOr<int> r = b->Execute([&]() -> absl::StatusOr<int> {
      clock.Advance(absl::Seconds(2));
      return 7;
    });
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, 7);
  }
  EXPECT_EQ(b->metrics().slow_calls, 4);
  EXPECT_EQ(b->state(), State::kOpen);
  const absl::StatusOr<int> refused = b->Execute([]() -> absl::StatusOr<int> { return 1; });
  EXPECT_TRUE(IsCallNotPermitted(refused.status()));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(refused.status().message().find("'test' is OPEN"), std::string::npos);
  EXPECT_FALSE(IsCallNotPermitted(absl::UnavailableError("down")));
}

TEST(CircuitBreakerTest, IgnoredCodesAreNotCounted) {
  SimulatedClock clock;
  CircuitBreakerOptions o = SmallWindow();
  o.ignore_codes = {absl::StatusCode::kNotFound};
  auto b = MakeBreaker(o, clock);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Call(*b, absl::NotFoundError("no such key")));
  EXPECT_EQ(b->metrics().buffered_calls, 0);
  EXPECT_EQ(b->state(), State::kClosed);
}

TEST(CircuitBreakerTest, RecordCodesLimitWhatCountsAsFailure) {
  SimulatedClock clock;
  CircuitBreakerOptions o = SmallWindow();
  o.record_codes = {absl::StatusCode::kUnavailable, absl::StatusCode::kDeadlineExceeded};
  auto b = MakeBreaker(o, clock);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(Call(*b, absl::InvalidArgumentError("bad request")));
  EXPECT_EQ(b->metrics().buffered_calls, 4);
  EXPECT_EQ(b->metrics().failed_calls, 0);  // Counted as successes.
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(Call(*b, absl::DeadlineExceededError("slow")));
  EXPECT_EQ(b->state(), State::kOpen);
}

TEST(CircuitBreakerTest, PredicatesClassifyErrors) {
  SimulatedClock clock;
  CircuitBreakerOptions o = SmallWindow();
  o.ignore_predicate = [](const absl::Status& s) { return s.message() == "cancelled by user"; };
  o.record_predicate = [](const absl::Status& s) { return s.message() != "benign"; };
  auto b = MakeBreaker(o, clock);
  ASSERT_TRUE(Call(*b, absl::UnavailableError("cancelled by user")));
  ASSERT_TRUE(Call(*b, absl::UnavailableError("benign")));
  EXPECT_EQ(b->metrics().buffered_calls, 1);
  EXPECT_EQ(b->metrics().failed_calls, 0);
  Fail(*b, 3);
  EXPECT_EQ(b->state(), State::kOpen);  // The benign error counted as the 4th call: 3 of 4.
}

TEST(CircuitBreakerTest, IgnoredErrorInHalfOpenReturnsThePermit) {
  SimulatedClock clock;
  CircuitBreakerOptions o = SmallWindow();
  o.ignore_codes = {absl::StatusCode::kCancelled};
  o.permitted_number_of_calls_in_half_open_state = 1;
  auto b = MakeBreaker(o, clock);
  Fail(*b, 4);
  clock.Advance(absl::Seconds(10));
  ASSERT_TRUE(Call(*b, absl::CancelledError("client went away")));
  EXPECT_EQ(b->state(), State::kHalfOpen);
  EXPECT_TRUE(b->TryAcquirePermission());  // The permit came back.
}

TEST(CircuitBreakerTest, DisabledPermitsEverythingAndJudgesNothing) {
  SimulatedClock clock;
  auto b = MakeBreaker(SmallWindow(), clock);
  b->TransitionToDisabled();
  Fail(*b, 50);
  EXPECT_EQ(b->state(), State::kDisabled);
  EXPECT_EQ(b->metrics().buffered_calls, 0);
}

TEST(CircuitBreakerTest, ForcedOpenRefusesUntilForcedClosed) {
  SimulatedClock clock;
  auto b = MakeBreaker(SmallWindow(), clock);
  TransitionLog log(*b);
  b->TransitionToForcedOpen();
  clock.Advance(absl::Hours(24));
  EXPECT_FALSE(b->TryAcquirePermission());
  EXPECT_EQ(b->state(), State::kForcedOpen);
  b->TransitionToClosed();
  EXPECT_TRUE(b->TryAcquirePermission());
  b->ReleasePermission();
  EXPECT_EQ(log.entries, (std::vector<std::string>{"CLOSED->FORCED_OPEN", "FORCED_OPEN->CLOSED"}));
  EXPECT_EQ(log.events[0].reason, TransitionReason::kManual);
}

TEST(CircuitBreakerTest, ManualTransitionsAndCounters) {
  SimulatedClock clock;
  auto b = MakeBreaker(SmallWindow(), clock);
  b->TransitionToOpen();
  b->TransitionToOpen();  // Already OPEN: no event, no new wait.
  b->TransitionToHalfOpen();
  b->TransitionToClosed();
  Fail(*b, 4);
  const CircuitBreakerMetrics m = b->metrics();
  EXPECT_EQ(m.transitions[0][1], 2u);  // CLOSED -> OPEN twice.
  EXPECT_EQ(m.transitions[1][2], 1u);
  EXPECT_EQ(m.transitions[2][0], 1u);
}

TEST(CircuitBreakerTest, ResetEmptiesTheWindow) {
  SimulatedClock clock;
  auto b = MakeBreaker(SmallWindow(), clock);
  Fail(*b, 3);
  b->Reset();
  Fail(*b, 3);
  EXPECT_EQ(b->state(), State::kClosed);
  EXPECT_EQ(b->metrics().failed_calls, 3);
}

TEST(CircuitBreakerTest, TimeBasedWindowJudgesOnlyRecentCalls) {
  SimulatedClock clock;
  CircuitBreakerOptions o = SmallWindow();
  o.sliding_window_type = SlidingWindowType::kTimeBased;
  o.sliding_window_duration = absl::Seconds(2);
  o.minimum_number_of_calls = 4;
  auto b = MakeBreaker(o, clock);
  Fail(*b, 3);
  clock.Advance(absl::Seconds(3));  // Those failures leave the window.
  Succeed(*b, 2);
  Fail(*b, 1);
  EXPECT_EQ(b->state(), State::kClosed);
  EXPECT_EQ(b->metrics().buffered_calls, 3);
  Fail(*b, 1);  // 2 of 4 = 50 %.
  EXPECT_EQ(b->state(), State::kOpen);
}

TEST(CircuitBreakerTest, ListenerMayCallBackIntoTheBreaker) {
  SimulatedClock clock;
  auto b = MakeBreaker(SmallWindow(), clock);
  std::vector<std::string> seen;
  b->AddListener([&](const StateTransitionEvent& e) {
    seen.push_back(std::string(StateName(e.to)));
    if (e.to == State::kOpen) b->TransitionToForcedOpen();  // Nested transition.
  });
  Fail(*b, 4);
  EXPECT_EQ(seen, (std::vector<std::string>{"OPEN", "FORCED_OPEN"}));
  EXPECT_EQ(b->state(), State::kForcedOpen);
}

TEST(CircuitBreakerTest, EventDescribesItself) {
  SimulatedClock clock;
  auto b = MakeBreaker(SmallWindow(), clock);
  TransitionLog log(*b);
  Fail(*b, 4);
  EXPECT_EQ(log.events[0].ToString(),
            "breaker 'test': CLOSED -> OPEN because of failure rate (failure 100.0%, slow 0.0%, "
            "open for 10s)");
}

TEST(CircuitBreakerTest, CreateRejectsBadOptions) {
  SimulatedClock clock;
  CircuitBreakerOptions o;
  o.failure_rate_threshold = 0;
  const auto b = CircuitBreaker::Create("orders", o, clock);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(b.status().message().find("breaker 'orders'"), std::string::npos);
  EXPECT_NE(b.status().message().find("failure_rate_threshold"), std::string::npos);
  EXPECT_FALSE(CircuitBreaker::Create("", CircuitBreakerOptions(), clock).ok());
}

TEST(CircuitBreakerTest, DestroyingCancelsPendingTimer) {
  SimulatedClock clock;
  CircuitBreakerOptions o = SmallWindow();
  o.automatic_transition_from_open_to_half_open = true;
  {
    auto b = MakeBreaker(o, clock);
    Fail(*b, 4);
    EXPECT_TRUE(clock.NextTimerDue().has_value());
  }
  EXPECT_FALSE(clock.NextTimerDue().has_value());
  clock.Advance(absl::Seconds(20));  // Would touch a destroyed breaker if the timer survived.
}

}  // namespace
}  // namespace failover
