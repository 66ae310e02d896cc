#include "core/metrics/snapshot_proto.h"

#include <limits>

#include "core/metrics/metrics_registry.h"
#include "core/simulated_clock.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

const absl::Time kProcessStart = absl::FromUnixSeconds(1'700'000'000);

TEST(SnapshotProtoTest, EnvelopeFields) {
  SimulatedClock clock;
  SnapshotProtoEncoder encoder(clock, "orders@host-1", kProcessStart);
  const v1::MetricsSnapshot first = encoder.Encode(MetricsSnapshot());
  EXPECT_EQ(first.instance_id(), "orders@host-1");
  EXPECT_EQ(first.taken_at_unix_nanos(), absl::ToUnixNanos(clock.WallNow()));
  EXPECT_EQ(first.process_start_unix_nanos(), 1'700'000'000'000'000'000);
  EXPECT_EQ(first.sequence(), 1u);
  EXPECT_EQ(first.series_size(), 0);

  clock.Advance(absl::Seconds(15));
  const v1::MetricsSnapshot second = encoder.Encode(MetricsSnapshot());
  EXPECT_EQ(second.sequence(), 2u);
  EXPECT_EQ(second.taken_at_unix_nanos() - first.taken_at_unix_nanos(), 15'000'000'000);
}

TEST(SnapshotProtoTest, CounterAndGaugeSeries) {
  MetricsRegistry registry;
  registry.GetCounter("failover.call.total", {{"result", "success"}, {"name", "quotes"}})
      .Increment(90);
  registry.GetGauge("failover.api.health", {{"name", "quotes"}}).Set(0.98);
  SimulatedClock clock;
  const v1::MetricsSnapshot message =
      SnapshotProtoEncoder(clock, "id", kProcessStart).Encode(registry.Snapshot());

  // Sorted by name: the gauge, the counter, then the registry's three denial counters.
  ASSERT_EQ(message.series_size(), 5);
  const v1::MetricSeries& gauge = message.series(0);
  EXPECT_EQ(gauge.name(), "failover.api.health");
  ASSERT_EQ(gauge.tags_size(), 1);
  EXPECT_EQ(gauge.tags(0).key(), "name");
  EXPECT_EQ(gauge.tags(0).value(), "quotes");
  EXPECT_EQ(gauge.unit(), "");
  ASSERT_EQ(gauge.value_case(), v1::MetricSeries::kGauge);
  EXPECT_EQ(gauge.gauge(), 0.98);

  const v1::MetricSeries& counter = message.series(1);
  EXPECT_EQ(counter.name(), "failover.call.total");
  ASSERT_EQ(counter.tags_size(), 2);
  EXPECT_EQ(counter.tags(0).key(), "name");
  EXPECT_EQ(counter.tags(0).value(), "quotes");
  EXPECT_EQ(counter.tags(1).key(), "result");
  EXPECT_EQ(counter.tags(1).value(), "success");
  ASSERT_EQ(counter.value_case(), v1::MetricSeries::kCounter);
  EXPECT_EQ(counter.counter(), 90.0);

  const v1::MetricSeries& denied = message.series(2);
  EXPECT_EQ(denied.name(), "failover.metrics.denied.total");
  EXPECT_EQ(denied.tags(0).value(), "cardinality");
  EXPECT_EQ(denied.counter(), 0.0);
}

TEST(SnapshotProtoTest, HistogramBucketsAreCumulativeWithInfinityLast) {
  MetricsRegistry registry;
  Timer& timer = registry.GetTimer("failover.upstream.duration", {{"name", "quotes"}},
                                   *BucketLayout::Create({0.1, 0.25}));
  for (absl::Duration d : {absl::Milliseconds(50), absl::Milliseconds(80), absl::Milliseconds(200),
                           absl::Milliseconds(400)}) {
    timer.Record(d);
  }
  SimulatedClock clock;
  const v1::MetricsSnapshot message =
      SnapshotProtoEncoder(clock, "id", kProcessStart).Encode(registry.Snapshot());
  // Sorted by name: the three failover.metrics.denied.total counters come first.
  ASSERT_EQ(message.series_size(), 4);
  const v1::MetricSeries& series = message.series(3);
  EXPECT_EQ(series.name(), "failover.upstream.duration");
  ASSERT_EQ(series.tags_size(), 1);
  EXPECT_EQ(series.tags(0).value(), "quotes");
  EXPECT_EQ(series.unit(), "seconds");
  ASSERT_EQ(series.value_case(), v1::MetricSeries::kHistogram);
  const v1::Histogram& h = series.histogram();
  EXPECT_EQ(h.count(), 4u);
  EXPECT_DOUBLE_EQ(h.sum(), 0.73);
  EXPECT_DOUBLE_EQ(h.max(), 0.4);
  ASSERT_EQ(h.buckets_size(), 3);
  EXPECT_EQ(h.buckets(0).upper_bound(), 0.1);
  EXPECT_EQ(h.buckets(0).cumulative_count(), 2u);
  EXPECT_EQ(h.buckets(1).upper_bound(), 0.25);
  EXPECT_EQ(h.buckets(1).cumulative_count(), 3u);
  EXPECT_EQ(h.buckets(2).upper_bound(), std::numeric_limits<double>::infinity());
  EXPECT_EQ(h.buckets(2).cumulative_count(), 4u);
}

TEST(SnapshotProtoTest, InvalidUtf8IsReplacedSoTheMessageParses) {
  SeriesSnapshot gauge;
  gauge.name = "g\xC3";
  gauge.tags = Tags({{"k\xFF", "v\xFE"}});
  gauge.kind = SeriesKind::kGauge;
  v1::MetricSeries out;
  SeriesToProto(gauge, &out);
  EXPECT_EQ(out.name(), "g\xEF\xBF\xBD");
  EXPECT_EQ(out.tags(0).key(), "k\xEF\xBF\xBD");
  EXPECT_EQ(out.tags(0).value(), "v\xEF\xBF\xBD");
  v1::MetricSeries parsed;
  EXPECT_TRUE(parsed.ParseFromString(out.SerializeAsString()));
}

TEST(SnapshotProtoTest, SeriesToProtoClearsTheTarget) {
  SeriesSnapshot gauge;
  gauge.name = "g";
  gauge.kind = SeriesKind::kGauge;
  gauge.value = 1;
  v1::MetricSeries out;
  out.set_unit("stale");
  out.add_tags()->set_key("stale");
  SeriesToProto(gauge, &out);
  EXPECT_EQ(out.unit(), "");
  EXPECT_EQ(out.tags_size(), 0);
  EXPECT_EQ(out.gauge(), 1.0);
}

}  // namespace
}  // namespace failover
