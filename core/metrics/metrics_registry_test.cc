#include "core/metrics/metrics_registry.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace {

uint64_t Denied(MetricsRegistry& registry, absl::string_view reason) {
  return registry.GetCounter(MetricsRegistry::kDeniedMetric, {{"reason", reason}}).Value();
}

TEST(MetricsRegistryTest, SameNameAndTagsInAnyOrderIsTheSameSeries) {
  MetricsRegistry registry;
  Counter& a = registry.GetCounter("failover.call.total", {{"name", "q"}, {"result", "success"}});
  Counter& b = registry.GetCounter("failover.call.total", {{"result", "success"}, {"name", "q"}});
  EXPECT_EQ(&a, &b);
  a.Increment();
  b.Increment(2);
  EXPECT_EQ(a.Value(), 3u);
  EXPECT_NE(&a, &registry.GetCounter("failover.call.total", {{"name", "q"}}));
  EXPECT_NE(&a,
            &registry.GetCounter("failover.store.total", {{"name", "q"}, {"result", "success"}}));
}

TEST(MetricsRegistryTest, HandlesStayValidAsTheRegistryGrows) {
  MetricsRegistry registry;
  Counter& first = registry.GetCounter("c", {{"i", "0"}});
  for (int i = 1; i < 2000; ++i) registry.GetCounter("c", {{"i", std::to_string(i)}}).Increment();
  first.Increment(7);
  EXPECT_EQ(&first, &registry.GetCounter("c", {{"i", "0"}}));
  EXPECT_EQ(registry.GetCounter("c", {{"i", "0"}}).Value(), 7u);
}

TEST(MetricsRegistryTest, GaugeHistogramAndTimerSeries) {
  MetricsRegistry registry;
  registry.GetGauge("failover.live.entries").Set(12);
  EXPECT_EQ(registry.GetGauge("failover.live.entries").Value(), 12.0);

  const BucketLayout layout = *BucketLayout::Create({1, 10});
  Histogram& h = registry.GetHistogram("payload.bytes", {}, layout, "bytes");
  h.Record(5);
  EXPECT_EQ(&h, &registry.GetHistogram("payload.bytes"));  // first registration's layout wins
  EXPECT_EQ(registry.GetHistogram("payload.bytes").layout(), layout);

  Timer& t = registry.GetTimer("failover.operation.duration", {{"name", "q"}});
  t.Record(absl::Milliseconds(5));
  EXPECT_EQ(t.Read().count, 1u);
}

TEST(MetricsRegistryTest, KindConflictGetsDiscardedMeterAndIsCounted) {
  MetricsRegistry registry;
  registry.GetCounter("x", {{"k", "v"}}).Increment(5);
  Gauge& gauge = registry.GetGauge("x", {{"k", "v"}});
  gauge.Set(99);  // goes nowhere
  EXPECT_EQ(Denied(registry, "kind_conflict"), 1u);
  registry.GetTimer("x", {{"k", "v"}}).Record(absl::Seconds(1));
  registry.GetHistogram("x", {{"k", "v"}}).Record(1);
  EXPECT_EQ(Denied(registry, "kind_conflict"), 3u);
  EXPECT_EQ(registry.GetCounter("x", {{"k", "v"}}).Value(), 5u);
  EXPECT_EQ(registry.Snapshot().Find("x", {{"k", "v"}})->kind, SeriesKind::kCounter);
}

TEST(MetricsRegistryTest, EmptyNameOrTagKeyIsDenied) {
  MetricsRegistry registry;
  const size_t before = registry.series_count();
  registry.GetCounter("").Increment();
  registry.GetCounter("ok", {{"", "v"}}).Increment();
  EXPECT_EQ(Denied(registry, "invalid"), 2u);
  EXPECT_EQ(registry.series_count(), before);
  registry.GetCounter("ok", {{"k", ""}}).Increment();  // empty values are fine
  EXPECT_EQ(registry.series_count(), before + 1);
}

TEST(MetricsRegistryTest, CardinalityCapDeniesNewNamesAndCountsEachDenial) {
  MetricsRegistry registry(CardinalityOptions{true, 2});
  Counter& a = registry.GetCounter("failover.call.total", {{"name", "a"}});
  registry.GetCounter("failover.call.total", {{"name", "b"}}).Increment();
  Counter& c = registry.GetCounter("failover.call.total", {{"name", "c"}});
  Counter& c_again = registry.GetCounter("failover.store.total", {{"name", "c"}});
  c.Increment(100);
  c_again.Increment(100);
  EXPECT_EQ(&c, &c_again) << "denied callers share the discarded counter";
  registry.GetTimer("failover.operation.duration", {{"name", "d"}}).Record(absl::Seconds(1));
  EXPECT_EQ(Denied(registry, "cardinality"), 3u);

  // Existing names keep working, including new series under an admitted name.
  a.Increment();
  registry.GetCounter("failover.call.total", {{"name", "a"}, {"result", "failover"}}).Increment();
  EXPECT_EQ(registry.GetCounter("failover.call.total", {{"name", "a"}}).Value(), 1u);
  EXPECT_EQ(Denied(registry, "cardinality"), 3u);

  // The discarded meters never appear in a snapshot.
  const MetricsSnapshot snapshot = registry.Snapshot();
  EXPECT_EQ(snapshot.Find("failover.call.total", {{"name", "c"}}), nullptr);
  EXPECT_EQ(snapshot.Find("failover.store.total", {{"name", "c"}}), nullptr);
  EXPECT_EQ(snapshot.Find("failover.operation.duration", {{"name", "d"}}), nullptr);
}

TEST(MetricsRegistryTest, CardinalityCapLeavesOtherMetersAlone) {
  MetricsRegistry registry(CardinalityOptions{true, 1});
  registry.GetCounter("failover.call.total", {{"name", "a"}});
  for (int i = 0; i < 50; ++i) {
    registry.GetCounter("http.requests", {{"name", std::to_string(i)}}).Increment();
  }
  registry.GetGauge("failover.live.entries").Set(3);  // failover.* without a name tag
  EXPECT_EQ(Denied(registry, "cardinality"), 0u);
  EXPECT_EQ(registry.GetCounter("http.requests", {{"name", "49"}}).Value(), 1u);
  EXPECT_EQ(registry.GetGauge("failover.live.entries").Value(), 3.0);
}

TEST(MetricsRegistryTest, DisabledCardinalityGuard) {
  MetricsRegistry registry(CardinalityOptions{false, 1});
  for (int i = 0; i < 10; ++i) {
    registry.GetCounter("failover.call.total", {{"name", std::to_string(i)}}).Increment();
  }
  EXPECT_EQ(Denied(registry, "cardinality"), 0u);
  EXPECT_EQ(registry.GetCounter("failover.call.total", {{"name", "9"}}).Value(), 1u);
}

TEST(MetricsRegistryTest, SnapshotCopiesEverySeriesSorted) {
  MetricsRegistry registry;
  registry.GetCounter("b.counter", {{"z", "1"}, {"a", "2"}}).Increment(3);
  registry.GetGauge("a.gauge").Set(-2.5);
  registry.GetTimer("c.timer").Record(absl::Milliseconds(2));
  const MetricsSnapshot snapshot = registry.Snapshot();

  std::vector<std::string> names;
  for (const SeriesSnapshot& s : snapshot.series()) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "a.gauge", "b.counter", "c.timer", "failover.metrics.denied.total",
                       "failover.metrics.denied.total", "failover.metrics.denied.total"}));
  const SeriesSnapshot* counter = snapshot.Find("b.counter", {{"a", "2"}, {"z", "1"}});
  ASSERT_NE(counter, nullptr);
  EXPECT_EQ(counter->kind, SeriesKind::kCounter);
  EXPECT_EQ(counter->value, 3.0);
  EXPECT_EQ(counter->unit, "");
  EXPECT_EQ(snapshot.Find("a.gauge")->value, -2.5);
  const SeriesSnapshot* timer = snapshot.Find("c.timer");
  EXPECT_EQ(timer->kind, SeriesKind::kHistogram);
  EXPECT_EQ(timer->unit, "seconds");
  EXPECT_EQ(timer->histogram.count, 1u);
  EXPECT_EQ(timer->histogram.upper_bounds, BucketLayout::DefaultSeconds().upper_bounds());

  // Later updates do not change a snapshot already taken.
  registry.GetGauge("a.gauge").Set(100);
  EXPECT_EQ(snapshot.Find("a.gauge")->value, -2.5);
  EXPECT_EQ(snapshot.Find("a.gauge", {{"x", "y"}}), nullptr);
}

TEST(MetricsRegistryTest, RetiredSeriesLeavesTheSnapshotAndItsReferenceStaysUsable) {
  MetricsRegistry registry;
  const Tags tags{{"service", "DEFAULT_GROUP@@orders"}};
  Gauge& gauge = registry.GetGauge("failover.naming.failover.instances", tags);
  gauge.Set(3);
  const size_t before = registry.series_count();

  EXPECT_TRUE(registry.Retire("failover.naming.failover.instances", tags));
  EXPECT_EQ(registry.Snapshot().Find("failover.naming.failover.instances", tags), nullptr);
  EXPECT_EQ(registry.series_count(), before - 1);
  EXPECT_FALSE(registry.Retire("failover.naming.failover.instances", tags)) << "already retired";

  gauge.Set(9);  // A stale writer: accepted, not exported.
  EXPECT_EQ(registry.Snapshot().Find("failover.naming.failover.instances", tags), nullptr);

  // Asking again revives the same meter with a fresh value.
  Gauge& again = registry.GetGauge("failover.naming.failover.instances", tags);
  EXPECT_EQ(&again, &gauge);
  EXPECT_EQ(again.Value(), 0.0);
  EXPECT_EQ(registry.series_count(), before);
  const MetricsSnapshot snapshot = registry.Snapshot();
  const SeriesSnapshot* s = snapshot.Find("failover.naming.failover.instances", tags);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->value, 0.0);
  gauge.Set(4);  // The old reference is live again.
  EXPECT_EQ(registry.Snapshot().Find("failover.naming.failover.instances", tags)->value, 4.0);
}

TEST(MetricsRegistryTest, RevivalResetsEveryKind) {
  MetricsRegistry registry;
  Counter& counter = registry.GetCounter("c.total");
  counter.Increment(5);
  Histogram& histogram = registry.GetHistogram("h", {}, *BucketLayout::Create({1, 10}), "bytes");
  histogram.Record(5);
  Timer& timer = registry.GetTimer("t");
  timer.Record(absl::Seconds(2));
  for (const char* name : {"c.total", "h", "t"}) EXPECT_TRUE(registry.Retire(name)) << name;
  counter.Increment(100);
  histogram.Record(50);

  EXPECT_EQ(&registry.GetCounter("c.total"), &counter);
  EXPECT_EQ(counter.Value(), 0u);
  EXPECT_EQ(&registry.GetHistogram("h"), &histogram);
  const HistogramValue h = histogram.Read();
  EXPECT_EQ(h.count, 0u);
  EXPECT_EQ(h.sum, 0.0);
  EXPECT_EQ(h.max, 0.0);
  EXPECT_EQ(h.bucket_counts, (std::vector<uint64_t>{0, 0, 0}));
  histogram.Record(0.5);
  EXPECT_EQ(histogram.Read().max, 0.5) << "max restarts from nothing, not from the old 50";
  EXPECT_EQ(&registry.GetTimer("t"), &timer);
  EXPECT_EQ(timer.Read().count, 0u);
  EXPECT_EQ(registry.Snapshot().Find("h")->unit, "bytes") << "layout and unit are kept";
}

TEST(MetricsRegistryTest, RetireUnknownOrOwnDenialCountersDoesNothing) {
  MetricsRegistry registry;
  EXPECT_FALSE(registry.Retire("never.created"));
  registry.GetCounter("x", {{"k", "v"}});
  EXPECT_FALSE(registry.Retire("x", {{"k", "w"}}));
  EXPECT_FALSE(registry.Retire(MetricsRegistry::kDeniedMetric, {{"reason", "invalid"}}));
  EXPECT_NE(registry.Snapshot().Find(MetricsRegistry::kDeniedMetric, {{"reason", "invalid"}}),
            nullptr);
}

TEST(MetricsRegistryTest, RetiredSeriesKeepsItsKind) {
  MetricsRegistry registry;
  Counter& counter = registry.GetCounter("x");
  EXPECT_TRUE(registry.Retire("x"));
  registry.GetGauge("x").Set(1);  // Discarded: the slot is still a counter's.
  EXPECT_EQ(Denied(registry, "kind_conflict"), 1u);
  EXPECT_EQ(registry.Snapshot().Find("x"), nullptr) << "a conflict does not revive it";
  EXPECT_EQ(&registry.GetCounter("x"), &counter);
  EXPECT_NE(registry.Snapshot().Find("x"), nullptr);
}

TEST(MetricsRegistryTest, RetiringTheLastSeriesOfANameFreesItsCardinalitySlot) {
  MetricsRegistry registry(CardinalityOptions{true, 2});
  registry.GetCounter("failover.call.total", {{"name", "a"}});
  registry.GetCounter("failover.store.total", {{"name", "a"}});
  registry.GetCounter("failover.call.total", {{"name", "b"}});

  // "a" still has a live series: no slot for "c" yet.
  EXPECT_TRUE(registry.Retire("failover.call.total", {{"name", "a"}}));
  registry.GetCounter("failover.call.total", {{"name", "c"}});
  EXPECT_EQ(Denied(registry, "cardinality"), 1u);

  EXPECT_TRUE(registry.Retire("failover.store.total", {{"name", "a"}}));
  Counter& c = registry.GetCounter("failover.call.total", {{"name", "c"}});
  c.Increment();
  EXPECT_EQ(Denied(registry, "cardinality"), 1u);
  EXPECT_EQ(registry.Snapshot().Find("failover.call.total", {{"name", "c"}})->value, 1.0);

  // Reviving "a" is a new name again, and the cap (b, c) is full.
  Counter& a = registry.GetCounter("failover.call.total", {{"name", "a"}});
  a.Increment();
  EXPECT_EQ(Denied(registry, "cardinality"), 2u);
  EXPECT_EQ(registry.Snapshot().Find("failover.call.total", {{"name", "a"}}), nullptr);

  // Once "b" goes, "a" comes back.
  EXPECT_TRUE(registry.Retire("failover.call.total", {{"name", "b"}}));
  EXPECT_EQ(registry.GetCounter("failover.call.total", {{"name", "a"}}).Value(), 0u);
  EXPECT_NE(registry.Snapshot().Find("failover.call.total", {{"name", "a"}}), nullptr);
  EXPECT_EQ(Denied(registry, "cardinality"), 2u);
}

}  // namespace
}  // namespace failover
