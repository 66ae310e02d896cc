#include "core/metrics/export/metrics_export.h"

#include <atomic>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/metrics/host_name.h"
#include "core/metrics/instance_tag_policy.h"
#include "core/metrics/otlp/otlp_encoder.h"
#include "core/metrics/otlp/otlp_grpc_transport.h"
#include "core/metrics/otlp/otlp_http_transport.h"

namespace failover {
namespace {

constexpr absl::string_view kOtlpKey = "failover.observable.otlp";

// `status` with its message led by `property`, unless it already names it.
absl::Status NameProperty(const absl::Status& status, absl::string_view property) {
  if (absl::StartsWith(status.message(), property)) return status;
  return absl::Status(status.code(), absl::StrCat(property, ": ", status.message()));
}

// What the OTLP config says that the exporter and transport do not check themselves.
absl::Status CheckOtlpConfig(const OtlpConfig& config) {
  if (config.protocol != "http/protobuf" && config.protocol != "grpc") {
    return absl::InvalidArgumentError(
        absl::StrCat(kOtlpKey, ".protocol: '", config.protocol, "' must be http/protobuf or grpc"));
  }
  if (config.compression != "none" && config.compression != "gzip") {
    return absl::InvalidArgumentError(
        absl::StrCat(kOtlpKey, ".compression: '", config.compression, "' must be none or gzip"));
  }
  if (config.interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        kOtlpKey, ".interval: ", absl::FormatDuration(config.interval), " must be positive"));
  }
  if (config.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        kOtlpKey, ".timeout: ", absl::FormatDuration(config.timeout), " must be positive"));
  }
  if (config.max_queue < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(kOtlpKey, ".max-queue: ", config.max_queue, " must be at least 1"));
  }
  return absl::OkStatus();
}

// OtlpGrpcOptions or OtlpHttpOptions (the same fields) from the config; a blank endpoint is
// `default_endpoint`.
template <typename Options>
Options TransportOptions(const OtlpConfig& config, absl::string_view default_endpoint,
                         std::vector<std::pair<std::string, std::string>> headers) {
  Options options;
  options.endpoint = config.endpoint.empty() ? std::string(default_endpoint) : config.endpoint;
  options.headers = std::move(headers);
  options.timeout = config.timeout;
  options.gzip = config.compression == "gzip";
  return options;
}

absl::StatusOr<std::unique_ptr<OtlpTransport>> NewTransport(const OtlpConfig& config) {
  if (absl::Status status = CheckOtlpConfig(config); !status.ok()) return status;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> headers =
      ParseOtlpHeaders(config.headers);
  if (!headers.ok()) return NameProperty(headers.status(), absl::StrCat(kOtlpKey, ".headers"));
  absl::StatusOr<std::unique_ptr<OtlpTransport>> transport =
      config.protocol == "grpc"
          ? NewOtlpGrpcTransport(TransportOptions<OtlpGrpcOptions>(
                config, OtlpConfig::kOtlpGrpcDefaultEndpoint, *std::move(headers)))
          : NewOtlpHttpTransport(TransportOptions<OtlpHttpOptions>(
                config, OtlpConfig::kOtlpHttpDefaultEndpoint, *std::move(headers)));
  // Its errors are about the endpoint or a header and name which; others are the endpoint's.
  if (!transport.ok()) return NameProperty(transport.status(), kOtlpKey);
  return transport;
}

// Builds one serialized ExportMetricsServiceRequest per call; warns once about clashing series.
std::function<std::string()> OtlpCollector(const MetricsRegistry& registry, OtlpResource resource,
                                           InstanceTagPolicy policy, absl::Time start_time,
                                           Clock& clock, WarningSink warnings) {
  auto warned = std::make_shared<std::atomic<bool>>(false);
  return [&registry, &clock, resource = std::move(resource), policy = std::move(policy), start_time,
          warnings = std::move(warnings), warned] {
    OtlpEncoded encoded =
        EncodeOtlpMetrics(registry.Snapshot(), resource, policy, start_time, clock.WallNow());
    if (encoded.dropped_series > 0 && !warned->exchange(true)) {
      warnings(absl::StrCat("OTLP export: ", encoded.dropped_series,
                            " series left out because their name or attributes clash with "
                            "another series (reported once)"));
    }
    return encoded.request.SerializeAsString();
  };
}

}  // namespace

absl::StatusOr<std::unique_ptr<MetricsExport>> MetricsExport::Start(const ObservableConfig& config,
                                                                    MetricsRegistry& registry,
                                                                    MetricsExportDeps deps) {
  Clock& clock = deps.clock != nullptr ? *deps.clock : SystemClock();
  RandomSource& random = deps.random != nullptr ? *deps.random : SystemRandom();
  const WarningSink warnings = deps.warnings ? deps.warnings : StderrWarningSink();
  const std::string host_name =
      !deps.host_name.empty() ? deps.host_name : LocalHostName().value_or("");
  const InstanceTagPolicy policy =
      InstanceTagPolicy::Create(config.instance, deps.application_name, host_name);

  // Everything that can be refused is checked before anything starts.
  std::unique_ptr<OtlpTransport> transport;
  if (config.otlp.enabled) {
    absl::StatusOr<std::unique_ptr<OtlpTransport>> made = NewTransport(config.otlp);
    if (!made.ok()) return made.status();
    transport = *std::move(made);
  }
  std::unique_ptr<PrometheusListener> prometheus;
  if (config.prometheus.enabled) {
    absl::StatusOr<std::unique_ptr<PrometheusListener>> started =
        PrometheusListener::Start(config.prometheus, registry, policy, warnings);
    if (!started.ok()) return started.status();
    prometheus = *std::move(started);
  }
  std::unique_ptr<OtlpExporter> otlp;
  if (config.otlp.enabled) {
    OtlpResource resource;
    const absl::string_view named = absl::StripAsciiWhitespace(config.otlp.service_name);
    // Both blank: "" and the encoder writes OpenTelemetry's "unknown_service".
    resource.service_name = !named.empty() ? std::string(named) : deps.application_name;
    resource.service_instance_id = policy.instance_id();
    if (!host_name.empty()) resource.attributes.emplace_back("host.name", host_name);
    OtlpExporterOptions options;
    options.interval = config.otlp.interval;
    options.max_queue = config.otlp.max_queue;
    options.retry = config.otlp.retry;
    otlp = std::make_unique<OtlpExporter>(
        options,
        OtlpCollector(registry, std::move(resource), policy, clock.WallNow(), clock, warnings),
        std::move(transport), clock, random, &registry, warnings);
    otlp->Start();
  }
  return std::unique_ptr<MetricsExport>(
      new MetricsExport(config.otlp.timeout, std::move(prometheus), std::move(otlp)));
}

MetricsExport::MetricsExport(absl::Duration otlp_timeout,
                             std::unique_ptr<PrometheusListener> prometheus,
                             std::unique_ptr<OtlpExporter> otlp)
    : otlp_timeout_(otlp_timeout), prometheus_(std::move(prometheus)), otlp_(std::move(otlp)) {}

MetricsExport::~MetricsExport() { Shutdown(); }

void MetricsExport::Shutdown() {
  MutexLock lock(&shutdown_mu_);
  if (shut_down_) return;
  shut_down_ = true;
  // The exporter first: its final export should carry what the process counted last.
  if (otlp_ != nullptr) otlp_->Shutdown(otlp_timeout_);
  if (prometheus_ != nullptr) prometheus_->Stop();
}

}  // namespace failover
