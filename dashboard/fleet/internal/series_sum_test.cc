#include "dashboard/fleet/internal/series_sum.h"

#include <cmath>
#include <string>
#include <vector>

#include "dashboard/fleet/internal/series_key.h"
#include "dashboard/fleet/internal/snapshot_validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace fleet_internal {
namespace {

v1::MetricSeries Series(const std::string& name,
                        std::vector<std::pair<std::string, std::string>> tags) {
  v1::MetricSeries series;
  series.set_name(name);
  for (const auto& [key, value] : tags) {
    v1::Tag* tag = series.add_tags();
    tag->set_key(key);
    tag->set_value(value);
  }
  return series;
}

TEST(SeriesKeyTest, TagTextCannotMakeTwoSeriesCollide) {
  EXPECT_NE(IdentityKey(Series("a", {{"b|1:c", "d"}})), IdentityKey(Series("a", {{"b", "c|1:d"}})));
  v1::MetricSeries counter = Series("x", {});
  counter.set_counter(1);
  v1::MetricSeries histogram = Series("x", {});
  histogram.mutable_histogram();
  EXPECT_NE(AggregationKey(counter), AggregationKey(histogram));
  EXPECT_EQ(IdentityKey(counter), IdentityKey(histogram));
}

TEST(SeriesSumTest, GaugeInstanceTagIsInsertedInKeyOrderOrReplaced) {
  v1::MetricsSnapshot snapshot;
  v1::MetricSeries* gauge = snapshot.add_series();
  *gauge = Series("g", {{"api", "x"}, {"zone", "z"}});
  gauge->set_gauge(1);
  v1::MetricSeries* tagged = snapshot.add_series();
  *tagged = Series("h", {{"instance", "spoofed"}});
  tagged->set_gauge(2);
  SeriesSum sum;
  sum.AddGauges(*MakeKeyed(snapshot), "peer-1");
  std::vector<v1::MetricSeries> all = std::move(sum).Finish();
  ASSERT_EQ(all.size(), 2u);
  ASSERT_EQ(all[0].tags_size(), 3);
  EXPECT_EQ(all[0].tags(0).key(), "api");
  EXPECT_EQ(all[0].tags(1).key(), "instance");
  EXPECT_EQ(all[0].tags(1).value(), "peer-1");
  EXPECT_EQ(all[0].tags(2).key(), "zone");
  ASSERT_EQ(all[1].tags_size(), 1);
  EXPECT_EQ(all[1].tags(0).value(), "peer-1");
}

TEST(SeriesSumTest, SumCumulativeDropsGaugesAndAddsCounters) {
  v1::MetricsSnapshot a;
  v1::MetricSeries* counter = a.add_series();
  *counter = Series("c", {});
  counter->set_counter(2);
  v1::MetricSeries* gauge = a.add_series();
  *gauge = Series("g", {});
  gauge->set_gauge(9);
  auto keyed = MakeKeyed(a);
  auto base = SumCumulative(keyed.get(), keyed.get());
  ASSERT_EQ(base->snapshot.series_size(), 1);
  EXPECT_DOUBLE_EQ(base->snapshot.series(0).counter(), 4);
  EXPECT_EQ(base->key(0), AggregationKey(*counter));
}

TEST(SeriesSumTest, MakeKeyedKeysEverySeriesInOrder) {
  v1::MetricsSnapshot snapshot;
  v1::MetricSeries* counter = snapshot.add_series();
  *counter = Series("calls", {{"api", "users"}});
  counter->set_counter(1);
  v1::MetricSeries* gauge = snapshot.add_series();
  *gauge = Series("state", {});
  gauge->set_gauge(2);
  snapshot.add_series()->set_name("latency");
  snapshot.mutable_series(2)->mutable_histogram();
  auto keyed = MakeKeyed(snapshot);
  ASSERT_EQ(keyed->key_ends.size(), 3u);
  EXPECT_EQ(keyed->key(0), "c|5:calls|3:api|5:users");
  EXPECT_EQ(keyed->key(1), "g|5:state");
  EXPECT_EQ(keyed->key(2), "h|7:latency");
}

TEST(SnapshotValidationTest, SortsTagsAndRejectsNonIncreasingBounds) {
  v1::MetricsSnapshot snapshot;
  snapshot.set_instance_id("a");
  v1::MetricSeries* series = snapshot.add_series();
  *series = Series("c", {{"z", "1"}, {"a", "2"}});
  series->set_counter(1);
  ASSERT_TRUE(ValidateAndNormalize(&snapshot).ok());
  EXPECT_EQ(snapshot.series(0).tags(0).key(), "a");
  v1::MetricSeries* histogram = snapshot.add_series();
  histogram->set_name("h");
  for (double bound : {1.0, 1.0})
    histogram->mutable_histogram()->add_buckets()->set_upper_bound(bound);
  absl::Status status = ValidateAndNormalize(&snapshot);
  EXPECT_THAT(std::string(status.message()),
              ::testing::HasSubstr("series[1] 'h': histogram bucket 1 upper_bound 1 is not above"));
  snapshot.mutable_series(0)->set_counter(NAN);
  snapshot.mutable_series()->RemoveLast();
  EXPECT_FALSE(ValidateAndNormalize(&snapshot).ok());
}

TEST(SnapshotValidationTest, NamesTheFirstDuplicateBeforeALaterInvalidSeries) {
  v1::MetricsSnapshot snapshot;
  snapshot.set_instance_id("a");
  for (const char* name : {"x", "y", "x", "y", "x"}) {
    v1::MetricSeries* series = snapshot.add_series();
    *series = Series(name, {{"b", "1"}, {"a", "2"}});
    series->set_counter(1);
  }
  // Tags in another order are the same tags once sorted; the kind does not matter.
  snapshot.mutable_series(3)->set_gauge(1);
  std::swap(*snapshot.mutable_series(3)->mutable_tags(0),
            *snapshot.mutable_series(3)->mutable_tags(1));
  snapshot.add_series()->set_name("no-value");
  absl::Status status = ValidateAndNormalize(&snapshot);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "series[2] 'x': same name and tags as series[0]");

  snapshot.mutable_series(2)->set_name("z");
  snapshot.mutable_series(4)->set_name("w");
  EXPECT_EQ(ValidateAndNormalize(&snapshot).message(),
            "series[3] 'y': same name and tags as series[1]");
  snapshot.mutable_series(3)->set_name("v");
  EXPECT_EQ(ValidateAndNormalize(&snapshot).message(),
            "series[5] 'no-value': has no value (counter, gauge or histogram)");
  snapshot.mutable_series()->RemoveLast();
  EXPECT_TRUE(ValidateAndNormalize(&snapshot).ok());
}

}  // namespace
}  // namespace fleet_internal
}  // namespace dashboard
}  // namespace failover
