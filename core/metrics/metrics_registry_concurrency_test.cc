// Many threads creating, looking up and updating series while another takes snapshots. The
// assertions check totals; run under --config=tsan to check the synchronisation itself.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/metrics/metrics_registry.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

constexpr int kThreads = 8;
constexpr int kIterations = 2000;

TEST(MetricsRegistryConcurrencyTest, ThreadsShareSeriesAndCreateTheirOwn) {
  MetricsRegistry registry(CardinalityOptions{true, 20});
  Counter& shared = registry.GetCounter("failover.call.total", {{"name", "shared"}});
  std::atomic<bool> done{false};
  std::thread snapshotter([&] {
    while (!done.load()) {
      const MetricsSnapshot snapshot = registry.Snapshot();
      ASSERT_FALSE(snapshot.series().empty());
    }
  });

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&registry, &shared, t] {
      for (int i = 0; i < kIterations; ++i) {
        shared.Increment();
        registry.GetCounter("failover.call.total", {{"result", "ok"}, {"name", "shared"}})
            .Increment();
        registry.GetGauge("failover.live.entries").Add(1);
        registry.GetTimer("failover.operation.duration", {{"name", "shared"}})
            .Record(absl::Microseconds(i));
        // Per-thread series, and 8 * 10 distinct names racing for 19 remaining slots.
        registry.GetCounter(absl::StrCat("thread.", t), {{"i", std::to_string(i % 50)}})
            .Increment();
        registry.GetCounter("failover.store.total", {{"name", absl::StrCat(t, "-", i % 10)}})
            .Increment();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  done.store(true);
  snapshotter.join();

  constexpr uint64_t kTotal = uint64_t{kThreads} * kIterations;
  EXPECT_EQ(shared.Value(), kTotal);
  EXPECT_EQ(
      registry.GetCounter("failover.call.total", {{"name", "shared"}, {"result", "ok"}}).Value(),
      kTotal);
  EXPECT_EQ(registry.GetGauge("failover.live.entries").Value(), static_cast<double>(kTotal));
  const HistogramValue timer =
      registry.GetTimer("failover.operation.duration", {{"name", "shared"}}).Read();
  EXPECT_EQ(timer.count, kTotal);
  EXPECT_DOUBLE_EQ(timer.max, (kIterations - 1) * 1e-6);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(registry.GetCounter(absl::StrCat("thread.", t), {{"i", "0"}}).Value(),
              static_cast<uint64_t>(kIterations / 50));
  }

  // Exactly 19 store names got in besides "shared"; every other attempt was denied.
  const MetricsSnapshot snapshot = registry.Snapshot();
  uint64_t admitted_series = 0, admitted_updates = 0;
  for (const SeriesSnapshot& s : snapshot.series()) {
    if (s.name != "failover.store.total") continue;
    ++admitted_series;
    admitted_updates += static_cast<uint64_t>(s.value);
  }
  EXPECT_EQ(admitted_series, 19u);
  const uint64_t denied =
      registry.GetCounter(MetricsRegistry::kDeniedMetric, {{"reason", "cardinality"}}).Value();
  EXPECT_EQ(admitted_updates + denied, kTotal);
}

// Writers update cached references and ask for the series again while another thread retires
// them and a third takes snapshots: references stay valid, snapshots never show a retired
// series twice or a torn one, and the guard's counts end exact.
TEST(MetricsRegistryConcurrencyTest, RetireRacesWritersRevivalsAndSnapshots) {
  constexpr int kNames = 6;
  MetricsRegistry registry(CardinalityOptions{true, kNames});
  std::vector<Tags> tags;
  for (int i = 0; i < kNames; ++i) tags.push_back(Tags{{"name", absl::StrCat("n", i)}});
  std::vector<Counter*> counters;
  std::vector<Gauge*> gauges;
  std::vector<Timer*> timers;
  for (const Tags& t : tags) {
    counters.push_back(&registry.GetCounter("failover.call.total", t));
    gauges.push_back(&registry.GetGauge("failover.live.entries", t));
    timers.push_back(&registry.GetTimer("failover.operation.duration", t));
  }

  std::atomic<bool> done{false};
  std::thread snapshotter([&] {
    while (!done.load()) {
      const MetricsSnapshot snapshot = registry.Snapshot();
      for (size_t i = 1; i < snapshot.series().size(); ++i) {
        const SeriesSnapshot& a = snapshot.series()[i - 1];
        const SeriesSnapshot& b = snapshot.series()[i];
        ASSERT_FALSE(a.name == b.name && a.tags == b.tags) << a.name;
      }
    }
  });
  std::thread retirer([&] {
    for (int i = 0; !done.load(); ++i) {
      const Tags& t = tags[i % kNames];
      registry.Retire("failover.call.total", t);
      registry.Retire("failover.live.entries", t);
      registry.Retire("failover.operation.duration", t);
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kThreads / 2; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kIterations; ++i) {
        const int n = (i + w) % kNames;
        counters[n]->Increment();
        gauges[n]->Add(1);
        timers[n]->Record(absl::Microseconds(i));
        // Revives whatever the retirer took away; always the same meters.
        ASSERT_EQ(&registry.GetCounter("failover.call.total", tags[n]), counters[n]);
        ASSERT_EQ(&registry.GetGauge("failover.live.entries", tags[n]), gauges[n]);
        ASSERT_EQ(&registry.GetTimer("failover.operation.duration", tags[n]), timers[n]);
      }
    });
  }
  for (std::thread& thread : writers) thread.join();
  done.store(true);
  retirer.join();
  snapshotter.join();

  // Every series of every name admitted at least once, retired at most once more: retiring
  // them all must free every slot, so kNames brand-new names fit.
  for (const Tags& t : tags) {
    registry.Retire("failover.call.total", t);
    registry.Retire("failover.live.entries", t);
    registry.Retire("failover.operation.duration", t);
  }
  for (int i = 0; i < kNames; ++i) {
    registry.GetCounter("failover.call.total", {{"name", absl::StrCat("fresh", i)}});
  }
  EXPECT_EQ(
      registry.GetCounter(MetricsRegistry::kDeniedMetric, {{"reason", "cardinality"}}).Value(), 0u);
  EXPECT_EQ(registry.Snapshot().Find("failover.call.total", tags[0]), nullptr);
}

}  // namespace
}  // namespace failover
