#include "core/metrics/otlp/otlp_encoder.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/metrics/bucket_layout.h"
#include "core/metrics/metrics_registry.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

namespace pb = otlp::v1;
using Pairs = std::vector<std::pair<std::string, std::string>>;

const absl::Time kStart = absl::FromUnixSeconds(1700000000);
const absl::Time kNow = kStart + absl::Seconds(60) + absl::Nanoseconds(7);
constexpr uint64_t kStartNanos = 1700000000ull * 1000000000ull;
constexpr uint64_t kNowNanos = kStartNanos + 60ull * 1000000000ull + 7;

const InstanceTagPolicy kAuto(InstanceMode::kAuto, "orders@host-1");
const InstanceTagPolicy kNever(InstanceMode::kNever, "orders@host-1");
const OtlpResource kResource{"orders", "orders@host-1", {}};

Pairs Attributes(const google::protobuf::RepeatedPtrField<pb::KeyValue>& attributes) {
  Pairs out;
  for (const pb::KeyValue& kv : attributes) {
    EXPECT_EQ(kv.value().value_case(), pb::AnyValue::kStringValue) << kv.key();
    out.emplace_back(kv.key(), kv.value().string_value());
  }
  return out;
}

const pb::ScopeMetrics& Scope(const OtlpEncoded& encoded) {
  return encoded.request.resource_metrics(0).scope_metrics(0);
}

// The metric named `name`; fails the test (and returns an empty one) when absent or repeated.
const pb::Metric& FindMetric(const OtlpEncoded& encoded, absl::string_view name) {
  static const pb::Metric* const kMissing = new pb::Metric();
  const pb::Metric* found = nullptr;
  for (const pb::Metric& metric : Scope(encoded).metrics()) {
    if (metric.name() != name) continue;
    EXPECT_EQ(found, nullptr) << "metric " << name << " appears twice";
    found = &metric;
  }
  EXPECT_NE(found, nullptr) << "no metric " << name;
  return found != nullptr ? *found : *kMissing;
}

void ExpectTimes(uint64_t start, uint64_t time) {
  EXPECT_EQ(start, kStartNanos);
  EXPECT_EQ(time, kNowNanos);
}

// Every histogram point of `encoded` is self-consistent as OTLP requires.
void ExpectHistogramsConsistent(const OtlpEncoded& encoded) {
  for (const pb::Metric& metric : Scope(encoded).metrics()) {
    if (!metric.has_histogram()) continue;
    for (const pb::HistogramDataPoint& point : metric.histogram().data_points()) {
      EXPECT_EQ(point.bucket_counts_size(), point.explicit_bounds_size() + 1) << metric.name();
      uint64_t total = 0;
      for (uint64_t n : point.bucket_counts()) total += n;
      EXPECT_EQ(total, point.count()) << metric.name();
      for (double bound : point.explicit_bounds()) EXPECT_TRUE(std::isfinite(bound));
    }
  }
}

TEST(OtlpUnitTest, UcumNames) {
  EXPECT_EQ(OtlpUnit("seconds"), "s");
  EXPECT_EQ(OtlpUnit("milliseconds"), "ms");
  EXPECT_EQ(OtlpUnit("microseconds"), "us");
  EXPECT_EQ(OtlpUnit("nanoseconds"), "ns");
  EXPECT_EQ(OtlpUnit("bytes"), "By");
  EXPECT_EQ(OtlpUnit("percent"), "%");
  EXPECT_EQ(OtlpUnit(""), "");
  EXPECT_EQ(OtlpUnit("requests"), "requests");
}

TEST(OtlpEncoderTest, ResourceAndScope) {
  const OtlpEncoded encoded = EncodeOtlpMetrics(
      MetricsSnapshot(), {"orders", "orders@host-1", {{"deployment.environment", "prod"}}}, kAuto,
      kStart, kNow);
  ASSERT_EQ(encoded.request.resource_metrics_size(), 1);
  const pb::ResourceMetrics& rm = encoded.request.resource_metrics(0);
  EXPECT_EQ(Attributes(rm.resource().attributes()), (Pairs{{"service.name", "orders"},
                                                           {"service.instance.id", "orders@host-1"},
                                                           {"deployment.environment", "prod"}}));
  EXPECT_EQ(rm.resource().dropped_attributes_count(), 0u);
  ASSERT_EQ(rm.scope_metrics_size(), 1);
  EXPECT_EQ(rm.scope_metrics(0).scope().name(), "failover-toolkit");
  EXPECT_EQ(rm.scope_metrics(0).scope().version(), "1");
  EXPECT_EQ(rm.scope_metrics(0).metrics_size(), 0);
  EXPECT_EQ(encoded.data_points, 0u);
  EXPECT_EQ(encoded.dropped_series, 0u);
}

TEST(OtlpEncoderTest, BlankServiceNameAndInstanceId) {
  for (const OtlpResource& resource : {OtlpResource{"", "", {}}, OtlpResource{"  ", " \t", {}}}) {
    const OtlpEncoded encoded = EncodeOtlpMetrics(MetricsSnapshot(), resource, kAuto, kStart, kNow);
    EXPECT_EQ(Attributes(encoded.request.resource_metrics(0).resource().attributes()),
              (Pairs{{"service.name", "unknown_service"}}));
  }
  const OtlpEncoded trimmed =
      EncodeOtlpMetrics(MetricsSnapshot(), {" orders ", " id-1 ", {}}, kAuto, kStart, kNow);
  EXPECT_EQ(Attributes(trimmed.request.resource_metrics(0).resource().attributes()),
            (Pairs{{"service.name", "orders"}, {"service.instance.id", "id-1"}}));
}

TEST(OtlpEncoderTest, ExtraResourceAttributeCannotOverrideAKeyAlreadySet) {
  const OtlpEncoded encoded = EncodeOtlpMetrics(
      MetricsSnapshot(),
      {"orders", "", {{"service.name", "other"}, {"team", "a"}, {"team", "b"}, {"zone", "z1"}}},
      kAuto, kStart, kNow);
  const pb::Resource& resource = encoded.request.resource_metrics(0).resource();
  EXPECT_EQ(Attributes(resource.attributes()),
            (Pairs{{"service.name", "orders"}, {"team", "a"}, {"zone", "z1"}}));
  EXPECT_EQ(resource.dropped_attributes_count(), 2u);
}

// A registry with one meter of each kind, recorded with known values.
class OtlpEncoderRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.GetCounter("app.requests", {{"route", "/a"}}).Increment(5);
    registry_.GetCounter("app.requests", {{"route", "/b"}}).Increment(7);
    registry_.GetGauge("app.queue.depth").Set(2.5);
    Timer& timer = registry_.GetTimer("app.latency", {{"route", "/a"}});
    timer.Record(absl::Milliseconds(3));   // (0.002, 0.004]: bucket 2
    timer.Record(absl::Milliseconds(20));  // (0.016, 0.032]: bucket 5
    timer.Record(absl::Seconds(100));      // above 32.768: overflow, bucket 16
    const BucketLayout layout = BucketLayout::Create({10, 100, 1000}).value();
    Histogram& sizes = registry_.GetHistogram("app.payload.size", {}, layout, "bytes");
    for (double v : {5.0, 50.0, 50.0, 5000.0}) sizes.Record(v);
    registry_.GetHistogram("app.empty", {}, layout);
  }

  MetricsRegistry registry_;
};

TEST_F(OtlpEncoderRegistryTest, CounterIsCumulativeMonotonicSumOfInts) {
  const OtlpEncoded encoded =
      EncodeOtlpMetrics(registry_.Snapshot(), kResource, kAuto, kStart, kNow);
  const pb::Metric& metric = FindMetric(encoded, "app.requests");
  EXPECT_EQ(metric.unit(), "");
  ASSERT_TRUE(metric.has_sum());
  EXPECT_TRUE(metric.sum().is_monotonic());
  EXPECT_EQ(metric.sum().aggregation_temporality(), pb::AGGREGATION_TEMPORALITY_CUMULATIVE);
  ASSERT_EQ(metric.sum().data_points_size(), 2);
  const pb::NumberDataPoint& a = metric.sum().data_points(0);
  const pb::NumberDataPoint& b = metric.sum().data_points(1);
  EXPECT_EQ(Attributes(a.attributes()), (Pairs{{"instance", "orders@host-1"}, {"route", "/a"}}));
  EXPECT_EQ(Attributes(b.attributes()), (Pairs{{"instance", "orders@host-1"}, {"route", "/b"}}));
  ASSERT_EQ(a.value_case(), pb::NumberDataPoint::kAsInt);
  EXPECT_EQ(a.as_int(), 5);
  ASSERT_EQ(b.value_case(), pb::NumberDataPoint::kAsInt);
  EXPECT_EQ(b.as_int(), 7);
  ExpectTimes(a.start_time_unix_nano(), a.time_unix_nano());
  ExpectTimes(b.start_time_unix_nano(), b.time_unix_nano());
}

TEST_F(OtlpEncoderRegistryTest, GaugeIsDouble) {
  const OtlpEncoded encoded =
      EncodeOtlpMetrics(registry_.Snapshot(), kResource, kAuto, kStart, kNow);
  const pb::Metric& metric = FindMetric(encoded, "app.queue.depth");
  ASSERT_TRUE(metric.has_gauge());
  ASSERT_EQ(metric.gauge().data_points_size(), 1);
  const pb::NumberDataPoint& point = metric.gauge().data_points(0);
  ASSERT_EQ(point.value_case(), pb::NumberDataPoint::kAsDouble);
  EXPECT_EQ(point.as_double(), 2.5);
  EXPECT_EQ(Attributes(point.attributes()), (Pairs{{"instance", "orders@host-1"}}));
  ExpectTimes(point.start_time_unix_nano(), point.time_unix_nano());
}

TEST_F(OtlpEncoderRegistryTest, TimerIsHistogramInSeconds) {
  const OtlpEncoded encoded =
      EncodeOtlpMetrics(registry_.Snapshot(), kResource, kAuto, kStart, kNow);
  const pb::Metric& metric = FindMetric(encoded, "app.latency");
  EXPECT_EQ(metric.unit(), "s");
  ASSERT_TRUE(metric.has_histogram());
  EXPECT_EQ(metric.histogram().aggregation_temporality(), pb::AGGREGATION_TEMPORALITY_CUMULATIVE);
  ASSERT_EQ(metric.histogram().data_points_size(), 1);
  const pb::HistogramDataPoint& point = metric.histogram().data_points(0);
  const std::vector<double>& layout = BucketLayout::DefaultSeconds().upper_bounds();
  EXPECT_EQ(std::vector<double>(point.explicit_bounds().begin(), point.explicit_bounds().end()),
            layout);
  std::vector<uint64_t> expected(layout.size() + 1, 0);
  expected[2] = 1;
  expected[5] = 1;
  expected[16] = 1;
  EXPECT_EQ(std::vector<uint64_t>(point.bucket_counts().begin(), point.bucket_counts().end()),
            expected);
  EXPECT_EQ(point.count(), 3u);
  ASSERT_TRUE(point.has_sum());
  EXPECT_NEAR(point.sum(), 100.023, 1e-9);
  ASSERT_TRUE(point.has_max());
  EXPECT_DOUBLE_EQ(point.max(), 100.0);
  EXPECT_FALSE(point.has_min());
  EXPECT_EQ(Attributes(point.attributes()),
            (Pairs{{"instance", "orders@host-1"}, {"route", "/a"}}));
  ExpectTimes(point.start_time_unix_nano(), point.time_unix_nano());
}

TEST_F(OtlpEncoderRegistryTest, HistogramWithCustomLayout) {
  const OtlpEncoded encoded =
      EncodeOtlpMetrics(registry_.Snapshot(), kResource, kAuto, kStart, kNow);
  const pb::Metric& metric = FindMetric(encoded, "app.payload.size");
  EXPECT_EQ(metric.unit(), "By");
  ASSERT_TRUE(metric.has_histogram());
  ASSERT_EQ(metric.histogram().data_points_size(), 1);
  const pb::HistogramDataPoint& point = metric.histogram().data_points(0);
  EXPECT_EQ(std::vector<double>(point.explicit_bounds().begin(), point.explicit_bounds().end()),
            (std::vector<double>{10, 100, 1000}));
  EXPECT_EQ(std::vector<uint64_t>(point.bucket_counts().begin(), point.bucket_counts().end()),
            (std::vector<uint64_t>{1, 2, 0, 1}));
  EXPECT_EQ(point.count(), 4u);
  EXPECT_EQ(point.sum(), 5105.0);
  EXPECT_EQ(point.max(), 5000.0);
  EXPECT_FALSE(point.has_min());
}

TEST_F(OtlpEncoderRegistryTest, EmptyHistogramHasZeroSumAndNoMax) {
  const OtlpEncoded encoded =
      EncodeOtlpMetrics(registry_.Snapshot(), kResource, kAuto, kStart, kNow);
  const pb::Metric& metric = FindMetric(encoded, "app.empty");
  ASSERT_EQ(metric.histogram().data_points_size(), 1);
  const pb::HistogramDataPoint& point = metric.histogram().data_points(0);
  EXPECT_EQ(point.count(), 0u);
  EXPECT_EQ(std::vector<uint64_t>(point.bucket_counts().begin(), point.bucket_counts().end()),
            (std::vector<uint64_t>{0, 0, 0, 0}));
  EXPECT_TRUE(point.has_sum());
  EXPECT_EQ(point.sum(), 0.0);
  EXPECT_FALSE(point.has_max());
  EXPECT_FALSE(point.has_min());
}

TEST_F(OtlpEncoderRegistryTest, OneMetricPerNameInSnapshotOrderAndPointsCounted) {
  const MetricsSnapshot snapshot = registry_.Snapshot();
  const OtlpEncoded encoded = EncodeOtlpMetrics(snapshot, kResource, kAuto, kStart, kNow);
  std::vector<std::string> names;
  for (const pb::Metric& metric : Scope(encoded).metrics()) names.push_back(metric.name());
  // The registry's own denial counters (3 reasons) are part of every snapshot.
  EXPECT_EQ(names, (std::vector<std::string>{"app.empty", "app.latency", "app.payload.size",
                                             "app.queue.depth", "app.requests",
                                             "failover.metrics.denied.total"}));
  EXPECT_EQ(FindMetric(encoded, "failover.metrics.denied.total").sum().data_points_size(), 3);
  EXPECT_EQ(encoded.data_points, snapshot.series().size());
  EXPECT_EQ(encoded.data_points, 9u);
  EXPECT_EQ(encoded.dropped_series, 0u);
  ExpectHistogramsConsistent(encoded);
}

TEST_F(OtlpEncoderRegistryTest, InstanceModeNeverLeavesTagsAsTheyAre) {
  const OtlpEncoded encoded =
      EncodeOtlpMetrics(registry_.Snapshot(), kResource, kNever, kStart, kNow);
  EXPECT_EQ(Attributes(FindMetric(encoded, "app.requests").sum().data_points(0).attributes()),
            (Pairs{{"route", "/a"}}));
  EXPECT_TRUE(FindMetric(encoded, "app.queue.depth").gauge().data_points(0).attributes().empty());
}

TEST(OtlpEncoderTest, InstanceModeAlwaysTagsPush) {
  MetricsRegistry registry;
  registry.GetGauge("g").Set(1);
  const InstanceTagPolicy always(InstanceMode::kAlways, "id-9");
  const OtlpEncoded encoded =
      EncodeOtlpMetrics(registry.Snapshot(), kResource, always, kStart, kNow);
  EXPECT_EQ(Attributes(FindMetric(encoded, "g").gauge().data_points(0).attributes()),
            (Pairs{{"instance", "id-9"}}));
}

TEST(OtlpEncoderTest, OwnInstanceTagReplacedAndResultingDuplicateDropped) {
  MetricsRegistry registry;
  registry.GetCounter("c", {{"instance", "a"}}).Increment(1);
  registry.GetCounter("c", {{"instance", "b"}}).Increment(2);
  const OtlpEncoded tagged = EncodeOtlpMetrics(registry.Snapshot(), kResource, kAuto, kStart, kNow);
  const pb::Sum& sum = FindMetric(tagged, "c").sum();
  ASSERT_EQ(sum.data_points_size(), 1);
  EXPECT_EQ(Attributes(sum.data_points(0).attributes()), (Pairs{{"instance", "orders@host-1"}}));
  EXPECT_EQ(sum.data_points(0).as_int(), 1);  // the first by tags is kept
  EXPECT_EQ(tagged.dropped_series, 1u);

  const OtlpEncoded untagged =
      EncodeOtlpMetrics(registry.Snapshot(), kResource, kNever, kStart, kNow);
  EXPECT_EQ(FindMetric(untagged, "c").sum().data_points_size(), 2);
  EXPECT_EQ(untagged.dropped_series, 0u);
}

TEST(OtlpEncoderTest, NameOfAnotherKindOrUnitDropped) {
  MetricsRegistry registry;
  registry.GetCounter("clash", {{"k", "a"}}).Increment(3);
  registry.GetGauge("clash", {{"k", "b"}}).Set(4);
  registry.GetCounter("clash", {{"k", "c"}}).Increment(5);
  const BucketLayout layout = BucketLayout::Create({1}).value();
  registry.GetTimer("dur", {{"k", "a"}}, layout).Record(absl::Seconds(2));
  registry.GetHistogram("dur", {{"k", "b"}}, layout, "").Record(2);
  const MetricsSnapshot snapshot = registry.Snapshot();
  const OtlpEncoded encoded = EncodeOtlpMetrics(snapshot, kResource, kNever, kStart, kNow);

  const pb::Metric& clash = FindMetric(encoded, "clash");
  ASSERT_TRUE(clash.has_sum());
  ASSERT_EQ(clash.sum().data_points_size(), 2);
  EXPECT_EQ(Attributes(clash.sum().data_points(0).attributes()), (Pairs{{"k", "a"}}));
  EXPECT_EQ(Attributes(clash.sum().data_points(1).attributes()), (Pairs{{"k", "c"}}));
  const pb::Metric& dur = FindMetric(encoded, "dur");
  EXPECT_EQ(dur.unit(), "s");
  ASSERT_EQ(dur.histogram().data_points_size(), 1);
  EXPECT_EQ(Attributes(dur.histogram().data_points(0).attributes()), (Pairs{{"k", "a"}}));
  EXPECT_EQ(encoded.dropped_series, 2u);
  EXPECT_EQ(encoded.data_points, snapshot.series().size() - 2);
}

TEST(OtlpEncoderTest, CounterBeyondInt64IsDouble) {
  MetricsRegistry registry;
  registry.GetCounter("big").Increment(uint64_t{1} << 63);
  registry.GetCounter("exact").Increment((uint64_t{1} << 62) + 1024);
  const OtlpEncoded encoded =
      EncodeOtlpMetrics(registry.Snapshot(), kResource, kNever, kStart, kNow);
  const pb::NumberDataPoint& big = FindMetric(encoded, "big").sum().data_points(0);
  ASSERT_EQ(big.value_case(), pb::NumberDataPoint::kAsDouble);
  EXPECT_EQ(big.as_double(), 9223372036854775808.0);
  const pb::NumberDataPoint& exact = FindMetric(encoded, "exact").sum().data_points(0);
  ASSERT_EQ(exact.value_case(), pb::NumberDataPoint::kAsInt);
  EXPECT_EQ(exact.as_int(), (int64_t{1} << 62) + 1024);
}

SeriesSnapshot Series(std::string name, SeriesKind kind, double value) {
  SeriesSnapshot s;
  s.name = std::move(name);
  s.kind = kind;
  s.value = value;
  return s;
}

TEST(OtlpEncoderTest, FractionalOrNegativeCounterIsDoubleAndNanGaugeKept) {
  const OtlpEncoded encoded = EncodeOtlpMetrics(
      MetricsSnapshot({Series("frac", SeriesKind::kCounter, 2.5),
                       Series("neg", SeriesKind::kCounter, -3),
                       Series("nan", SeriesKind::kGauge, std::numeric_limits<double>::quiet_NaN()),
                       Series("whole.gauge", SeriesKind::kGauge, 4)}),
      kResource, kNever, kStart, kNow);
  const pb::NumberDataPoint& frac = FindMetric(encoded, "frac").sum().data_points(0);
  ASSERT_EQ(frac.value_case(), pb::NumberDataPoint::kAsDouble);
  EXPECT_EQ(frac.as_double(), 2.5);
  const pb::NumberDataPoint& neg = FindMetric(encoded, "neg").sum().data_points(0);
  ASSERT_EQ(neg.value_case(), pb::NumberDataPoint::kAsDouble);
  EXPECT_EQ(neg.as_double(), -3);
  const pb::NumberDataPoint& nan = FindMetric(encoded, "nan").gauge().data_points(0);
  ASSERT_EQ(nan.value_case(), pb::NumberDataPoint::kAsDouble);
  EXPECT_TRUE(std::isnan(nan.as_double()));
  const pb::NumberDataPoint& whole = FindMetric(encoded, "whole.gauge").gauge().data_points(0);
  ASSERT_EQ(whole.value_case(), pb::NumberDataPoint::kAsDouble);  // gauges are always double
  EXPECT_EQ(whole.as_double(), 4);
}

TEST(OtlpEncoderTest, TrailingInfBoundLeftOutOfExplicitBounds) {
  SeriesSnapshot h = Series("h", SeriesKind::kHistogram, 0);
  h.histogram.upper_bounds = {1, 2, std::numeric_limits<double>::infinity()};
  h.histogram.bucket_counts = {1, 2, 3};
  h.histogram.count = 6;
  h.histogram.sum = 20;
  h.histogram.max = 9;
  const OtlpEncoded encoded =
      EncodeOtlpMetrics(MetricsSnapshot({h}), kResource, kNever, kStart, kNow);
  const pb::HistogramDataPoint& point = FindMetric(encoded, "h").histogram().data_points(0);
  EXPECT_EQ(std::vector<double>(point.explicit_bounds().begin(), point.explicit_bounds().end()),
            (std::vector<double>{1, 2}));
  EXPECT_EQ(std::vector<uint64_t>(point.bucket_counts().begin(), point.bucket_counts().end()),
            (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(point.count(), 6u);
  EXPECT_EQ(point.max(), 9);
  ExpectHistogramsConsistent(encoded);
}

TEST(OtlpEncoderTest, TimesBeforeTheEpochEncodeAsZero) {
  MetricsRegistry registry;
  registry.GetGauge("g").Set(1);
  const OtlpEncoded encoded = EncodeOtlpMetrics(registry.Snapshot(), kResource, kNever,
                                                absl::InfinitePast(), absl::FromUnixNanos(-5));
  const pb::NumberDataPoint& point = FindMetric(encoded, "g").gauge().data_points(0);
  EXPECT_EQ(point.start_time_unix_nano(), 0u);
  EXPECT_EQ(point.time_unix_nano(), 0u);
}

TEST(OtlpEncoderTest, InvalidUtf8ReplacedSoTheRequestParses) {
  MetricsRegistry registry;
  registry.GetCounter("calls\xC3", {{"name", "a\xFF"}}).Increment(2);
  const OtlpEncoded encoded =
      EncodeOtlpMetrics(registry.Snapshot(), {"svc\xFE", "", {}}, kNever, kStart, kNow);
  const pb::Metric& metric = FindMetric(encoded, "calls\xEF\xBF\xBD");
  EXPECT_EQ(Attributes(metric.sum().data_points(0).attributes()),
            (Pairs{{"name", "a\xEF\xBF\xBD"}}));
  pb::ExportMetricsServiceRequest parsed;
  // proto3 parsing rejects invalid UTF-8 in string fields.
  EXPECT_TRUE(parsed.ParseFromString(encoded.request.SerializeAsString()));
  EXPECT_EQ(Attributes(parsed.resource_metrics(0).resource().attributes())[0].second,
            "svc\xEF\xBF\xBD");
}

TEST(OtlpEncoderTest, SerializesAndParsesBack) {
  MetricsRegistry registry;
  registry.GetTimer("t").Record(absl::Milliseconds(5));
  const OtlpEncoded encoded =
      EncodeOtlpMetrics(registry.Snapshot(), kResource, kAuto, kStart, kNow);
  pb::ExportMetricsServiceRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(encoded.request.SerializeAsString()));
  EXPECT_EQ(parsed.SerializeAsString(), encoded.request.SerializeAsString());
  EXPECT_EQ(FindMetric(encoded, "t").histogram().data_points(0).count(), 1u);
}

}  // namespace
}  // namespace failover
