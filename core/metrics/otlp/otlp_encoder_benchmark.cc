// Cost of one OTLP export's CPU work over a registry of 1,000 series (counters, gauges, timers),
// beside the two references it should be compared with: taking the snapshot, and rendering the
// same snapshot as Prometheus text.
//   bazel run -c opt //core/metrics/otlp:otlp_encoder_benchmark
#include <string>

#include "benchmark/benchmark.h"
#include "core/metrics/metrics_registry.h"
#include "core/metrics/otlp/otlp_encoder.h"
#include "core/metrics/prometheus_text.h"
#include "core/metrics/testing/benchmark_registry.h"

namespace failover {
namespace {

const InstanceTagPolicy kPolicy(InstanceMode::kAuto, "orders@host-1");
const OtlpResource kResource{"orders", "orders@host-1", {{"deployment.environment", "prod"}}};
const absl::Time kStart = absl::FromUnixSeconds(1700000000);

void BM_Snapshot(benchmark::State& state) {
  const MetricsRegistry& registry = BenchmarkRegistry();
  for (auto _ : state) benchmark::DoNotOptimize(registry.Snapshot());
  state.counters["series"] = static_cast<double>(registry.series_count());
}
BENCHMARK(BM_Snapshot);

void BM_RenderPrometheusExposition(benchmark::State& state) {
  const MetricsSnapshot snapshot = BenchmarkRegistry().Snapshot();
  size_t bytes = 0;
  for (auto _ : state) {
    PrometheusExposition page = RenderPrometheusExposition(snapshot, kPolicy);
    bytes = page.body.size();
    benchmark::DoNotOptimize(page);
  }
  state.counters["body_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderPrometheusExposition);

void BM_EncodeOtlp(benchmark::State& state) {
  const MetricsSnapshot snapshot = BenchmarkRegistry().Snapshot();
  size_t points = 0;
  for (auto _ : state) {
    OtlpEncoded encoded =
        EncodeOtlpMetrics(snapshot, kResource, kPolicy, kStart, kStart + absl::Seconds(60));
    points = encoded.data_points;
    benchmark::DoNotOptimize(encoded);
  }
  state.counters["points"] = static_cast<double>(points);
}
BENCHMARK(BM_EncodeOtlp);

// What an export does per interval after the snapshot: encode, then serialize the body.
void BM_EncodeOtlpAndSerialize(benchmark::State& state) {
  const MetricsSnapshot snapshot = BenchmarkRegistry().Snapshot();
  size_t bytes = 0;
  for (auto _ : state) {
    const OtlpEncoded encoded =
        EncodeOtlpMetrics(snapshot, kResource, kPolicy, kStart, kStart + absl::Seconds(60));
    std::string body = encoded.request.SerializeAsString();
    bytes = body.size();
    benchmark::DoNotOptimize(body);
  }
  state.counters["body_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_EncodeOtlpAndSerialize);

}  // namespace
}  // namespace failover
