// DashboardGrpcServer: failoverd's gRPC endpoint. One server, one port, four services:
//   - failover.v1.ClusterIngest (proto/metrics_snapshot.proto): peers push snapshots and
//     heartbeats into the IngestSink (shared-store mode), authenticated by Authenticator's
//     CheckIngest from the `authorization` metadata entry ("Basic ..." or "Bearer ...").
//   - failover.v1.FailoverData (proto/failover_data.proto): the naming failover data, open
//     (naming clients carry no credentials), served by naming-client's FailoverDataService.
//   - failover.v1.FailoverPayloads (proto/payload_store.proto): read access to the payload store
//     through PayloadReader, authenticated by CheckAdmin (open when no users are configured).
//   - grpc.health.v1.Health: gRPC's standard health service, SERVING until Shutdown().
//
//   DashboardGrpcServices services;
//   services.ingest = fleet.get();
//   services.auth = auth.get();
//   services.naming_data = &naming_store;
//   services.payloads = &payload_reader;
//   services.cluster_exposed = true;
//   services.warnings = &warnings;
//   absl::StatusOr<std::unique_ptr<DashboardGrpcServer>> server =
//       DashboardGrpcServer::Start("127.0.0.1:0", services);  // port 0: a free port
//   int port = (*server)->port();
//   (*server)->Shutdown(absl::Seconds(5));
//
// Status codes. ClusterIngest: NOT_FOUND when `cluster` is not exposed (checked first, and one
// warning logged), UNAUTHENTICATED (no or bad credentials), PERMISSION_DENIED (a user without the
// ingest role), RESOURCE_EXHAUSTED (the user name or address is locked out after repeated
// failures; the message says for how long), FAILED_PRECONDITION (no IngestSink: not in
// shared-store mode), INVALID_ARGUMENT (the sink refused the snapshot; its message names what),
// UNAVAILABLE (shutting down, or the sink cannot accept now). FailoverPayloads: the same
// authentication codes, FAILED_PRECONDITION when no payload store is served, then PayloadReader's
// codes. A service whose dependency is null still answers, with FAILED_PRECONDITION, except
// FailoverData, which is not registered without a store (UNIMPLEMENTED).
//
// Thread-safe. Shutdown() may be called from any thread, more than once.
#ifndef FAILOVER_DASHBOARD_GRPC_DASHBOARD_GRPC_SERVER_H_
#define FAILOVER_DASHBOARD_GRPC_DASHBOARD_GRPC_SERVER_H_

#include <atomic>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/sync.h"
#include "core/warning_sink.h"
#include "dashboard/ingest_counters.h"
#include "dashboard/ingest_sink.h"
#include "dashboard/payloads/payload_reader.h"
#include "dashboard/security/authenticator.h"
#include "naming-client/failover_data_store.h"

namespace grpc {
class Server;
}  // namespace grpc

namespace failover {
namespace naming {
class FailoverDataService;
}  // namespace naming

namespace dashboard {
namespace grpc_internal {
class ClusterIngestService;
class FailoverPayloadsService;
}  // namespace grpc_internal

// What the server serves. Everything pointed to must outlive the server.
struct DashboardGrpcServices {
  // Where pushed snapshots and heartbeats go; nullptr: not in shared-store mode.
  IngestSink* ingest = nullptr;
  // Checks ingest and payload calls; nullptr: no security at all (everything open).
  Authenticator* auth = nullptr;
  // The naming failover data; nullptr: FailoverData is not served.
  naming::FailoverDataStore* naming_data = nullptr;
  // The payload store; nullptr: FailoverPayloads answers FAILED_PRECONDITION.
  PayloadReader* payloads = nullptr;
  // failover.dashboard.exposure.include lists `cluster`; false: ClusterIngest is NOT_FOUND.
  bool cluster_exposed = false;
  // nullptr: warnings go to stderr.
  WarningSink* warnings = nullptr;
  // Counts ClusterIngest calls by result (transport "grpc"); nullptr: not counted.
  IngestCounters* ingest_counters = nullptr;
};

class DashboardGrpcServer {
 public:
  // Listens on `listen` ("host:port"; port 0 picks a free port). InvalidArgument for a blank
  // address, Unavailable when it cannot be bound.
  static absl::StatusOr<std::unique_ptr<DashboardGrpcServer>> Start(absl::string_view listen,
                                                                    DashboardGrpcServices services);
  // Shutdown(absl::ZeroDuration()) unless already shut down.
  ~DashboardGrpcServer();
  DashboardGrpcServer(const DashboardGrpcServer&) = delete;
  DashboardGrpcServer& operator=(const DashboardGrpcServer&) = delete;

  // The port listened on (the one picked when asked for port 0).
  int port() const { return port_; }

  // Stops taking calls: health turns NOT_SERVING, new ingest calls are UNAVAILABLE, open watches
  // end with UNAVAILABLE at once, and calls in flight get up to `grace` to finish before they are
  // cancelled. Returns once no handler runs. Later calls return at once.
  void Shutdown(absl::Duration grace) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  DashboardGrpcServer();

  WarningSink warnings_;
  std::atomic<bool> stopping_{false};  // Read by the services' handlers.
  std::unique_ptr<grpc_internal::ClusterIngestService> ingest_service_;
  std::unique_ptr<grpc_internal::FailoverPayloadsService> payloads_service_;
  std::unique_ptr<naming::FailoverDataService> failover_data_service_;
  int port_ = 0;

  Mutex mu_;
  // Declared last: destroyed (and so stopped) before the services it calls.
  std::unique_ptr<grpc::Server> server_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_GRPC_DASHBOARD_GRPC_SERVER_H_
