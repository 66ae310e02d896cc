// A registry shaped like one fleet member's, for the metrics benchmarks: per API, call outcomes
// and recoveries (counters), breaker state and live entries (gauges), and store/load/upstream
// timers with a few recorded durations: 10 series per API, so 100 APIs make 1,000 series (plus
// the registry's own 3 denial counters).
//
//   const failover::MetricsRegistry& registry = failover::BenchmarkRegistry();  // 100 APIs
//
// Thread-safety: built once on first use (thread-safe static); read-only afterwards.
#ifndef FAILOVER_CORE_METRICS_TESTING_BENCHMARK_REGISTRY_H_
#define FAILOVER_CORE_METRICS_TESTING_BENCHMARK_REGISTRY_H_

#include "core/metrics/metrics_registry.h"

namespace failover {

inline constexpr int kBenchmarkApis = 100;

// The shared registry with kBenchmarkApis APIs. Never destroyed.
const MetricsRegistry& BenchmarkRegistry();

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_TESTING_BENCHMARK_REGISTRY_H_
