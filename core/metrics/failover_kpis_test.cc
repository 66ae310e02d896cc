#include "core/metrics/failover_kpis.h"

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(FailoverKpisTest, ReferenceWorkedExample) {
  const FailoverCounts counts{90, 8, 1, 1};
  EXPECT_EQ(counts.failovers(), 10u);
  const FailoverKpis kpis = ComputeFailoverKpis(counts);
  EXPECT_DOUBLE_EQ(kpis.success_rate, 0.90);
  EXPECT_DOUBLE_EQ(kpis.failover_rate, 0.10);
  EXPECT_DOUBLE_EQ(kpis.recovery_rate, 0.80);
  EXPECT_DOUBLE_EQ(kpis.non_recovery_rate, 0.20);
  EXPECT_DOUBLE_EQ(kpis.healthy_rate, 0.98);
  EXPECT_EQ(kpis.health, FailoverHealth::kDegraded);
}

TEST(FailoverKpisTest, ZeroDenominatorsGiveZero) {
  FailoverKpis none = ComputeFailoverKpis(FailoverCounts{});
  EXPECT_DOUBLE_EQ(none.success_rate, 0);
  EXPECT_DOUBLE_EQ(none.healthy_rate, 0);
  EXPECT_EQ(none.health, FailoverHealth::kUnhealthy);
  // No failovers: recovery and non-recovery have a zero denominator, the rest do not.
  FailoverKpis clean = ComputeFailoverKpis(FailoverCounts{5, 0, 0, 0});
  EXPECT_DOUBLE_EQ(clean.success_rate, 1);
  EXPECT_DOUBLE_EQ(clean.recovery_rate, 0);
  EXPECT_DOUBLE_EQ(clean.non_recovery_rate, 0);
  EXPECT_DOUBLE_EQ(clean.healthy_rate, 1);
  EXPECT_EQ(clean.health, FailoverHealth::kHealthy);
}

TEST(FailoverKpisTest, ThresholdsAreInclusiveFloors) {
  const HealthThresholdsConfig defaults;
  EXPECT_EQ(ClassifyHealth(0.99, defaults), FailoverHealth::kHealthy);
  EXPECT_EQ(ClassifyHealth(0.9899, defaults), FailoverHealth::kDegraded);
  EXPECT_EQ(ClassifyHealth(0.90, defaults), FailoverHealth::kDegraded);
  EXPECT_EQ(ClassifyHealth(0.8999, defaults), FailoverHealth::kUnhealthy);
  HealthThresholdsConfig lenient;
  lenient.degraded_threshold = 0.95;
  lenient.unhealthy_threshold = 0.5;
  EXPECT_EQ(ComputeFailoverKpis(FailoverCounts{90, 8, 1, 1}, lenient).health,
            FailoverHealth::kHealthy);
  EXPECT_EQ(ComputeFailoverKpis(FailoverCounts{1, 0, 1, 1}, lenient).health,
            FailoverHealth::kUnhealthy);
}

TEST(FailoverKpisTest, CountsAdd) {
  FailoverCounts sum{1, 2, 3, 4};
  sum += FailoverCounts{10, 20, 30, 40};
  EXPECT_EQ(sum.stored_successes, 11u);
  EXPECT_EQ(sum.recovered, 22u);
  EXPECT_EQ(sum.not_recovered, 33u);
  EXPECT_EQ(sum.errors, 44u);
  EXPECT_EQ(FailoverHealthName(FailoverHealth::kHealthy), "HEALTHY");
  EXPECT_EQ(FailoverHealthName(FailoverHealth::kDegraded), "DEGRADED");
  EXPECT_EQ(FailoverHealthName(FailoverHealth::kUnhealthy), "UNHEALTHY");
}

}  // namespace
}  // namespace failover
