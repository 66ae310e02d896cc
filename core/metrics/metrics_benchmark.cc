// Cost of updating metrics, against a plain std::atomic increment as the baseline:
//   bazel run -c opt //core/metrics:metrics_benchmark
// Each benchmark also runs with 2 threads (the machine has 2 cores) to show contention.
#include <atomic>
#include <memory>

#include "benchmark/benchmark.h"
#include "core/metrics/metrics_publisher.h"
#include "core/metrics/metrics_registry.h"

namespace failover {
namespace {

std::atomic<uint64_t> g_baseline{0};

void BM_BaselineAtomicIncrement(benchmark::State& state) {
  for (auto _ : state) g_baseline.fetch_add(1, std::memory_order_relaxed);
}
BENCHMARK(BM_BaselineAtomicIncrement)->Threads(1)->Threads(2);

MetricsRegistry& SharedRegistry() {
  static MetricsRegistry* const registry = new MetricsRegistry();
  return *registry;
}

void BM_CachedCounterIncrement(benchmark::State& state) {
  Counter& counter = SharedRegistry().GetCounter("failover.call.total", {{"name", "cached"}});
  for (auto _ : state) counter.Increment();
}
BENCHMARK(BM_CachedCounterIncrement)->Threads(1)->Threads(2);

void BM_CachedTimerRecord(benchmark::State& state) {
  Timer& timer = SharedRegistry().GetTimer("failover.upstream.duration", {{"name", "cached"}});
  for (auto _ : state) timer.Record(absl::Microseconds(1500));
}
BENCHMARK(BM_CachedTimerRecord)->Threads(1)->Threads(2);

// Tags built per call, as a call site without a cached handle would.
void BM_LookupThenIncrement(benchmark::State& state) {
  MetricsRegistry& registry = SharedRegistry();
  for (auto _ : state) {
    registry.GetCounter("failover.call.total", {{"name", "quotes"}, {"result", "success"}})
        .Increment();
  }
}
BENCHMARK(BM_LookupThenIncrement)->Threads(1)->Threads(2);

// Tags built once; measures the sharded lookup alone.
void BM_LookupPrebuiltTagsThenIncrement(benchmark::State& state) {
  MetricsRegistry& registry = SharedRegistry();
  const Tags tags{{"name", "quotes"}, {"result", "success"}};
  for (auto _ : state) registry.GetCounter("failover.call.total", tags).Increment();
}
BENCHMARK(BM_LookupPrebuiltTagsThenIncrement)->Threads(1)->Threads(2);

// Submit through the background worker. The worker competes for the same 2 cores; whatever it
// cannot keep up with is dropped (and counted), which is the designed behaviour. The counters
// report how many submissions were accepted and dropped.
void BM_AsyncSubmit(benchmark::State& state) {
  static MetricsRegistry* registry = nullptr;
  static MetricsPublisher* publisher = nullptr;
  if (state.thread_index() == 0) {
    registry = new MetricsRegistry();
    publisher = new MetricsPublisher(*registry, PublishMode::kBackgroundThread, 10000);
  }
  int64_t accepted = 0, dropped = 0;
  for (auto _ : state) {
    if (publisher->IncrementCounter("failover.call.total", {{"name", "quotes"}})) {
      ++accepted;
    } else {
      ++dropped;
    }
  }
  state.counters["accepted"] = benchmark::Counter(static_cast<double>(accepted));
  state.counters["dropped"] = benchmark::Counter(static_cast<double>(dropped));
  if (state.thread_index() == 0) {
    delete publisher;
    delete registry;
  }
}
BENCHMARK(BM_AsyncSubmit)->Threads(1)->Threads(2);

}  // namespace
}  // namespace failover
