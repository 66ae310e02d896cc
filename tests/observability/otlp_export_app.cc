// otlp_export_app: an application that exports a fixed, known set of meters over OTLP/HTTP once,
// for otlp_decode_test (an independent OTLP decoder reads what it sends).
//
//   otlp_export_app --config FILE
//
// Loads the failover configuration from FILE (environment overrides apply), records
//   failover.call.total{name=quotes,result=success} 7, {name=quotes,result=failure} 2,
//   failover.api.health{name=quotes} 0.75,
//   failover.operation.duration{name=quotes,action=store} 3 ms, 20 ms, 2 s,
// starts MetricsExport with failover.observable (application name "orders-app"), flushes one
// export (10 s bound), prints the exporter's counters as one JSON line on stdout and shuts down.
// Exit 0 when the flush finished, 1 when it timed out, 2 for bad arguments or configuration.
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "core/config/environment.h"
#include "core/config/failover_config.h"
#include "core/config/failover_config_loader.h"
#include "core/metrics/export/metrics_export.h"
#include "core/metrics/metrics_registry.h"
#include "core/metrics/otlp/otlp_exporter.h"
#include "core/warning_sink.h"

namespace failover {
namespace {

constexpr absl::Duration kFlushTimeout = absl::Seconds(10);

void RecordKnownMeters(MetricsRegistry& registry) {
  registry.GetCounter("failover.call.total", {{"name", "quotes"}, {"result", "success"}})
      .Increment(7);
  registry.GetCounter("failover.call.total", {{"name", "quotes"}, {"result", "failure"}})
      .Increment(2);
  registry.GetGauge("failover.api.health", {{"name", "quotes"}}).Set(0.75);
  Timer& duration =
      registry.GetTimer("failover.operation.duration", {{"name", "quotes"}, {"action", "store"}});
  duration.Record(absl::Milliseconds(3));
  duration.Record(absl::Milliseconds(20));
  duration.Record(absl::Seconds(2));
}

std::string StatsJson(const OtlpExporter::Stats& stats) {
  return absl::StrFormat(
      "{\"exported\":%d,\"failed_attempts\":%d,\"dropped_queue_full\":%d,"
      "\"dropped_retry_expired\":%d,\"dropped_permanent\":%d,\"rejected_points\":%d,"
      "\"queued\":%d}",
      stats.exported, stats.failed_attempts, stats.dropped_queue_full, stats.dropped_retry_expired,
      stats.dropped_permanent, stats.rejected_points, stats.queued);
}

int Run(int argc, char** argv) {
  if (argc != 3 || std::strcmp(argv[1], "--config") != 0) {
    std::fprintf(stderr, "usage: %s --config FILE\n", argv[0]);
    return 2;
  }
  const absl::StatusOr<FailoverConfig> config =
      LoadFailoverConfigFile(argv[2], ProcessEnvironment());
  if (!config.ok()) {
    std::fprintf(stderr, "otlp_export_app: %s\n", config.status().ToString().c_str());
    return 2;
  }
  MetricsRegistry registry(config->observable.cardinality);
  RecordKnownMeters(registry);

  MetricsExportDeps deps;
  deps.warnings = StderrWarningSink();
  deps.application_name = "orders-app";
  absl::StatusOr<std::unique_ptr<MetricsExport>> exporter =
      MetricsExport::Start(config->observable, registry, std::move(deps));
  if (!exporter.ok()) {
    std::fprintf(stderr, "otlp_export_app: %s\n", exporter.status().ToString().c_str());
    return 2;
  }
  OtlpExporter* otlp = (*exporter)->otlp();
  if (otlp == nullptr) {
    std::fprintf(stderr, "otlp_export_app: failover.observable.otlp.enabled is false in %s\n",
                 argv[2]);
    return 2;
  }
  const bool flushed = otlp->ForceFlush(kFlushTimeout);
  std::printf("%s\n", StatsJson(otlp->stats()).c_str());
  std::fflush(stdout);
  (*exporter)->Shutdown();
  if (!flushed) {
    std::fprintf(stderr, "otlp_export_app: ForceFlush did not finish within %s\n",
                 absl::FormatDuration(kFlushTimeout).c_str());
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace failover

int main(int argc, char** argv) { return failover::Run(argc, argv); }
