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

}  // namespace
}  // namespace failover
