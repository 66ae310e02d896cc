// MetricsExport: one call that puts an application's metrics registry in front of its backends,
// as failover.observable.* configures: the Prometheus listener (prometheus.*) and the periodic
// OTLP exporter (otlp.*), which sends over OTLP/HTTP (otlp.protocol http/protobuf, the default:
// otlp_http_transport.h) or OTLP/gRPC (grpc: otlp_grpc_transport.h, endpoint
// http[s]://host:port). Either, both or neither may be enabled. The instance id comes from
// failover.observable.instance.* (InstanceTagPolicy): OTLP carries it as the resource attribute
// service.instance.id (and, as the policy says, an `instance` attribute on points); the resource
// also has service.name (otlp.service-name, else the application name) and host.name.
//
//   failover::MetricsExportDeps deps;
//   deps.application_name = "orders";
//   absl::StatusOr<std::unique_ptr<failover::MetricsExport>> metrics_export =
//       failover::MetricsExport::Start(config->observable, registry, std::move(deps));
//   if (!metrics_export.ok()) return metrics_export.status();  // names the bad property
//   ...
//   (*metrics_export)->Shutdown();  // final OTLP export, then both stop
//
// Thread-safety: Shutdown() may be called from any thread (not from the Clock's timer thread);
// prometheus() and otlp() return pointers fixed at Start() that stay valid until destruction.
// `registry` and the injected clock and random source must outlive the MetricsExport.
#ifndef FAILOVER_CORE_METRICS_EXPORT_METRICS_EXPORT_H_
#define FAILOVER_CORE_METRICS_EXPORT_METRICS_EXPORT_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "core/clock.h"
#include "core/config/failover_config.h"
#include "core/metrics/export/prometheus_listener.h"
#include "core/metrics/metrics_registry.h"
#include "core/metrics/otlp/otlp_exporter.h"
#include "core/random.h"
#include "core/sync.h"
#include "core/warning_sink.h"

namespace failover {

struct MetricsExportDeps {
  // Time of the OTLP exporter (interval, back-off) and of its points; null = SystemClock().
  Clock* clock = nullptr;
  // Jitter of the OTLP back-off; null = SystemRandom().
  RandomSource* random = nullptr;
  // Warnings of both exporters; empty = StderrWarningSink().
  WarningSink warnings;
  // Names the process: the default service.name and part of the default instance id.
  std::string application_name;
  // This machine's name (instance id, host.name); "" = LocalHostName().
  std::string host_name;
};

class MetricsExport {
 public:
  // Starts what config.prometheus / config.otlp enable (nothing if neither). Everything is
  // checked before anything starts, so on an error nothing runs. Errors name the property, e.g.
  // "failover.observable.prometheus.listen: 127.0.0.1:9464 is in use" or
  // "failover.observable.otlp.headers[0]: must be Name=value" or, with protocol grpc,
  // "failover.observable.otlp.endpoint: 'http://c:4318/v1/metrics' must not have a path ...".
  static absl::StatusOr<std::unique_ptr<MetricsExport>> Start(const ObservableConfig& config,
                                                              MetricsRegistry& registry,
                                                              MetricsExportDeps deps = {});
  ~MetricsExport();  // Shutdown()
  MetricsExport(const MetricsExport&) = delete;
  MetricsExport& operator=(const MetricsExport&) = delete;

  PrometheusListener* prometheus() { return prometheus_.get(); }  // null when disabled
  OtlpExporter* otlp() { return otlp_.get(); }                    // null when disabled

  // A final OTLP export (bounded by failover.observable.otlp.timeout, plus one request's
  // timeout if one is in flight), then the listener stops. Idempotent.
  void Shutdown();

 private:
  MetricsExport(absl::Duration otlp_timeout, std::unique_ptr<PrometheusListener> prometheus,
                std::unique_ptr<OtlpExporter> otlp);

  const absl::Duration otlp_timeout_;
  const std::unique_ptr<PrometheusListener> prometheus_;
  const std::unique_ptr<OtlpExporter> otlp_;
  Mutex shutdown_mu_;
  bool shut_down_ ABSL_GUARDED_BY(shutdown_mu_) = false;
};

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_EXPORT_METRICS_EXPORT_H_
