// Benchmarks of the configured store stack and the call wrapper, linked into
// //store-jdbc:store_benchmark next to the cache and SQL benchmarks:
//   - SQLite upsert through NewFailoverStore with failover.store.async off and on (the async
//     figure is the caller's cost: a write accepted, not yet durable; the Flush() after the
//     timed loop waits for the backlog, untimed);
//   - Failover<std::string>::Call on the success path (store on every call) and the recovery
//     path, over the in-memory store, next to calling the upstream directly.
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "core/clock.h"
#include "core/metrics/metrics_registry.h"
#include "store-jdbc/call/failover.h"
#include "store-jdbc/call/failover_registry.h"
#include "store-jdbc/call/payload_codec.h"
#include "store-jdbc/store_factory.h"

namespace failover {
namespace {

std::string TempDbUrl(absl::string_view name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat("sqlite://", dir != nullptr ? dir : "/tmp", "/store_benchmark_", name, "_",
                      ::getpid(), ".db");
}

std::unique_ptr<ConfiguredFailoverStore> SqliteStack(bool async, absl::string_view name) {
  StoreConfig config;
  config.type = StoreType::kJdbc;
  config.async = async;
  config.jdbc.url = TempDbUrl(name);
  config.jdbc.allowed_payload_classes = {"com.acme"};
  return NewFailoverStore(config).value();
}

// Arg: 0 = synchronous, 1 = asynchronous (accept + the final Flush).
void BM_SqliteStackUpsert(benchmark::State& state) {
  const bool async = state.range(0) == 1;
  std::unique_ptr<ConfiguredFailoverStore> store = SqliteStack(async, async ? "async" : "sync");
  const absl::Time now = absl::Now();
  FailoverStoreEntry entry{"quotes",        "", now, now + absl::Hours(1), R"({"px":1.2345})",
                           "com.acme.Quote"};
  int64_t i = 0;
  for (auto _ : state) {
    entry.key = absl::StrCat("key-", i++ % 10000);
    benchmark::DoNotOptimize(store->Store(entry));
  }
  if (async) {
    const absl::Status flushed = store->Flush();  // untimed: the backlog reaches SQLite
    if (!flushed.ok()) state.SkipWithError(std::string(flushed.message()).c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SqliteStackUpsert)->ArgName("async")->Arg(0)->Arg(1)->UseRealTime();

struct WrapperFixture {
  WrapperFixture() {
    StoreConfig config;
    config.type = StoreType::kInMemory;
    config.async = false;
    store = NewFailoverStore(config).value();
    FailoverOptions options;
    options.name = "bench";
    quotes = Failover<std::string>::Create(options, std::make_unique<StringCodec>(), {},
                                           {*store, SystemClock(), failovers})
                 .value();
  }
  MetricsRegistry metrics;
  FailoverRegistry failovers{metrics};
  std::unique_ptr<ConfiguredFailoverStore> store;
  std::unique_ptr<Failover<std::string>> quotes;
};

void BM_UpstreamDirect(benchmark::State& state) {
  std::function<absl::StatusOr<std::string>()> upstream = [] {
    return absl::StatusOr<std::string>("1.2345");
  };
  for (auto _ : state) benchmark::DoNotOptimize(upstream());
}
BENCHMARK(BM_UpstreamDirect);

void BM_WrapperSuccess(benchmark::State& state) {
  WrapperFixture f;
  int64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        f.quotes->Call({"EUR", i++ % 1000}, [] { return absl::StatusOr<std::string>("1.2345"); }));
  }
}
BENCHMARK(BM_WrapperSuccess);

void BM_WrapperRecovery(benchmark::State& state) {
  WrapperFixture f;
  for (int i = 0; i < 1000; ++i) {
    (void)f.quotes->Call({"EUR", i}, [] { return absl::StatusOr<std::string>("1.2345"); });
  }
  const absl::Status down = absl::UnavailableError("down");
  int64_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        f.quotes->Call({"EUR", i++ % 1000}, [&] { return absl::StatusOr<std::string>(down); }));
  }
}
BENCHMARK(BM_WrapperRecovery);

}  // namespace
}  // namespace failover
