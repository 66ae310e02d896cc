// IngestSink: where failoverd's HTTP and gRPC ingest endpoints hand the snapshots and heartbeats
// that peers push (shared-store mode). FleetStore (fleet/fleet_store.h) implements it.
#ifndef FAILOVER_DASHBOARD_INGEST_SINK_H_
#define FAILOVER_DASHBOARD_INGEST_SINK_H_

#include "absl/status/status.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace dashboard {

// Implementations are thread-safe: ingest runs on many server threads at once.
class IngestSink {
 public:
  virtual ~IngestSink() = default;

  // OK once accepted (an older or repeated snapshot of an instance is accepted and ignored).
  // InvalidArgument with a message naming the bad field (blank instance id, a series without a
  // name or value, ...): nothing of it is kept. Unavailable: cannot accept now (shutting down,
  // the durable store failed); the peer retries.
  virtual absl::Status AcceptSnapshot(v1::MetricsSnapshot snapshot) = 0;
  virtual absl::Status AcceptHeartbeat(const v1::HeartbeatRequest& heartbeat) = 0;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_INGEST_SINK_H_
