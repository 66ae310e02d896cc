#include "core/metrics/cardinality_guard.h"

#include "gtest/gtest.h"

namespace failover {
namespace {

CardinalityOptions Cap(int max_apis) { return CardinalityOptions{true, max_apis}; }

TEST(CardinalityGuardTest, AdmitsUpToTheCapThenDeniesNewNames) {
  CardinalityGuard guard(Cap(2));
  EXPECT_TRUE(guard.Admit("failover.call.total", {{"name", "a"}}));
  EXPECT_TRUE(guard.Admit("failover.store.total", {{"name", "b"}}));
  EXPECT_FALSE(guard.Admit("failover.call.total", {{"name", "c"}}));
  EXPECT_FALSE(guard.Admit("failover.store.total", {{"name", "c"}}));
  EXPECT_EQ(guard.admitted_names(), 2u);
}

TEST(CardinalityGuardTest, KnownNamesKeepPassingAcrossMeters) {
  CardinalityGuard guard(Cap(1));
  EXPECT_TRUE(guard.Admit("failover.call.total", {{"name", "a"}, {"result", "success"}}));
  EXPECT_TRUE(guard.Admit("failover.call.total", {{"name", "a"}, {"result", "failover"}}));
  EXPECT_TRUE(guard.Admit("failover.operation.duration", {{"name", "a"}}));
  EXPECT_EQ(guard.admitted_names(), 1u);
}

TEST(CardinalityGuardTest, UnguardedMetersAlwaysPass) {
  CardinalityGuard guard(Cap(1));
  EXPECT_TRUE(guard.Admit("failover.call.total", {{"name", "a"}}));
  EXPECT_TRUE(guard.Admit("http.server.requests", {{"name", "b"}}));
  EXPECT_TRUE(guard.Admit("failoverish", {{"name", "c"}}));
  EXPECT_TRUE(guard.Admit("failover.metrics.denied.total", {{"name", "d"}}));
  EXPECT_TRUE(guard.Admit("failover.live.entries", {}));  // no name tag
  EXPECT_EQ(guard.admitted_names(), 1u);
  EXPECT_TRUE(CardinalityGuard::Guards("failover.call.total"));
  EXPECT_FALSE(CardinalityGuard::Guards("failover.metrics.dropped.total"));
  EXPECT_FALSE(CardinalityGuard::Guards("redis.commands"));
}

TEST(CardinalityGuardTest, DisabledGuardAdmitsEverything) {
  CardinalityGuard guard(CardinalityOptions{false, 1});
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(guard.Admit("failover.call.total", {{"name", std::to_string(i)}}));
  }
  EXPECT_EQ(guard.admitted_names(), 0u);
}

TEST(CardinalityGuardTest, ReleasingTheLastSeriesOfANameFreesItsSlot) {
  CardinalityGuard guard(Cap(1));
  EXPECT_TRUE(guard.Admit("failover.call.total", {{"name", "a"}}));
  EXPECT_TRUE(guard.Admit("failover.store.total", {{"name", "a"}}));
  guard.Release("failover.call.total", {{"name", "a"}});
  EXPECT_FALSE(guard.Admit("failover.call.total", {{"name", "b"}})) << "a has a series left";
  guard.Release("failover.store.total", {{"name", "a"}});
  EXPECT_EQ(guard.admitted_names(), 0u);
  EXPECT_TRUE(guard.Admit("failover.call.total", {{"name", "b"}}));
  EXPECT_FALSE(guard.Admit("failover.call.total", {{"name", "a"}}));
}

TEST(CardinalityGuardTest, ReleaseIgnoresWhatTheGuardDoesNotCount) {
  CardinalityGuard guard(Cap(1));
  EXPECT_TRUE(guard.Admit("failover.call.total", {{"name", "a"}}));
  guard.Release("http.requests", {{"name", "a"}});
  guard.Release("failover.call.total", {});
  guard.Release("failover.call.total", {{"name", "unknown"}});
  EXPECT_EQ(guard.admitted_names(), 1u);
}

}  // namespace
}  // namespace failover
