#include "redis-failover/availability.h"

#include <vector>

#include "core/simulated_clock.h"
#include "gtest/gtest.h"

namespace failover {
namespace redis {
namespace {

RedisAllDownOptions ThreeTimesTen() {
  RedisAllDownOptions o;
  o.max_attempts = 3;
  o.delay = absl::Seconds(10);
  return o;
}

TEST(AvailabilityTrackerTest, TemporaryThenPermanentThenRecovered) {
  SimulatedClock clock;
  AvailabilityTracker tracker(clock, ThreeTimesTen());
  std::vector<AvailabilityEvent> events;
  tracker.AddListener([&](const AvailabilityEvent& e) { events.push_back(e); });
  EXPECT_EQ(tracker.state(), Availability::kAvailable);

  tracker.OnAllDown();
  EXPECT_EQ(tracker.state(), Availability::kTemporarilyUnavailable);
  clock.Advance(absl::Seconds(29));
  absl::Status temporary = tracker.Error("east: unhealthy");
  EXPECT_EQ(temporary.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(IsAllEndpointsDown(temporary));
  EXPECT_FALSE(IsPermanentlyUnavailable(temporary));
  EXPECT_EQ(temporary.message(),
            "all Redis endpoints are temporarily unavailable (down for 29s; east: unhealthy)");

  clock.Advance(absl::Seconds(1));  // 3 x 10 s.
  EXPECT_EQ(tracker.state(), Availability::kUnavailable);
  absl::Status permanent = tracker.Error("");
  EXPECT_TRUE(IsAllEndpointsDown(permanent));
  EXPECT_TRUE(IsPermanentlyUnavailable(permanent));
  EXPECT_EQ(permanent.message(),
            "all Redis endpoints are unavailable (down for 30s, more than 3 x 10s)");

  clock.Advance(absl::Seconds(5));
  tracker.OnRecovered();
  EXPECT_EQ(tracker.state(), Availability::kAvailable);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].ToString(), "AVAILABLE -> TEMPORARILY_UNAVAILABLE");
  EXPECT_EQ(events[1].ToString(), "TEMPORARILY_UNAVAILABLE -> UNAVAILABLE");
  EXPECT_EQ(events[1].down_for, absl::Seconds(30));
  EXPECT_EQ(events[2].ToString(), "UNAVAILABLE -> AVAILABLE");
  EXPECT_EQ(events[2].down_for, absl::Seconds(35));
}

TEST(AvailabilityTrackerTest, RecoveryBeforeTheDeadlineNeverBecomesPermanent) {
  SimulatedClock clock;
  AvailabilityTracker tracker(clock, ThreeTimesTen());
  std::vector<AvailabilityEvent> events;
  tracker.AddListener([&](const AvailabilityEvent& e) { events.push_back(e); });
  tracker.OnAllDown();
  clock.Advance(absl::Seconds(20));
  tracker.OnRecovered();
  tracker.OnRecovered();  // Repeated: ignored.
  clock.Advance(absl::Seconds(60));
  EXPECT_EQ(tracker.state(), Availability::kAvailable);
  // A second outage starts its own count.
  tracker.OnAllDown();
  tracker.OnAllDown();
  clock.Advance(absl::Seconds(29));
  EXPECT_EQ(tracker.state(), Availability::kTemporarilyUnavailable);
  clock.Advance(absl::Seconds(1));
  EXPECT_EQ(tracker.state(), Availability::kUnavailable);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[1].down_for, absl::Seconds(20));
  EXPECT_EQ(events[3].to, Availability::kUnavailable);
}

TEST(AvailabilityTrackerTest, OtherErrorsAreNotAllDown) {
  EXPECT_FALSE(IsAllEndpointsDown(absl::UnavailableError("connection refused")));
  EXPECT_FALSE(IsAllEndpointsDown(absl::OkStatus()));
  EXPECT_FALSE(IsPermanentlyUnavailable(absl::UnavailableError("x")));
}

}  // namespace
}  // namespace redis
}  // namespace failover
