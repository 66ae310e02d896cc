// Part of //redis-failover:client_benchmark: the client's own cost per command, without network,
// and what each piece of its command path costs on its own, configured as the client configures
// it.
//   BM_InstantConnection     the command on a connection that answers at once (no network), argv
//                            built per call as Set() / Get() build it: the baseline ...
//   BM_ClientWithoutNetwork  ... and Set() / Get() through a client over such connections; also
//                            counts the clock reads and allocations per command.
//   BM_Cost_*                the pieces. Per command the client makes one Retry::Run, one breaker
//                            permission and outcome, one pool lease, two monotonic clock reads of
//                            its own, two locks of its mutex with a shared_ptr copy (closed? and
//                            the active endpoint), and updates a counter, a timer and an atomic.
// Pieces that threads share in the client run with 1 and 4 threads.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "core/breaker/circuit_breaker.h"
#include "core/clock.h"
#include "core/metrics/metrics_registry.h"
#include "core/random.h"
#include "core/retry/retry.h"
#include "core/sync.h"
#include "redis-failover/availability.h"
#include "redis-failover/client_benchmark.h"
#include "redis-failover/connection_pool.h"
#include "redis-failover/redis_client.h"
#include "redis-failover/redis_client_options.h"

namespace failover {
namespace redis {
namespace client_benchmark {
namespace {

thread_local uint64_t t_clock_reads = 0;

// The system clock, counting the Now() calls of each thread.
class CountingClock final : public Clock {
 public:
  MonotonicTime Now() const override {
    ++t_clock_reads;
    return SystemClock().Now();
  }
  absl::Time WallNow() const override { return SystemClock().WallNow(); }
  void SleepFor(absl::Duration d) override { SystemClock().SleepFor(d); }
  TimerId ScheduleAfter(absl::Duration delay, std::function<void()> callback) override {
    return SystemClock().ScheduleAfter(delay, std::move(callback));
  }
  bool Cancel(TimerId id) override { return SystemClock().Cancel(id); }
};

// One endpoint without health checks (there is no server to probe) over InstantConnections,
// default options otherwise. Never destroyed, like the breakers below.
RedisFailoverClient& InstantClient() {
  static RedisFailoverClient* const client = [] {
    static CountingClock* const clock = new CountingClock();
    RedisClientOptions o;
    o.endpoints = {{"instant", "redis://127.0.0.1:1", 1.0, /*health_check=*/false}};
    o.connection_factory =
        [](const RedisAddress& address,
           const RedisConnectionOptions&) -> absl::StatusOr<std::unique_ptr<RedisConnection>> {
      return std::make_unique<InstantConnection>(address);
    };
    return RedisFailoverClient::Create(std::move(o), *clock)->release();
  }();
  return *client;
}

std::string KeyFor(const benchmark::State& state) {
  return absl::StrCat("bench:instant:", state.thread_index());
}

void BM_InstantConnection(benchmark::State& state) {
  InstantConnection c(*ParseRedisUri("redis://127.0.0.1:1"));
  const std::string key = KeyFor(state);
  uint64_t n = 0;
  const uint64_t before = ThreadAllocations();
  for (auto _ : state) {
    absl::StatusOr<RedisReply> r =
        (n++ & 1) == 0 ? c.Command({"SET", key, kValue}) : c.Command({"GET", key});
    benchmark::DoNotOptimize(r);
  }
  ReportAllocationsPerOp(state, before);
}
BENCHMARK(BM_InstantConnection)->Threads(1)->Threads(4)->UseRealTime();

void BM_ClientWithoutNetwork(benchmark::State& state) {
  RedisFailoverClient& client = InstantClient();
  const std::string key = KeyFor(state);
  uint64_t n = 0;
  const uint64_t clock_reads_before = t_clock_reads;
  const uint64_t before = ThreadAllocations();
  for (auto _ : state) {
    if ((n++ & 1) == 0) {
      absl::StatusOr<bool> applied = client.Set(key, kValue);
      benchmark::DoNotOptimize(applied);
    } else {
      absl::StatusOr<std::optional<std::string>> got = client.Get(key);
      benchmark::DoNotOptimize(got);
    }
  }
  ReportAllocationsPerOp(state, before);
  state.counters["clock_reads_per_op"] = benchmark::Counter(
      static_cast<double>(t_clock_reads - clock_reads_before), benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_ClientWithoutNetwork)->Threads(1)->Threads(4)->UseRealTime();

void BM_Cost_ClockNow(benchmark::State& state) {
  const uint64_t before = ThreadAllocations();
  for (auto _ : state) benchmark::DoNotOptimize(SystemClock().Now());
  ReportAllocationsPerOp(state, before);
}
BENCHMARK(BM_Cost_ClockNow);

// One breaker per endpoint, shared by every thread, with the client's default options.
void BM_Cost_BreakerCall(benchmark::State& state) {
  static CircuitBreaker* const breaker =
      CircuitBreaker::Create("bench", DefaultRedisBreakerOptions(), SystemClock())->release();
  const uint64_t before = ThreadAllocations();
  for (auto _ : state) {
    if (breaker->TryAcquirePermission()) breaker->OnSuccess(absl::Microseconds(30));
  }
  ReportAllocationsPerOp(state, before);
}
BENCHMARK(BM_Cost_BreakerCall)->Threads(1)->Threads(4)->UseRealTime();

__attribute__((noinline)) absl::Status Succeed(int* counter) {
  benchmark::DoNotOptimize(++*counter);
  return absl::OkStatus();
}

// Retry::Run around an attempt that succeeds, with the client's retry options and predicate, the
// operation held in a std::function as the client holds it.
void BM_Cost_RetryRun(benchmark::State& state) {
  RetryOptions options = DefaultRedisRetryOptions();
  options.ignore_if = [](const absl::Status& s) { return IsAllEndpointsDown(s); };
  std::unique_ptr<Retry> retry =
      *Retry::Create("redis", std::move(options), SystemClock(), SystemRandom());
  int counter = 0;
  const std::function<absl::Status(int*)> op = Succeed;
  const uint64_t before = ThreadAllocations();
  for (auto _ : state) {
    absl::Status s = retry->Run([&]() { return op(&counter); });
    benchmark::DoNotOptimize(s);
  }
  ReportAllocationsPerOp(state, before);
}
BENCHMARK(BM_Cost_RetryRun);

// Acquire and give back a connection of a pool shared by every thread.
void BM_Cost_PoolLease(benchmark::State& state) {
  static ConnectionPool* const pool = new ConnectionPool(
      []() -> absl::StatusOr<std::unique_ptr<RedisConnection>> {
        return std::make_unique<InstantConnection>(*ParseRedisUri("redis://127.0.0.1:1"));
      },
      ConnectionPoolOptions());
  const uint64_t before = ThreadAllocations();
  for (auto _ : state) {
    absl::StatusOr<ConnectionPool::Lease> lease = pool->Acquire();
    if (!lease.ok()) {
      state.SkipWithError("pool exhausted");
      break;
    }
  }
  ReportAllocationsPerOp(state, before);
}
BENCHMARK(BM_Cost_PoolLease)->Threads(1)->Threads(4)->UseRealTime();

// The meters a successful command updates: its endpoint's success counter and latency timer, and
// the time of the last success.
void BM_Cost_Metrics(benchmark::State& state) {
  static MetricsRegistry* const registry = new MetricsRegistry();
  Counter& successes = registry->GetCounter("failover.redis.commands.total",
                                            {{"endpoint", "bench"}, {"result", "success"}});
  Timer& latency = registry->GetTimer("failover.redis.command.duration", {{"endpoint", "bench"}});
  static std::atomic<int64_t> last_success_ns{0};
  int64_t i = 0;
  const uint64_t before = ThreadAllocations();
  for (auto _ : state) {
    successes.Increment();
    latency.Record(absl::Microseconds(30));
    last_success_ns.store(++i, std::memory_order_relaxed);
  }
  ReportAllocationsPerOp(state, before);
}
BENCHMARK(BM_Cost_Metrics)->Threads(1)->Threads(4)->UseRealTime();

// The client's two looks at its shared state per command: lock, check closed, unlock; lock, copy
// the active endpoint's shared_ptr, unlock (and release that copy at the end).
void BM_Cost_ActiveEndpointLookup(benchmark::State& state) {
  struct Shared {
    Mutex mu;
    bool closed ABSL_GUARDED_BY(mu) = false;
    std::shared_ptr<int> active ABSL_GUARDED_BY(mu) = std::make_shared<int>(1);
  };
  static Shared* const shared = new Shared();
  const uint64_t before = ThreadAllocations();
  for (auto _ : state) {
    {
      MutexLock lock(&shared->mu);
      benchmark::DoNotOptimize(shared->closed);
    }
    std::shared_ptr<int> active;
    {
      MutexLock lock(&shared->mu);
      active = shared->active;
    }
    benchmark::DoNotOptimize(active);
  }
  ReportAllocationsPerOp(state, before);
}
BENCHMARK(BM_Cost_ActiveEndpointLookup)->Threads(1)->Threads(4)->UseRealTime();

}  // namespace
}  // namespace client_benchmark
}  // namespace redis
}  // namespace failover
