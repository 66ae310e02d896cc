// DashboardServer: failoverd assembled from its configuration (failover.dashboard.*, plus
// failover.store.* for the payload store it serves): the metrics source of the cluster mode, the
// history sampler, the JSON API, security, the naming failover data, the payload reader, the
// HTTP server (UI + API + ingest + /metrics, see FailoverdMetrics for failoverd's own meters) and
// the gRPC server (ClusterIngest, FailoverData, FailoverPayloads, health).
//
//   absl::StatusOr<std::unique_ptr<DashboardServer>> server =
//       DashboardServer::Start(config, SystemClock(), StderrWarningSink(), options);
//   std::printf("http on %d, grpc on %d\n", (*server)->http_port(), (*server)->grpc_port());
//   ...
//   (*server)->Shutdown();  // stops taking requests, then makes everything accepted durable
//
// Start refuses (FailedPrecondition, with the property to change) when the dashboard is not
// enabled, or when no users are configured and allow-insecure is false; the prod profile never
// allows allow-insecure (the config loader rejects that combination).
//
// Thread-safety: Start and Shutdown from one thread; the accessors from any thread.
#ifndef FAILOVER_DASHBOARD_SERVER_DASHBOARD_SERVER_H_
#define FAILOVER_DASHBOARD_SERVER_DASHBOARD_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/clock.h"
#include "core/config/failover_config.h"
#include "core/metrics/metrics_registry.h"
#include "core/warning_sink.h"
#include "dashboard/metrics_source.h"

namespace failover {
namespace naming {
class FailoverDataStore;
}  // namespace naming

namespace dashboard {

struct DashboardServerOptions {
  // Folder holding chart.umd.js (npm chart.js's dist folder); "" = charts unavailable.
  std::string vendor_dir;
  // This server's instance id (local mode's instance, and /metrics' `instance` label when
  // failover.observable.instance.mode asks for one); "" = failover.observable.instance.id, or
  // "failoverd" when that is blank too.
  std::string instance_id;
};

class DashboardServer {
 public:
  static absl::StatusOr<std::unique_ptr<DashboardServer>> Start(const FailoverConfig& config,
                                                                Clock& clock, WarningSink warnings,
                                                                DashboardServerOptions options);
  ~DashboardServer();
  DashboardServer(const DashboardServer&) = delete;
  DashboardServer& operator=(const DashboardServer&) = delete;

  int http_port() const;
  int grpc_port() const;

  // The naming failover data failoverd serves (switch and services per namespace).
  naming::FailoverDataStore& naming_data();
  // The metrics source of the configured cluster mode.
  MetricsSource& source();
  // failoverd's own metrics (ingest counts, instances by liveness, the naming switch, the payload
  // store's maintenance gauges), served on /metrics.
  MetricsRegistry& registry();

  // Stops both servers (in-flight requests finish), stops the samplers, then flushes the
  // snapshot store and the payload store. Idempotent; the destructor calls it. The first error
  // met while flushing, after trying every flush.
  absl::Status Shutdown();

 private:
  struct Parts;
  explicit DashboardServer(std::unique_ptr<Parts> parts);
  // Writes accepted snapshots to the snapshot store every kFleetFlushInterval until Shutdown.
  void ScheduleFleetFlush();
  std::unique_ptr<Parts> parts_;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_SERVER_DASHBOARD_SERVER_H_
