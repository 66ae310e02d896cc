// RecordingIngestSink: an IngestSink for tests that keeps what it accepted, refuses snapshots and
// heartbeats without an instance id (InvalidArgument naming instance_id, as FleetStore does), and
// can be told to fail every call.
//
//   RecordingIngestSink sink;
//   services.ingest = &sink;
//   ... push ...
//   EXPECT_EQ(sink.snapshots().size(), 1u);
//
// Thread-safe.
#ifndef FAILOVER_DASHBOARD_GRPC_TESTING_RECORDING_INGEST_SINK_H_
#define FAILOVER_DASHBOARD_GRPC_TESTING_RECORDING_INGEST_SINK_H_

#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "core/sync.h"
#include "dashboard/ingest_sink.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace dashboard {

class RecordingIngestSink final : public IngestSink {
 public:
  absl::Status AcceptSnapshot(v1::MetricsSnapshot snapshot) override {
    MutexLock lock(&mu_);
    if (!fail_with_.ok()) return fail_with_;
    if (snapshot.instance_id().empty()) {
      return absl::InvalidArgumentError("snapshot: instance_id is blank");
    }
    snapshots_.push_back(std::move(snapshot));
    return absl::OkStatus();
  }

  absl::Status AcceptHeartbeat(const v1::HeartbeatRequest& heartbeat) override {
    MutexLock lock(&mu_);
    if (!fail_with_.ok()) return fail_with_;
    if (heartbeat.instance_id().empty()) {
      return absl::InvalidArgumentError("heartbeat: instance_id is blank");
    }
    heartbeats_.push_back(heartbeat);
    return absl::OkStatus();
  }

  // Later calls fail with `status` (OK: stop failing).
  void FailWith(absl::Status status) {
    MutexLock lock(&mu_);
    fail_with_ = std::move(status);
  }

  std::vector<v1::MetricsSnapshot> snapshots() const {
    MutexLock lock(&mu_);
    return snapshots_;
  }
  std::vector<v1::HeartbeatRequest> heartbeats() const {
    MutexLock lock(&mu_);
    return heartbeats_;
  }

 private:
  mutable Mutex mu_;
  absl::Status fail_with_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::MetricsSnapshot> snapshots_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::HeartbeatRequest> heartbeats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_GRPC_TESTING_RECORDING_INGEST_SINK_H_
