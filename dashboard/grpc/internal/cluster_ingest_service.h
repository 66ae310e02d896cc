// ClusterIngestService: failover.v1.ClusterIngest (proto/metrics_snapshot.proto) into an
// IngestSink, for DashboardGrpcServer (whose header lists the status codes).
// Thread-safe: gRPC calls the handlers from many threads.
#ifndef FAILOVER_DASHBOARD_GRPC_INTERNAL_CLUSTER_INGEST_SERVICE_H_
#define FAILOVER_DASHBOARD_GRPC_INTERNAL_CLUSTER_INGEST_SERVICE_H_

#include <atomic>

#include "core/warning_sink.h"
#include "dashboard/ingest_counters.h"
#include "dashboard/ingest_sink.h"
#include "dashboard/security/authenticator.h"
#include "proto/metrics_snapshot.grpc.pb.h"

namespace failover {
namespace dashboard {
namespace grpc_internal {

struct ClusterIngestOptions {
  IngestSink* sink = nullptr;     // nullptr: not in shared-store mode (FAILED_PRECONDITION).
  Authenticator* auth = nullptr;  // nullptr: open.
  bool exposed = false;           // false: NOT_FOUND, one warning.
  WarningSink warnings;
  const std::atomic<bool>* stopping = nullptr;  // true: UNAVAILABLE. Required.
  IngestCounters* counters = nullptr;           // nullptr: calls are not counted.
};

// PushSnapshot is a streamed unary method: the handler reads the request itself, after the
// credentials are checked, into a message it owns, which then moves into the sink instead of
// being copied (a snapshot copy costs about as much as FleetStore's whole ingest).
class ClusterIngestService final
    : public v1::ClusterIngest::WithStreamedUnaryMethod_PushSnapshot<v1::ClusterIngest::Service> {
 public:
  explicit ClusterIngestService(ClusterIngestOptions options);

  grpc::Status StreamedPushSnapshot(
      grpc::ServerContext* context,
      grpc::ServerUnaryStreamer<v1::MetricsSnapshot, v1::PushSnapshotResponse>* stream) override;
  grpc::Status Heartbeat(grpc::ServerContext* context, const v1::HeartbeatRequest* request,
                         v1::HeartbeatResponse* response) override;

 private:
  // OK when the call may reach the sink: exposed, authenticated, shared-store, not stopping.
  // Counts a refusal.
  grpc::Status Admit(const grpc::ServerContext& context);
  // Counts the sink's answer and returns it as a gRPC status.
  grpc::Status Counted(const absl::Status& accepted);
  void Count(IngestResult result);

  const ClusterIngestOptions options_;
  std::atomic<bool> warned_not_exposed_{false};
};

}  // namespace grpc_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_GRPC_INTERNAL_CLUSTER_INGEST_SERVICE_H_
