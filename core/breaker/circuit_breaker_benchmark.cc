// Cost of guarding a call with a CircuitBreaker, against the bare call in the same binary.
//   bazel run -c opt //core:circuit_breaker_benchmark
// Every benchmark reports allocs_per_call: heap allocations per iteration, counted by the
// replaced global operator new below.
#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>

#include "benchmark/benchmark.h"
#include "core/breaker/circuit_breaker.h"
#include "core/clock.h"

namespace {
std::atomic<uint64_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace failover {
namespace {

// The protected operation: trivial, and opaque to the optimiser, so both sides pay one real call.
__attribute__((noinline)) absl::Status ProtectedOperation(int* counter) {
  benchmark::DoNotOptimize(++*counter);
  return absl::OkStatus();
}

CircuitBreaker& SharedBreaker(SlidingWindowType type) {
  static CircuitBreaker* count_based = [] {
    return CircuitBreaker::Create("bench-count", CircuitBreakerOptions(), SystemClock())->release();
  }();
  static CircuitBreaker* time_based = [] {
    CircuitBreakerOptions o;
    o.sliding_window_type = SlidingWindowType::kTimeBased;
    o.sliding_window_duration = absl::Seconds(10);
    return CircuitBreaker::Create("bench-time", o, SystemClock())->release();
  }();
  return type == SlidingWindowType::kCountBased ? *count_based : *time_based;
}

void ReportAllocations(benchmark::State& state, uint64_t before) {
  state.counters["allocs_per_call"] = benchmark::Counter(
      static_cast<double>(g_allocations.load() - before), benchmark::Counter::kAvgIterations);
}

void BM_BareCall(benchmark::State& state) {
  int counter = 0;
  const uint64_t before = g_allocations.load();
  for (auto _ : state) {
    absl::Status s = ProtectedOperation(&counter);
    benchmark::DoNotOptimize(s);
  }
  ReportAllocations(state, before);
}
BENCHMARK(BM_BareCall);
BENCHMARK(BM_BareCall)->Threads(2);

// Acquire permission + call + record success on a CLOSED breaker (the figure, for the
// count-based window), shared by all threads of a multi-threaded run.
template <SlidingWindowType kType>
void BM_ClosedBreaker(benchmark::State& state) {
  CircuitBreaker& breaker = SharedBreaker(kType);
  int counter = 0;
  const uint64_t before = g_allocations.load();
  for (auto _ : state) {
    if (breaker.TryAcquirePermission()) {
      absl::Status s = ProtectedOperation(&counter);
      breaker.OnResult(absl::Microseconds(50), s);
    }
  }
  ReportAllocations(state, before);
}

void BM_ClosedBreakerCall(benchmark::State& state) {
  BM_ClosedBreaker<SlidingWindowType::kCountBased>(state);
}
BENCHMARK(BM_ClosedBreakerCall);
BENCHMARK(BM_ClosedBreakerCall)->Threads(2);

// The same on a time-based window: one extra monotonic clock read per call.
void BM_ClosedBreakerCallTimeBased(benchmark::State& state) {
  BM_ClosedBreaker<SlidingWindowType::kTimeBased>(state);
}
BENCHMARK(BM_ClosedBreakerCallTimeBased);
BENCHMARK(BM_ClosedBreakerCallTimeBased)->Threads(2);

// Execute(): as above plus timing the call with two monotonic clock reads (slow-call detection).
void BM_ClosedBreakerExecute(benchmark::State& state) {
  CircuitBreaker& breaker = SharedBreaker(SlidingWindowType::kCountBased);
  int counter = 0;
  const uint64_t before = g_allocations.load();
  for (auto _ : state) {
    absl::Status s = breaker.Execute([&] { return ProtectedOperation(&counter); });
    benchmark::DoNotOptimize(s);
  }
  ReportAllocations(state, before);
}
BENCHMARK(BM_ClosedBreakerExecute);

// A failing dependency in CLOSED: every outcome changes the window's counters.
void BM_ClosedBreakerMixedOutcomes(benchmark::State& state) {
  CircuitBreakerOptions o;
  o.failure_rate_threshold = 100;  // Never trips: measure recording, not transitions.
  auto breaker = CircuitBreaker::Create("bench-mixed", o, SystemClock());
  int i = 0;
  const absl::Status error = absl::UnavailableError("down");
  const uint64_t before = g_allocations.load();
  for (auto _ : state) {
    if ((*breaker)->TryAcquirePermission()) {
      (*breaker)->OnResult(absl::Microseconds(50), (++i % 3 == 0) ? error : absl::OkStatus());
    }
  }
  ReportAllocations(state, before);
}
BENCHMARK(BM_ClosedBreakerMixedOutcomes);

// An OPEN breaker turning calls away (one clock read to check the wait).
void BM_OpenBreakerRefusal(benchmark::State& state) {
  CircuitBreakerOptions o;
  o.wait_duration_in_open_state = absl::Hours(1);
  o.max_wait_duration_in_open_state = absl::Hours(1);
  auto breaker = CircuitBreaker::Create("bench-open", o, SystemClock());
  (*breaker)->TransitionToOpen();
  const uint64_t before = g_allocations.load();
  for (auto _ : state) benchmark::DoNotOptimize((*breaker)->TryAcquirePermission());
  ReportAllocations(state, before);
}
BENCHMARK(BM_OpenBreakerRefusal);

}  // namespace
}  // namespace failover
