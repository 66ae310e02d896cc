#include "dashboard/grpc/internal/cluster_ingest_service.h"

#include <utility>

#include "dashboard/grpc/internal/call_auth.h"

namespace failover {
namespace dashboard {
namespace grpc_internal {

ClusterIngestService::ClusterIngestService(ClusterIngestOptions options)
    : options_(std::move(options)) {}

void ClusterIngestService::Count(IngestResult result) {
  if (options_.counters != nullptr) options_.counters->Record(IngestTransport::kGrpc, result);
}

grpc::Status ClusterIngestService::Counted(const absl::Status& accepted) {
  Count(accepted.ok() ? IngestResult::kAccepted : IngestResult::kRejected);
  return ToGrpcStatus(accepted);
}

grpc::Status ClusterIngestService::Admit(const grpc::ServerContext& context) {
  if (!options_.exposed) {
    Count(IngestResult::kRejected);
    if (!warned_not_exposed_.exchange(true)) {
      options_.warnings(
          "dashboard: a peer pushes to the gRPC ClusterIngest service, but "
          "failover.dashboard.exposure.include does not list 'cluster': its pushes are refused "
          "with NOT_FOUND");
    }
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "cluster ingest is not exposed (failover.dashboard.exposure.include)");
  }
  if (grpc::Status auth = AuthorizeCall(options_.auth, CallRole::kIngest, context); !auth.ok()) {
    Count(IngestResult::kUnauthorized);
    return auth;
  }
  if (options_.sink == nullptr) {
    Count(IngestResult::kRejected);
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "this failoverd does not take snapshots: failover.dashboard.cluster.mode "
                        "is not shared-store");
  }
  if (options_.stopping->load(std::memory_order_acquire)) {
    Count(IngestResult::kRejected);
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "failoverd is shutting down");
  }
  return grpc::Status::OK;
}

grpc::Status ClusterIngestService::StreamedPushSnapshot(
    grpc::ServerContext* context,
    grpc::ServerUnaryStreamer<v1::MetricsSnapshot, v1::PushSnapshotResponse>* stream) {
  if (grpc::Status admitted = Admit(*context); !admitted.ok()) return admitted;
  v1::MetricsSnapshot snapshot;
  if (!stream->Read(&snapshot)) {
    Count(IngestResult::kRejected);
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "the request is not a readable failover.v1.MetricsSnapshot");
  }
  if (grpc::Status s = Counted(options_.sink->AcceptSnapshot(std::move(snapshot))); !s.ok()) {
    return s;
  }
  v1::PushSnapshotResponse response;
  response.set_accepted(true);
  // Sent together with the status.
  stream->WriteLast(response, grpc::WriteOptions());
  return grpc::Status::OK;
}

grpc::Status ClusterIngestService::Heartbeat(grpc::ServerContext* context,
                                             const v1::HeartbeatRequest* request,
                                             v1::HeartbeatResponse* response) {
  if (grpc::Status admitted = Admit(*context); !admitted.ok()) return admitted;
  if (grpc::Status s = Counted(options_.sink->AcceptHeartbeat(*request)); !s.ok()) return s;
  response->set_accepted(true);
  return grpc::Status::OK;
}

}  // namespace grpc_internal
}  // namespace dashboard
}  // namespace failover
