// DashboardHttpServer: failoverd's HTTP side, everything under failover.dashboard.base-path
// (default /failover-dashboard):
//   {base} and {base}/            the web UI's index.html
//   {base}/ui/<file>              the UI's other files (compiled in: dashboard/ui)
//   {base}/vendor/chart.umd.js    chart.js, from services.vendor_dir
//   GET  {base}/api/config, api/config/settings, api/failover-health, api/metrics,
//        api/metrics/series?windowSec=N, api/metrics/exceptions, api/health, api/instances
//   POST {base}/api/cluster/snapshot, api/cluster/heartbeat   ingest: a MetricsSnapshot /
//        HeartbeatRequest as binary protobuf (Content-Type application/x-protobuf) or protobuf
//        JSON (application/json); 202 {"accepted":true}
//   GET/PUT {base}/api/naming/switch?namespace=            PUT body {"enabled":true,"reason":".."}
//   GET     {base}/api/naming/services?namespace=&pageSize=&afterKey=
//   GET/PUT/DELETE {base}/api/naming/services/{key}?namespace=   PUT body: Nacos ServiceInfo JSON
//   GET     {base}/api/payloads?name=N&key=K | &rawKey=R [&tenant=T]    one payload entry
//   GET     {base}/api/payloads?name=N[&pageSize=&pageToken=&tenant=]   a page of entries
//
// And one route at the listener's root, outside base-path:
//   GET  /metrics                 failoverd's own MetricsRegistry in Prometheus text (format
//        0.0.4), the path Prometheus scrapes by default; 404 when services.metrics is null
//
// Exposure (failover.dashboard.exposure): ui false hides the UI, api false every API endpoint,
// and an endpoint whose name (config, failover-health, metrics, health, cluster, instances,
// naming, payloads) is not in `include` answers 404; the first such request of each endpoint
// name is reported through the WarningSink. /metrics is not gated by exposure: it is operational
// telemetry about failoverd itself (ingest counts, instance liveness), not fleet data, and it is
// authenticated like the API.
//
// Security: every request under base-path, and /metrics, goes through Authenticator::CheckAdmin,
// except ingest (CheckIngest): 401 with `WWW-Authenticate: Basic realm="failoverd"`, 403, or 429
// with Retry-After while locked out. The client address is the socket's peer address. Every
// response carries Content-Security-Policy, X-Content-Type-Options, X-Frame-Options and
// Referrer-Policy; API responses also Cache-Control: no-store. Errors are JSON {"error": "..."}; a
// wrong method is 405, an unknown path 404, a body over max_request_body_bytes 413.
//
//   DashboardHttpServices services;
//   services.api = &api; services.auth = auth.get(); services.warnings = &warnings;
//   absl::StatusOr<std::unique_ptr<DashboardHttpServer>> server =
//       DashboardHttpServer::Start(config.dashboard, services);
//   ... (*server)->port() ...
//   (*server)->Stop();
//
// Thread-safety: requests are served on a pool of threads; Start, Stop and the destructor from
// one thread; port() from any.
#ifndef FAILOVER_DASHBOARD_HTTP_DASHBOARD_HTTP_SERVER_H_
#define FAILOVER_DASHBOARD_HTTP_DASHBOARD_HTTP_SERVER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/config/dashboard_config.h"
#include "core/metrics/instance_tag_policy.h"
#include "core/metrics/metrics_registry.h"
#include "core/warning_sink.h"
#include "dashboard/ingest_counters.h"

namespace failover {
namespace naming {
class FailoverDataStore;
}  // namespace naming

namespace dashboard {

class Authenticator;
class DashboardEndpoints;
class IngestSink;
class PayloadReader;

// What the server serves. Everything pointed to must outlive the server.
struct DashboardHttpServices {
  DashboardEndpoints* api = nullptr;  // Required: the JSON API.
  Authenticator* auth = nullptr;      // Required.
  IngestSink* ingest = nullptr;       // nullptr: not in shared-store mode (ingest answers 409).
  naming::FailoverDataStore* naming_data = nullptr;  // nullptr: api/naming answers 404.
  PayloadReader* payloads = nullptr;                 // nullptr: api/payloads answers 404.
  WarningSink* warnings = nullptr;                   // Required.
  std::string vendor_dir;  // Folder holding chart.umd.js; "" = none (404).
  // Served on /metrics in Prometheus text; nullptr: /metrics answers 404.
  const MetricsRegistry* metrics = nullptr;
  // Whether /metrics adds an `instance` label (failover.observable.instance; `auto` does not:
  // the scraper labels its target).
  InstanceTagPolicy metrics_instance{InstanceTagMode::kAuto, ""};
  // Runs before each /metrics page is rendered, to refresh sampled gauges; may be empty.
  std::function<void()> refresh_metrics;
  // Counts ingest requests by result (transport "http"); nullptr: not counted. Requests httplib
  // refuses before routing (malformed, body too large) are not counted.
  IngestCounters* ingest_counters = nullptr;
  // Larger request bodies are refused with 413.
  size_t max_request_body_bytes = 8 << 20;
};

class DashboardHttpServer {
 public:
  // Binds config.listen ("host:0" picks a free port) and starts serving. InvalidArgument for a
  // missing service or a bad listen address; Unavailable when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<DashboardHttpServer>> Start(const DashboardConfig& config,
                                                                    DashboardHttpServices services);

  ~DashboardHttpServer();  // Stop()s.
  DashboardHttpServer(const DashboardHttpServer&) = delete;
  DashboardHttpServer& operator=(const DashboardHttpServer&) = delete;

  // The bound port.
  int port() const;

  // Stops listening and waits for in-flight requests to finish. Idempotent.
  void Stop();

 private:
  class Impl;
  explicit DashboardHttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_HTTP_DASHBOARD_HTTP_SERVER_H_
