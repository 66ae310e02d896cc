// PrometheusListener: a small HTTP listener that serves the metrics registry in Prometheus text
// (failover.observable.prometheus.*), for applications that run no HTTP server of their own.
// GET and HEAD on config.path answer RenderPrometheusExposition(registry.Snapshot(), policy)
// (rendered per scrape, so every scrape sees current values) with `Cache-Control: no-store`;
// other paths answer 404, other methods on the path 405 with `Allow: GET, HEAD`. A client that
// sends `Accept-Encoding: gzip` may get the page compressed. Two worker threads serve requests;
// a scrape takes one registry snapshot.
//
//   failover::PrometheusEndpointConfig config;  // 127.0.0.1:9464, /metrics
//   config.listen = "127.0.0.1:0";              // any free port
//   absl::StatusOr<std::unique_ptr<failover::PrometheusListener>> listener =
//       failover::PrometheusListener::Start(config, registry, policy,
//       failover::StderrWarningSink());
//   if (!listener.ok()) return listener.status();  // e.g. the port is in use
//   (*listener)->url();  // "http://127.0.0.1:40123/metrics"
//   (*listener)->Stop();
//
// Series the exposition has to leave out (clashing names or label sets, prometheus_text.h) are
// reported once to `warnings`, with their count.
//
// Thread-safety: Stop(), port() and url() may be called from any thread; the registry must
// outlive the listener (or its Stop()).
#ifndef FAILOVER_CORE_METRICS_EXPORT_PROMETHEUS_LISTENER_H_
#define FAILOVER_CORE_METRICS_EXPORT_PROMETHEUS_LISTENER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/config/failover_config.h"
#include "core/metrics/instance_tag_policy.h"
#include "core/metrics/metrics_registry.h"
#include "core/warning_sink.h"

namespace failover {

class PrometheusListener {
 public:
  // Binds config.listen ("host:port" or "[ipv6]:port"; port 0 = a free port) and starts serving.
  // InvalidArgument naming failover.observable.prometheus.listen or .path for a malformed value;
  // Unavailable naming the address when it cannot be bound (e.g. "127.0.0.1:9464 is in use":
  // unlike httplib's default, a port another process listens on is refused).
  static absl::StatusOr<std::unique_ptr<PrometheusListener>> Start(
      const PrometheusEndpointConfig& config, const MetricsRegistry& registry,
      InstanceTagPolicy policy, WarningSink warnings);

  ~PrometheusListener();  // Stop()
  PrometheusListener(const PrometheusListener&) = delete;
  PrometheusListener& operator=(const PrometheusListener&) = delete;

  // Closes the listening socket, lets requests in flight finish and joins the threads.
  // Idempotent.
  void Stop();
  // The bound port (the chosen one when config.listen asked for port 0).
  int port() const;
  // "http://host:port/path", e.g. "http://[::1]:40123/metrics".
  std::string url() const;

 private:
  class Impl;
  explicit PrometheusListener(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_EXPORT_PROMETHEUS_LISTENER_H_
