// Part of //redis-failover:client_benchmark: what each piece of RedisFailoverClient's command
// path costs on its own, configured as the client configures it, so that the client's overhead
// over a bare connection (BM_ClientWithoutNetwork - BM_InstantConnection) can be split up.
// Per command the client makes one Retry::Run, one breaker permission and outcome, one pool
// lease, two monotonic clock reads of its own, two locks of its mutex with a shared_ptr copy
// (closed? and the active endpoint), and updates a counter, a timer and an atomic.
// Pieces that threads share in the client run with 1 and 4 threads.
#include <atomic>
#include <functional>
#include <memory>

#include "absl/status/status.h"
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
#include "redis-failover/redis_client_options.h"

namespace failover {
namespace redis {
namespace client_benchmark {
namespace {

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
