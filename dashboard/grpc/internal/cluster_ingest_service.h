// ClusterIngestService: failover.v1.ClusterIngest (proto/metrics_snapshot.proto) into an
// IngestSink, for DashboardGrpcServer (whose header lists the status codes).
// Thread-safe: gRPC calls the handlers from many threads.
#ifndef FAILOVER_DASHBOARD_GRPC_INTERNAL_CLUSTER_INGEST_SERVICE_H_
#define FAILOVER_DASHBOARD_GRPC_INTERNAL_CLUSTER_INGEST_SERVICE_H_

#include <atomic>

#include "core/warning_sink.h"
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
};

class ClusterIngestService final : public v1::ClusterIngest::Service {
 public:
  explicit ClusterIngestService(ClusterIngestOptions options);

  grpc::Status PushSnapshot(grpc::ServerContext* context, const v1::MetricsSnapshot* request,
                            v1::PushSnapshotResponse* response) override;
  grpc::Status Heartbeat(grpc::ServerContext* context, const v1::HeartbeatRequest* request,
                         v1::HeartbeatResponse* response) override;

 private:
  // OK when the call may reach the sink: exposed, authenticated, shared-store, not stopping.
  grpc::Status Admit(const grpc::ServerContext& context);

  const ClusterIngestOptions options_;
  std::atomic<bool> warned_not_exposed_{false};
};

}  // namespace grpc_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_GRPC_INTERNAL_CLUSTER_INGEST_SERVICE_H_
