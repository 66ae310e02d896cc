#include "dashboard/security/internal/failure_tracker.h"

#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace security_internal {
namespace {

const MonotonicTime kStart = MonotonicTime::FromNanos(1000000000);

TEST(FailureTrackerTest, LocksAfterMaxFailuresAndStartsOver) {
  FailureTracker tracker(2, absl::Seconds(10), 100);
  EXPECT_FALSE(tracker.RecordFailure("k", kStart));
  EXPECT_EQ(tracker.LockedFor("k", kStart), absl::ZeroDuration());
  EXPECT_TRUE(tracker.RecordFailure("k", kStart));
  EXPECT_EQ(tracker.LockedFor("k", kStart + absl::Seconds(3)), absl::Seconds(7));
  EXPECT_EQ(tracker.LockedFor("k", kStart + absl::Seconds(10)), absl::ZeroDuration());
  EXPECT_FALSE(tracker.RecordFailure("k", kStart + absl::Seconds(10)));
  EXPECT_EQ(tracker.LockedFor("other", kStart), absl::ZeroDuration());
}

TEST(FailureTrackerTest, ZeroLockoutNeverLocks) {
  FailureTracker tracker(1, absl::ZeroDuration(), 100);
  EXPECT_FALSE(tracker.RecordFailure("k", kStart));
  EXPECT_EQ(tracker.LockedFor("k", kStart), absl::ZeroDuration());
}

TEST(FailureTrackerTest, ResetKeepsAnActiveLockout) {
  FailureTracker tracker(2, absl::Seconds(10), 100);
  tracker.RecordFailure("k", kStart);
  tracker.Reset("k", kStart);
  EXPECT_FALSE(tracker.RecordFailure("k", kStart));  // Count started over.
  EXPECT_TRUE(tracker.RecordFailure("k", kStart));
  tracker.Reset("k", kStart);
  EXPECT_EQ(tracker.LockedFor("k", kStart), absl::Seconds(10));
}

TEST(FailureTrackerTest, AtCapacityForgetsUnlockedKeysFirst) {
  FailureTracker tracker(2, absl::Seconds(10), 2);
  EXPECT_TRUE(tracker.RecordFailure("locked", kStart) || tracker.RecordFailure("locked", kStart));
  tracker.RecordFailure("counting", kStart);
  EXPECT_EQ(tracker.size(), 2u);
  tracker.RecordFailure("new", kStart);  // "counting" is forgotten, "locked" stays.
  EXPECT_EQ(tracker.size(), 2u);
  EXPECT_EQ(tracker.LockedFor("locked", kStart), absl::Seconds(10));
  EXPECT_TRUE(tracker.RecordFailure("new", kStart));
  // Every tracked key is locked out: a new one is not tracked.
  EXPECT_FALSE(tracker.RecordFailure("third", kStart));
  EXPECT_FALSE(tracker.RecordFailure("third", kStart));
  EXPECT_EQ(tracker.LockedFor("third", kStart), absl::ZeroDuration());
}

}  // namespace
}  // namespace security_internal
}  // namespace dashboard
}  // namespace failover
