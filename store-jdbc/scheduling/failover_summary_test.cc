#include "store-jdbc/scheduling/failover_summary.h"

#include "core/metrics/metrics_registry.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

void Count(MetricsRegistry& registry, absl::string_view meter, const Tags& tags, uint64_t n) {
  registry.GetCounter(meter, tags).Increment(n);
}

// The reference's worked example: 90 successes, 8 recovered, 1 not recovered, 1 error.
void WorkedExample(MetricsRegistry& registry, absl::string_view name) {
  Count(registry, "failover.store.total", {{"name", name}, {"stored", "true"}}, 90);
  Count(registry, "failover.store.total", {{"name", name}, {"stored", "false"}}, 4);
  const Tags outcome{{"name", name}, {"domain", "orders"}};
  Count(registry, "failover.recovery.outcome.total", outcome.With("outcome", "recovered"), 8);
  Count(registry, "failover.recovery.outcome.total", outcome.With("outcome", "not_recovered"), 1);
  Count(registry, "failover.recovery.outcome.total", outcome.With("outcome", "error"), 1);
  Count(registry, "failover.call.total", outcome.With("result", "success"), 90);
  Count(registry, "failover.call.total", outcome.With("result", "failover"), 10);
}

TEST(FailoverSummaryTest, WorkedExample) {
  MetricsRegistry registry;
  WorkedExample(registry, "quotes");
  registry.GetCounter("failover.other.total", {{"name", "quotes"}}).Increment();  // ignored
  const std::vector<FailoverSummary> summaries = SummarizeFailovers(registry.Snapshot());
  ASSERT_EQ(summaries.size(), 1u);
  const FailoverSummary& s = summaries[0];
  EXPECT_EQ(s.name, "quotes");
  EXPECT_EQ(s.domain, "orders");
  EXPECT_EQ(s.stored_successes, 90u);
  EXPECT_EQ(s.failovers(), 10u);
  EXPECT_DOUBLE_EQ(s.success_rate, 0.90);
  EXPECT_DOUBLE_EQ(s.failover_rate, 0.10);
  EXPECT_DOUBLE_EQ(s.recovery_rate, 0.80);
  EXPECT_DOUBLE_EQ(s.non_recovery_rate, 0.20);
  EXPECT_DOUBLE_EQ(s.healthy_rate, 0.98);
  EXPECT_EQ(s.health, FailoverHealth::kDegraded);
  EXPECT_EQ(FormatFailoverSummary(s),
            "name=quotes domain=orders health=DEGRADED healthy=0.980 success=0.900 "
            "failover=0.100 recovery=0.800 non_recovery=0.200 stored=90 recovered=8 "
            "not_recovered=1 error=1 calls=90/10");
}

TEST(FailoverSummaryTest, ThresholdsAndZeroDenominators) {
  MetricsRegistry registry;
  WorkedExample(registry, "quotes");
  // Only a call counter: every KPI has a zero denominator.
  Count(registry, "failover.call.total", {{"name", "idle"}, {"result", "success"}}, 3);
  HealthThresholdsConfig lenient;
  lenient.degraded_threshold = 0.95;
  lenient.unhealthy_threshold = 0.5;
  const std::vector<FailoverSummary> summaries = SummarizeFailovers(registry.Snapshot(), lenient);
  ASSERT_EQ(summaries.size(), 2u);
  EXPECT_EQ(summaries[0].name, "idle");
  EXPECT_DOUBLE_EQ(summaries[0].success_rate, 0);
  EXPECT_DOUBLE_EQ(summaries[0].recovery_rate, 0);
  EXPECT_DOUBLE_EQ(summaries[0].healthy_rate, 0);
  EXPECT_EQ(summaries[0].health, FailoverHealth::kUnhealthy);
  EXPECT_EQ(summaries[1].health, FailoverHealth::kHealthy);  // 0.98 >= 0.95
  EXPECT_EQ(FailoverHealthName(FailoverHealth::kUnhealthy), "UNHEALTHY");
}

}  // namespace
}  // namespace failover
