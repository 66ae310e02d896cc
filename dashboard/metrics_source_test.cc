#include "dashboard/metrics_source.h"

#include <string>
#include <utility>

#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

InstanceStatus Instance(std::string id, Liveness liveness) {
  InstanceStatus instance;
  instance.instance_id = std::move(id);
  instance.liveness = liveness;
  return instance;
}

TEST(LivenessNameTest, NamesEveryState) {
  EXPECT_EQ(LivenessName(Liveness::kLive), "LIVE");
  EXPECT_EQ(LivenessName(Liveness::kDown), "DOWN");
  EXPECT_EQ(LivenessName(Liveness::kUnknown), "UNKNOWN");
}

TEST(CountByLivenessTest, CountsEachStateSeparately) {
  const LivenessCounts counts =
      CountByLiveness({Instance("a", Liveness::kLive), Instance("b", Liveness::kDown),
                       Instance("c", Liveness::kLive), Instance("d", Liveness::kUnknown),
                       Instance("e", Liveness::kLive), Instance("f", Liveness::kDown)});
  EXPECT_EQ(counts.live, 3);
  EXPECT_EQ(counts.down, 2);
  EXPECT_EQ(counts.unknown, 1);
}

TEST(CountByLivenessTest, ZeroForNoInstances) {
  const LivenessCounts counts = CountByLiveness({});
  EXPECT_EQ(counts.live, 0);
  EXPECT_EQ(counts.down, 0);
  EXPECT_EQ(counts.unknown, 0);
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
