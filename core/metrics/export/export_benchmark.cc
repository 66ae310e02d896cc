// What the two exporters cost per scrape / per export over real loopback HTTP, beside the CPU
// work alone (the in-process baseline of the same run), for a registry of 1,000 series:
//   - BM_RenderPrometheus: snapshot + Prometheus text (what a scrape computes);
//   - BM_ScrapeOverHttp: GET /metrics from the PrometheusListener, kept-alive connection;
//   - BM_EncodeOtlp: snapshot + OTLP encode + serialize (what one export computes);
//   - BM_OtlpExportOverHttp: OtlpExporter::ForceFlush to an OTLP/HTTP receiver on loopback
//     (collect, POST, the receiver's 200, the sender's bookkeeping).
//   bazel run --config=bench //core/metrics/export:export_benchmark
#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "core/clock.h"
#include "core/metrics/export/prometheus_listener.h"
#include "core/metrics/instance_tag_policy.h"
#include "core/metrics/otlp/otlp_encoder.h"
#include "core/metrics/otlp/otlp_exporter.h"
#include "core/metrics/otlp/otlp_http_transport.h"
#include "core/metrics/prometheus_text.h"
#include "core/metrics/testing/benchmark_registry.h"
#include "core/random.h"

namespace failover {
namespace {

const InstanceTagPolicy kPolicy(InstanceMode::kAuto, "orders@host-1");
const OtlpResource kResource{"orders", "orders@host-1", {}};

std::string CollectOtlpBody() {
  const absl::Time now = absl::Now();
  return EncodeOtlpMetrics(BenchmarkRegistry().Snapshot(), kResource, kPolicy, now - absl::Hours(1),
                           now)
      .request.SerializeAsString();
}

void BM_RenderPrometheus(benchmark::State& state) {
  size_t bytes = 0;
  for (auto _ : state) {
    const PrometheusExposition page =
        RenderPrometheusExposition(BenchmarkRegistry().Snapshot(), kPolicy);
    bytes = page.body.size();
    benchmark::DoNotOptimize(page);
  }
  state.counters["body_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderPrometheus)->Unit(benchmark::kMicrosecond);

void BM_ScrapeOverHttp(benchmark::State& state) {
  PrometheusEndpointConfig config;
  config.enabled = true;
  config.listen = "127.0.0.1:0";
  absl::StatusOr<std::unique_ptr<PrometheusListener>> listener =
      PrometheusListener::Start(config, BenchmarkRegistry(), kPolicy, [](absl::string_view) {});
  if (!listener.ok()) {
    state.SkipWithError(std::string(listener.status().message()).c_str());
    return;
  }
  httplib::Client client("127.0.0.1", (*listener)->port());
  client.set_keep_alive(true);
  for (auto _ : state) {
    httplib::Result result = client.Get(config.path);
    if (!result || result->status != 200) {
      state.SkipWithError("scrape failed");
      break;
    }
    benchmark::DoNotOptimize(result->body);
  }
  (*listener)->Stop();
}
BENCHMARK(BM_ScrapeOverHttp)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_EncodeOtlp(benchmark::State& state) {
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string body = CollectOtlpBody();
    bytes = body.size();
    benchmark::DoNotOptimize(body);
  }
  state.counters["body_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_EncodeOtlp)->Unit(benchmark::kMicrosecond);

void BM_OtlpExportOverHttp(benchmark::State& state) {
  httplib::Server receiver;
  receiver.Post("/v1/metrics", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("", "application/x-protobuf");
  });
  const int port = receiver.bind_to_any_port("127.0.0.1");
  std::thread serving([&receiver] { receiver.listen_after_bind(); });
  while (!receiver.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  OtlpHttpOptions http;
  http.endpoint = "http://127.0.0.1:" + std::to_string(port) + "/v1/metrics";
  absl::StatusOr<std::unique_ptr<OtlpTransport>> transport = NewOtlpHttpTransport(http);
  if (!transport.ok()) {
    state.SkipWithError(std::string(transport.status().message()).c_str());
  } else {
    OtlpExporterOptions options;
    options.interval = absl::Hours(1);  // Only ForceFlush exports.
    OtlpExporter exporter(options, CollectOtlpBody, *std::move(transport), SystemClock(),
                          SystemRandom(), nullptr, [](absl::string_view) {});
    for (auto _ : state) {
      if (!exporter.ForceFlush(absl::Seconds(10))) {
        state.SkipWithError("export did not finish");
        break;
      }
    }
    state.counters["exported"] = static_cast<double>(exporter.stats().exported);
    exporter.Shutdown(absl::Seconds(5));
  }
  receiver.stop();
  serving.join();
}
BENCHMARK(BM_OtlpExportOverHttp)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
}  // namespace failover
