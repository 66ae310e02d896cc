#include "dashboard/api/local_metrics_source.h"

#include "core/metrics/metrics_registry.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

std::string TagValue(const v1::MetricSeries& series, const std::string& key) {
  for (const v1::Tag& tag : series.tags()) {
    if (tag.key() == key) return tag.value();
  }
  return "<none>";
}

TEST(LocalMetricsSourceTest, SeriesOfTheRegistryWithInstanceOnGauges) {
  MetricsRegistry registry;
  registry.GetCounter("failover.store.total", {{"name", "q"}, {"stored", "true"}}).Increment(90);
  registry.GetGauge("failover.redis.endpoint.active", {{"endpoint", "a"}}).Set(1);
  registry.GetGauge("failover.naming.switch", {{"instance", "given"}}).Set(1);
  registry.GetTimer("failover.upstream.duration", {{"name", "q"}, {"result", "success"}})
      .Record(absl::Milliseconds(3));
  LocalMetricsSource source(registry, "orders-1");
  EXPECT_EQ(source.mode(), "local");
  absl::StatusOr<std::vector<v1::MetricSeries>> series = source.Series();
  ASSERT_TRUE(series.ok());
  int found = 0;
  for (const v1::MetricSeries& s : *series) {
    if (s.name() == "failover.store.total") {
      ++found;
      EXPECT_DOUBLE_EQ(s.counter(), 90);
      EXPECT_EQ(TagValue(s, "instance"), "<none>");  // counters are not per instance
    } else if (s.name() == "failover.redis.endpoint.active") {
      ++found;
      EXPECT_DOUBLE_EQ(s.gauge(), 1);
      EXPECT_EQ(TagValue(s, "instance"), "orders-1");
      EXPECT_EQ(TagValue(s, "endpoint"), "a");
    } else if (s.name() == "failover.naming.switch") {
      ++found;
      EXPECT_EQ(TagValue(s, "instance"), "given");  // an existing instance tag is kept
    } else if (s.name() == "failover.upstream.duration") {
      ++found;
      EXPECT_EQ(s.histogram().count(), 1u);
      EXPECT_EQ(s.unit(), "seconds");
    }
  }
  EXPECT_EQ(found, 4);
  for (size_t i = 1; i < series->size(); ++i) {
    EXPECT_LE((*series)[i - 1].name(), (*series)[i].name());
  }
}

TEST(LocalMetricsSourceTest, OneLiveInstance) {
  MetricsRegistry registry;
  registry.GetCounter("c").Increment();
  LocalMetricsSource source(registry, "orders-1");
  const std::vector<InstanceStatus> instances = source.Instances();
  ASSERT_EQ(instances.size(), 1u);
  EXPECT_EQ(instances[0].instance_id, "orders-1");
  EXPECT_EQ(instances[0].liveness, Liveness::kLive);
  EXPECT_EQ(instances[0].series_count, registry.series_count());
  EXPECT_GE(instances[0].series_count, 1u);
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
