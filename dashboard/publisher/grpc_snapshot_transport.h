// The SnapshotTransport over gRPC: failover.v1.ClusterIngest (proto/metrics_snapshot.proto) on
// failoverd's grpc-listen address, for a publish-url of the form grpc://host:port. Credentials
// travel in the `authorization` metadata entry ("Basic ..." or "Bearer ..."), as over HTTP. The
// channel is plaintext (failoverd's gRPC listener has no TLS); use HTTPS where the network is
// not trusted. A separate target, so applications that push over HTTP do not link gRPC.
//
//   absl::StatusOr<std::unique_ptr<SnapshotTransport>> transport =
//       NewGrpcSnapshotTransport(config.dashboard.cluster.snapshot, /*token_provider=*/nullptr);
//   auto publisher = PeerPublisher::CreateWithTransport(config.dashboard.cluster.snapshot,
//       registry, SystemClock(), std::move(options), *std::move(transport));
//
// Errors keep the RPC's status code (UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND, ...) with a
// message naming the method and the address; a response with accepted=false is
// InvalidArgument carrying the server's message.
#ifndef FAILOVER_DASHBOARD_PUBLISHER_GRPC_SNAPSHOT_TRANSPORT_H_
#define FAILOVER_DASHBOARD_PUBLISHER_GRPC_SNAPSHOT_TRANSPORT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/config/dashboard_config.h"
#include "dashboard/publisher/snapshot_transport.h"

namespace failover {
namespace dashboard {

struct GrpcSnapshotTransportOptions {
  std::string target;                          // "host:port"
  PublisherAuth auth;                          // sent as `authorization` metadata
  absl::Duration timeout = absl::Seconds(10);  // deadline of each RPC
};

// InvalidArgument for a blank target. Thread-safe; the channel connects lazily.
absl::StatusOr<std::unique_ptr<SnapshotTransport>> NewGrpcSnapshotTransport(
    GrpcSnapshotTransportOptions options);

// From failover.dashboard.cluster.snapshot.*: publish-url must be grpc://host:port
// (InvalidArgument naming the key otherwise); credentials as ResolvePublisherAuth() picks them.
absl::StatusOr<std::unique_ptr<SnapshotTransport>> NewGrpcSnapshotTransport(
    const SnapshotConfig& config, TokenProvider token_provider);

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_PUBLISHER_GRPC_SNAPSHOT_TRANSPORT_H_
