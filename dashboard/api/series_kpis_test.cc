#include "dashboard/api/series_kpis.h"

#include <cmath>
#include <limits>

#include "dashboard/api/testing/fake_metrics_source.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<v1::MetricSeries> Concat(std::vector<v1::MetricSeries> a,
                                     const std::vector<v1::MetricSeries>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(SeriesKpisTest, ReferenceWorkedExample) {
  std::vector<v1::MetricSeries> series = WorkedExampleSeries("quotes", "orders");
  series.push_back(CounterSeries("failover.other.total", {{"name", "quotes"}}, 5));  // ignored
  series.push_back(GaugeSeries("failover.store.total", {{"name", "quotes"}, {"stored", "true"}},
                               1000));  // not a counter: ignored
  const FleetKpis fleet = ComputeFleetKpis(series, HealthThresholdsConfig{});
  ASSERT_EQ(fleet.apis.size(), 1u);
  const ApiKpis& api = fleet.apis[0];
  EXPECT_EQ(api.name, "quotes");
  EXPECT_EQ(api.domain, "orders");
  EXPECT_EQ(api.counts.stored_successes, 90u);
  EXPECT_EQ(api.counts.recovered, 8u);
  EXPECT_EQ(api.counts.not_recovered, 1u);
  EXPECT_EQ(api.counts.errors, 1u);
  EXPECT_EQ(api.success_calls, 90u);
  EXPECT_EQ(api.failover_calls, 10u);
  EXPECT_DOUBLE_EQ(api.kpis.success_rate, 0.90);
  EXPECT_DOUBLE_EQ(api.kpis.failover_rate, 0.10);
  EXPECT_DOUBLE_EQ(api.kpis.recovery_rate, 0.80);
  EXPECT_DOUBLE_EQ(api.kpis.non_recovery_rate, 0.20);
  EXPECT_DOUBLE_EQ(api.kpis.healthy_rate, 0.98);
  EXPECT_EQ(api.kpis.health, FailoverHealth::kDegraded);
  EXPECT_FALSE(api.upstream_latency.has_value());
  EXPECT_FALSE(fleet.any_unhealthy());
  EXPECT_DOUBLE_EQ(fleet.total.healthy_rate, 0.98);
}

TEST(SeriesKpisTest, TotalsSumApisAndThresholdsApply) {
  std::vector<v1::MetricSeries> series = Concat(
      WorkedExampleSeries("quotes", "orders"),
      {CounterSeries("failover.store.total", {{"name", "prices"}, {"stored", "true"}}, 10),
       CounterSeries("failover.recovery.outcome.total",
                     {{"name", "prices"}, {"domain", ""}, {"outcome", "not_recovered"}}, 10)});
  HealthThresholdsConfig lenient;
  lenient.degraded_threshold = 0.95;
  lenient.unhealthy_threshold = 0.5;
  FleetKpis fleet = ComputeFleetKpis(series, lenient);
  ASSERT_EQ(fleet.apis.size(), 2u);
  EXPECT_EQ(fleet.apis[0].name, "prices");  // by name before sorting
  EXPECT_DOUBLE_EQ(fleet.apis[0].kpis.healthy_rate, 0.5);
  EXPECT_EQ(fleet.apis[0].kpis.health, FailoverHealth::kDegraded);  // 0.5 >= 0.5
  EXPECT_EQ(fleet.apis[1].kpis.health, FailoverHealth::kHealthy);   // 0.98 >= 0.95
  EXPECT_EQ(fleet.total_counts.stored_successes, 100u);
  EXPECT_EQ(fleet.total_counts.not_recovered, 11u);
  EXPECT_DOUBLE_EQ(fleet.total.healthy_rate, (100.0 + 8) / 120);
  EXPECT_FALSE(fleet.any_unhealthy());
  EXPECT_TRUE(ComputeFleetKpis(series, HealthThresholdsConfig{}).any_unhealthy());
}

TEST(SeriesKpisTest, ZeroDenominatorsGiveZero) {
  // Only calls: no stored successes and no recovery outcomes.
  const FleetKpis fleet = ComputeFleetKpis(
      {CounterSeries("failover.call.total", {{"name", "idle"}, {"result", "success"}}, 3)},
      HealthThresholdsConfig{});
  ASSERT_EQ(fleet.apis.size(), 1u);
  EXPECT_EQ(fleet.apis[0].success_calls, 3u);
  EXPECT_DOUBLE_EQ(fleet.apis[0].kpis.success_rate, 0);
  EXPECT_DOUBLE_EQ(fleet.apis[0].kpis.recovery_rate, 0);
  EXPECT_DOUBLE_EQ(fleet.apis[0].kpis.non_recovery_rate, 0);
  EXPECT_DOUBLE_EQ(fleet.apis[0].kpis.healthy_rate, 0);
  EXPECT_EQ(fleet.apis[0].kpis.health, FailoverHealth::kUnhealthy);  // the reference's formula
  EXPECT_DOUBLE_EQ(ComputeFleetKpis({}, HealthThresholdsConfig{}).total.healthy_rate, 0);
  // ... but the dashboard shows an API without traffic as IDLE, and it does not make it DOWN.
  EXPECT_TRUE(fleet.apis[0].idle());
  EXPECT_EQ(ApiHealthName(fleet.apis[0]), "IDLE");
  EXPECT_FALSE(fleet.any_unhealthy());
}

TEST(SeriesKpisTest, IdleApisSortLastAndNeverMakeTheFleetDown) {
  const FleetKpis fleet = ComputeFleetKpis(
      {CounterSeries("failover.store.total", {{"name", "idle"}, {"stored", "true"}}, 0),
       CounterSeries("failover.store.total", {{"name", "busy"}, {"stored", "true"}}, 50),
       CounterSeries("failover.recovery.outcome.total",
                     {{"domain", "busy"}, {"name", "busy"}, {"outcome", "error"}}, 50)},
      HealthThresholdsConfig{});
  ASSERT_EQ(fleet.apis.size(), 2u);
  std::vector<ApiKpis> apis = fleet.apis;
  SortWorstFirst(apis);
  EXPECT_EQ(apis[0].name, "busy");
  EXPECT_EQ(ApiHealthName(apis[0]), "UNHEALTHY");
  EXPECT_EQ(apis[1].name, "idle");
  EXPECT_EQ(ApiHealthName(apis[1]), "IDLE");
  EXPECT_TRUE(fleet.any_unhealthy());  // busy is
}

TEST(SeriesKpisTest, WorstFirst) {
  std::vector<ApiKpis> apis(4);
  apis[0].name = "a";
  apis[0].counts = {99, 0, 1, 0};
  apis[0].kpis = ComputeFailoverKpis(apis[0].counts);  // 0.99 HEALTHY
  apis[1].name = "b";
  apis[1].counts = {95, 0, 5, 0};
  apis[1].kpis = ComputeFailoverKpis(apis[1].counts);  // 0.95 DEGRADED
  apis[2].name = "c";
  apis[2].counts = {50, 0, 50, 0};
  apis[2].kpis = ComputeFailoverKpis(apis[2].counts);  // 0.50 UNHEALTHY
  apis[3].name = "d";
  apis[3].counts = {92, 0, 8, 0};
  apis[3].kpis = ComputeFailoverKpis(apis[3].counts);  // 0.92 DEGRADED
  SortWorstFirst(apis);
  EXPECT_EQ(apis[0].name, "c");
  EXPECT_EQ(apis[1].name, "d");
  EXPECT_EQ(apis[2].name, "b");
  EXPECT_EQ(apis[3].name, "a");
}

TEST(SeriesKpisTest, ExceptionsLargestFirst) {
  const std::vector<ExceptionCount> counts = CountExceptions({
      CounterSeries("failover.exception.total",
                    {{"name", "quotes"}, {"exception_type", "Timeout"}, {"cause", "a"}}, 2),
      CounterSeries("failover.exception.total",
                    {{"name", "quotes"}, {"exception_type", "Timeout"}, {"cause", "b"}}, 3),
      CounterSeries("failover.exception.total", {{"name", "prices"}, {"exception_type", "Refused"}},
                    7),
      CounterSeries("failover.exception.total", {{"name", "prices"}, {"exception_type", "Io"}}, 1),
      CounterSeries("failover.call.total", {{"name", "prices"}, {"result", "failover"}}, 100),
  });
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0].name, "prices");
  EXPECT_EQ(counts[0].exception_type, "Refused");
  EXPECT_EQ(counts[0].count, 7u);
  EXPECT_EQ(counts[1].exception_type, "Timeout");
  EXPECT_EQ(counts[1].count, 5u);  // summed over `cause`
  EXPECT_EQ(counts[2].exception_type, "Io");
}

TEST(SeriesKpisTest, HistogramQuantiles) {
  v1::Histogram histogram =
      HistogramSeries("h", {}, {{0.1, 50}, {0.5, 90}, {1.0, 100}, {kInf, 100}}, 20, 0.8)
          .histogram();
  EXPECT_DOUBLE_EQ(HistogramQuantile(histogram, 0.5), 0.1);    // rank 50: top of bucket 1
  EXPECT_DOUBLE_EQ(HistogramQuantile(histogram, 0.25), 0.05);  // halfway into [0, 0.1]
  EXPECT_DOUBLE_EQ(HistogramQuantile(histogram, 0.7), 0.3);    // halfway into [0.1, 0.5]
  EXPECT_DOUBLE_EQ(HistogramQuantile(histogram, 0.99), 0.8);   // 0.95 in (0.5, 1], capped at max
  v1::Histogram overflow = HistogramSeries("h", {}, {{0.1, 1}, {kInf, 10}}, 50, 9).histogram();
  EXPECT_DOUBLE_EQ(HistogramQuantile(overflow, 0.99), 9);  // +Inf bucket: the max
  EXPECT_DOUBLE_EQ(HistogramQuantile(v1::Histogram(), 0.5), 0);
}

TEST(SeriesKpisTest, UpstreamLatencyMergesResultsAndOperationsByAction) {
  std::vector<v1::MetricSeries> series = WorkedExampleSeries("quotes", "orders");
  series.push_back(HistogramSeries("failover.operation.duration",
                                   {{"name", "quotes"}, {"action", "store"}},
                                   {{0.01, 10}, {kInf, 10}}, 0.05, 0.009));
  series.push_back(HistogramSeries("failover.upstream.duration",
                                   {{"name", "quotes"}, {"result", "failure"}},
                                   {{0.1, 0}, {1, 10}, {kInf, 10}}, 5, 0.9));
  series.push_back(HistogramSeries("failover.upstream.duration",
                                   {{"name", "quotes"}, {"result", "success"}},
                                   {{0.1, 90}, {1, 90}, {kInf, 90}}, 4.5, 0.09));
  const FleetKpis fleet = ComputeFleetKpis(series, HealthThresholdsConfig{});
  ASSERT_EQ(fleet.apis.size(), 1u);
  ASSERT_TRUE(fleet.apis[0].upstream_latency.has_value());
  const LatencySummary& upstream = *fleet.apis[0].upstream_latency;
  EXPECT_EQ(upstream.count, 100u);
  EXPECT_DOUBLE_EQ(upstream.max, 0.9);
  EXPECT_DOUBLE_EQ(upstream.p50, 0.1 * 50 / 90);
  EXPECT_GT(upstream.p99, 0.1);
  ASSERT_EQ(fleet.apis[0].operation_latency.count("store"), 1u);
  EXPECT_EQ(fleet.apis[0].operation_latency.at("store").count, 10u);
}

TEST(SeriesKpisTest, MergeHistogramsOverTheUnionOfBounds) {
  const v1::Histogram a = HistogramSeries("h", {}, {{1, 1}, {kInf, 2}}, 3, 2).histogram();
  const v1::Histogram b =
      HistogramSeries("h", {}, {{0.5, 3}, {2, 4}, {kInf, 4}}, 1, 1.5).histogram();
  const v1::Histogram merged = MergeHistograms(a, b);
  ASSERT_EQ(merged.buckets_size(), 4);
  EXPECT_EQ(merged.buckets(0).upper_bound(), 0.5);
  EXPECT_EQ(merged.buckets(0).cumulative_count(), 3u);  // a has nothing at or below 0.5
  EXPECT_EQ(merged.buckets(1).cumulative_count(), 4u);  // a's 1 at 1 + b's 3 at 0.5
  EXPECT_EQ(merged.buckets(2).cumulative_count(), 5u);  // a's 1 + b's 4
  EXPECT_TRUE(std::isinf(merged.buckets(3).upper_bound()));
  EXPECT_EQ(merged.buckets(3).cumulative_count(), 6u);
  EXPECT_EQ(merged.count(), 6u);
  EXPECT_DOUBLE_EQ(merged.max(), 2);
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
