#include "dashboard/api/history_ring.h"

#include <string>
#include <vector>

#include "core/simulated_clock.h"
#include "dashboard/api/testing/fake_metrics_source.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

HistorySample At(absl::Time at, double healthy) {
  HistorySample sample;
  sample.at = at;
  sample.healthy_rate = healthy;
  return sample;
}

TEST(HistoryRingTest, KeepsTheNewestCapacitySamples) {
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  HistoryRing ring(3);
  for (int i = 0; i < 5; ++i) ring.Add(At(t0 + absl::Seconds(i), i / 10.0));
  EXPECT_EQ(ring.size(), 3u);
  const std::vector<HistorySample> all = ring.Since(absl::InfinitePast());
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].at, t0 + absl::Seconds(2));
  EXPECT_EQ(all[2].at, t0 + absl::Seconds(4));
  const std::vector<HistorySample> recent = ring.Since(t0 + absl::Seconds(3));
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_DOUBLE_EQ(recent[0].healthy_rate, 0.3);
  EXPECT_TRUE(ring.Since(t0 + absl::Seconds(5)).empty());
}

TEST(HistoryRingTest, MaxAgeDropsOldSamples) {
  const absl::Time t0 = absl::FromUnixSeconds(1000);
  HistoryRing ring(100, absl::Seconds(60));
  ring.Add(At(t0, 1));
  ring.Add(At(t0 + absl::Seconds(30), 1));
  ring.Add(At(t0 + absl::Seconds(60), 1));  // t0 is exactly max-age old: kept
  EXPECT_EQ(ring.size(), 3u);
  ring.Add(At(t0 + absl::Seconds(61), 1));
  EXPECT_EQ(ring.size(), 3u);
  EXPECT_EQ(ring.Since(absl::InfinitePast()).front().at, t0 + absl::Seconds(30));
}

TEST(HistoryRingTest, OptionsFromConfig) {
  DashboardConfig config;
  EXPECT_FALSE(HistoryOptionsFor(config).has_value());
  config.history.enabled = true;
  config.history.samples = 10;
  config.history.sample_interval_seconds = 5;
  std::optional<HistoryOptions> options = HistoryOptionsFor(config);
  ASSERT_TRUE(options.has_value());
  EXPECT_EQ(options->capacity, 10u);
  EXPECT_EQ(options->interval, absl::Seconds(5));
  EXPECT_EQ(options->max_age, absl::InfiniteDuration());
  config.history.enabled = false;
  config.cluster.mode = ClusterMode::kSharedStore;
  config.cluster.shared_store.retention.max_entries = 500;
  config.cluster.shared_store.retention.max_age = absl::Hours(1);
  config.cluster.shared_store.sample_interval_seconds = 30;
  options = HistoryOptionsFor(config);
  ASSERT_TRUE(options.has_value());
  EXPECT_EQ(options->capacity, 500u);
  EXPECT_EQ(options->max_age, absl::Hours(1));
  EXPECT_EQ(options->interval, absl::Seconds(30));
}

TEST(HistorySamplerTest, SamplesEveryIntervalOnTheClock) {
  SimulatedClock clock;
  FakeMetricsSource source;
  std::vector<v1::MetricSeries> series = WorkedExampleSeries("quotes", "orders");
  source.SetSeries(series);
  InstanceStatus live;
  live.instance_id = "a";
  live.liveness = Liveness::kLive;
  InstanceStatus down;
  down.instance_id = "b";
  down.liveness = Liveness::kDown;
  source.SetInstances({live, down});
  HistoryRing ring(10);
  std::vector<std::string> warnings;
  HistorySampler sampler(source, ring, clock, absl::Seconds(15), HealthThresholdsConfig{},
                         [&](absl::string_view w) { warnings.emplace_back(w); });
  const absl::Time start = clock.WallNow();
  clock.Advance(absl::Seconds(14));
  EXPECT_EQ(ring.size(), 0u);
  clock.Advance(absl::Seconds(1));
  ASSERT_EQ(ring.size(), 1u);
  HistorySample first = ring.Since(absl::InfinitePast())[0];
  EXPECT_EQ(first.at, start + absl::Seconds(15));
  EXPECT_DOUBLE_EQ(first.healthy_rate, 0.98);
  EXPECT_EQ(first.live_instances, 1);
  ASSERT_EQ(first.apis.size(), 1u);
  EXPECT_EQ(first.apis[0].name, "quotes");
  EXPECT_DOUBLE_EQ(first.apis[0].success_rate, 0.90);
  EXPECT_DOUBLE_EQ(first.apis[0].failover_rate, 0.10);

  // A failing source leaves a gap and a warning, and sampling goes on.
  source.SetError(absl::UnavailableError("store down"));
  clock.Advance(absl::Seconds(15));
  EXPECT_EQ(ring.size(), 1u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("store down"), std::string::npos);
  source.SetError(absl::OkStatus());
  clock.Advance(absl::Seconds(30));
  EXPECT_EQ(ring.size(), 3u);
  EXPECT_EQ(sampler.samples_taken(), 4);

  sampler.Stop();
  clock.Advance(absl::Minutes(5));
  EXPECT_EQ(ring.size(), 3u);
  EXPECT_FALSE(clock.NextTimerDue().has_value());
}

TEST(HistorySamplerTest, DestructorCancelsTheTimer) {
  SimulatedClock clock;
  FakeMetricsSource source;
  HistoryRing ring(10);
  {
    HistorySampler sampler(source, ring, clock, absl::Seconds(1), HealthThresholdsConfig{},
                           nullptr);
    clock.Advance(absl::Seconds(1));
  }
  EXPECT_EQ(source.series_calls(), 1);
  clock.Advance(absl::Seconds(10));
  EXPECT_EQ(source.series_calls(), 1);
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
