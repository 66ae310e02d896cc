#include "dashboard/demo/demo_instance.h"

#include <map>
#include <string>

#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

// Sum of the counter `name` over the series whose tags include every pair of `match`.
double Sum(const MetricsSnapshot& snapshot, absl::string_view name,
           const std::map<std::string, std::string>& match) {
  double sum = 0;
  for (const SeriesSnapshot& series : snapshot.series()) {
    if (series.name != name) continue;
    bool all = true;
    for (const auto& [key, value] : match) all &= series.tags.Find(key) == value;
    if (all) sum += series.value;
  }
  return sum;
}

// The reference's healthy rate: (S + recovered) / (S + F).
double Healthy(const MetricsSnapshot& snapshot, const std::string& api) {
  const double stored = Sum(snapshot, "failover.store.total", {{"name", api}, {"stored", "true"}});
  const double recovered =
      Sum(snapshot, "failover.recovery.outcome.total", {{"name", api}, {"outcome", "recovered"}});
  const double failed = Sum(snapshot, "failover.recovery.outcome.total", {{"name", api}});
  return (stored + recovered) / (stored + failed);
}

TEST(DemoInstanceTest, ApisLandInTheirHealthBands) {
  SeededRandom random(3);
  DemoInstance instance("demo-orders-1", random);
  for (int i = 0; i < 5000; ++i) instance.Tick();
  const MetricsSnapshot snapshot = instance.registry().Snapshot();
  EXPECT_GE(Healthy(snapshot, "quotes"), 0.99);  // HEALTHY
  EXPECT_GE(Healthy(snapshot, "pricing"), 0.93);
  EXPECT_LT(Healthy(snapshot, "pricing"), 0.97);  // DEGRADED
  EXPECT_GE(Healthy(snapshot, "inventory"), 0.65);
  EXPECT_LT(Healthy(snapshot, "inventory"), 0.75);  // UNHEALTHY
  EXPECT_GT(Sum(snapshot, "failover.exception.total",
                {{"name", "inventory"}, {"exception_type", "DEADLINE_EXCEEDED"}}),
            0);
  EXPECT_GT(Sum(snapshot, "failover.call.total", {{"name", "quotes"}, {"result", "success"}}), 0);
}

TEST(DemoInstanceTest, RedisFailsOverToTheReplicaAndBack) {
  SeededRandom random(11);
  DemoInstance instance("demo-orders-1", random);
  bool saw_replica = false;
  bool back_to_primary = false;
  for (int i = 0; i < 20000 && !back_to_primary; ++i) {
    instance.Tick();
    if (instance.active_redis_endpoint() == "replica") saw_replica = true;
    if (saw_replica && instance.active_redis_endpoint() == "primary") back_to_primary = true;
    if (instance.active_redis_endpoint() == "replica") {
      const MetricsSnapshot snapshot = instance.registry().Snapshot();
      const SeriesSnapshot* active =
          snapshot.Find("failover.redis.endpoint.active", {{"endpoint", "replica"}});
      ASSERT_NE(active, nullptr);
      EXPECT_EQ(active->value, 1);
    }
  }
  EXPECT_TRUE(saw_replica);
  EXPECT_TRUE(back_to_primary);
  const MetricsSnapshot snapshot = instance.registry().Snapshot();
  EXPECT_GE(Sum(snapshot, "failover.redis.switches.total", {{"reason", "FAILBACK"}}), 1);
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
