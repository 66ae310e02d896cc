// FleetStore under a fleet of 1,000 instances with 50 series each (40 tagged counters, 5 gauges,
// 5 histograms): ingest throughput from 2 threads, Series() latency, and the cost of the SQLite
// writes that Flush() batches.
//   bazel run -c opt //dashboard/fleet:fleet_benchmark
#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "core/clock.h"
#include "dashboard/fleet/fleet_store.h"
#include "dashboard/fleet/sql_snapshot_repository.h"

namespace failover {
namespace dashboard {
namespace {

constexpr int kInstances = 1000;

v1::MetricsSnapshot FiftySeries(const std::string& id) {
  v1::MetricsSnapshot snapshot;
  snapshot.set_instance_id(id);
  snapshot.set_process_start_unix_nanos(1);
  for (int i = 0; i < 40; ++i) {
    v1::MetricSeries* series = snapshot.add_series();
    series->set_name(absl::StrCat("failover.calls.", i % 4));
    v1::Tag* tag = series->add_tags();
    tag->set_key("api");
    tag->set_value(absl::StrCat("api-", i / 4));
    series->set_counter(100 + i);
  }
  for (int i = 0; i < 5; ++i) {
    v1::MetricSeries* series = snapshot.add_series();
    series->set_name(absl::StrCat("breaker.state.", i));
    series->set_gauge(i);
  }
  for (int i = 0; i < 5; ++i) {
    v1::MetricSeries* series = snapshot.add_series();
    series->set_name(absl::StrCat("failover.latency.", i));
    v1::Histogram* histogram = series->mutable_histogram();
    for (int b = 0; b < 10; ++b) {
      v1::Histogram::Bucket* bucket = histogram->add_buckets();
      bucket->set_upper_bound(b == 9 ? INFINITY : 0.001 * (1 << b));
      bucket->set_cumulative_count(10 * (b + 1));
    }
    histogram->set_count(100);
    histogram->set_sum(1.5);
    histogram->set_max(0.7);
  }
  return snapshot;
}

std::vector<v1::MetricsSnapshot>& Fleet() {
  static auto* const fleet = [] {
    auto* snapshots = new std::vector<v1::MetricsSnapshot>();
    for (int i = 0; i < kInstances; ++i)
      snapshots->push_back(FiftySeries(absl::StrCat("peer-", i)));
    return snapshots;
  }();
  return *fleet;
}

std::unique_ptr<FleetStore> NewStore(std::unique_ptr<SnapshotRepository> repository = nullptr) {
  static WarningSink* const warnings = new WarningSink([](absl::string_view) {});
  SharedStoreConfig config;
  config.max_instances = 2 * kInstances;
  return *FleetStore::Create(SystemClock(), config, std::move(repository), *warnings);
}

void BM_AcceptSnapshot(benchmark::State& state) {
  static FleetStore* const store = NewStore().release();
  static std::atomic<uint64_t> next_sequence{1};
  const std::vector<v1::MetricsSnapshot>& fleet = Fleet();
  int instance = state.thread_index() * (kInstances / 2);
  for (auto _ : state) {
    v1::MetricsSnapshot snapshot = fleet[instance];
    snapshot.set_sequence(next_sequence.fetch_add(1, std::memory_order_relaxed));
    benchmark::DoNotOptimize(store->AcceptSnapshot(std::move(snapshot)));
    if (++instance == (state.thread_index() + 1) * (kInstances / 2)) {
      instance = state.thread_index() * (kInstances / 2);
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AcceptSnapshot)->Threads(1)->Threads(2)->UseRealTime();

void BM_Series(benchmark::State& state) {
  std::unique_ptr<FleetStore> store = NewStore();
  for (const v1::MetricsSnapshot& snapshot : Fleet()) (void)store->AcceptSnapshot(snapshot);
  size_t series = 0;
  for (auto _ : state) series = store->Series()->size();
  state.counters["series"] = static_cast<double>(series);
}
BENCHMARK(BM_Series)->Unit(benchmark::kMillisecond);

// Series() after every push: the fleet changed, so nothing of the last result can be reused (what
// api/metrics costs while 1,000 peers keep pushing).
void BM_SeriesAfterEachPush(benchmark::State& state) {
  std::unique_ptr<FleetStore> store = NewStore();
  for (const v1::MetricsSnapshot& snapshot : Fleet()) (void)store->AcceptSnapshot(snapshot);
  uint64_t sequence = 1;
  size_t instance = 0;
  size_t series = 0;
  for (auto _ : state) {
    state.PauseTiming();
    v1::MetricsSnapshot snapshot = Fleet()[instance];
    snapshot.set_sequence(++sequence);
    (void)store->AcceptSnapshot(std::move(snapshot));
    instance = (instance + 1) % Fleet().size();
    state.ResumeTiming();
    series = store->Series()->size();
  }
  state.counters["series"] = static_cast<double>(series);
}
BENCHMARK(BM_SeriesAfterEachPush)->Unit(benchmark::kMillisecond);

std::string SqliteUrl(absl::string_view name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string path =
      absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/fleet_benchmark_", name, getpid(), ".db");
  return absl::StrCat("sqlite://", path);
}

// One synchronous write of a 50-series instance: what writing through on every push would cost.
void BM_SqliteSave(benchmark::State& state) {
  std::unique_ptr<SnapshotRepository> repository =
      *OpenSqlSnapshotRepository(SqliteUrl("save"), SnapshotJdbcConfig{}, SystemClock());
  InstanceRecord record;
  record.snapshot = Fleet()[0];
  for (auto _ : state) {
    record.snapshot.set_sequence(record.snapshot.sequence() + 1);
    if (!repository->Save(record).ok()) state.SkipWithError("save failed");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SqliteSave)->Unit(benchmark::kMicrosecond);

// Flush() of the whole fleet, every instance dirty.
void BM_SqliteFlushFleet(benchmark::State& state) {
  std::unique_ptr<FleetStore> store =
      NewStore(*OpenSqlSnapshotRepository(SqliteUrl("flush"), SnapshotJdbcConfig{}, SystemClock()));
  uint64_t sequence = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ++sequence;
    for (v1::MetricsSnapshot snapshot : Fleet()) {
      snapshot.set_sequence(sequence);
      (void)store->AcceptSnapshot(std::move(snapshot));
    }
    state.ResumeTiming();
    if (!store->Flush().ok()) state.SkipWithError("flush failed");
  }
  state.counters["instances"] = kInstances;
}
BENCHMARK(BM_SqliteFlushFleet)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace dashboard
}  // namespace failover
