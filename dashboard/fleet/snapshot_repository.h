// SnapshotRepository: where FleetStore (fleet_store.h) keeps the shared-store state durable, so a
// restarted failoverd shows the same instances and fleet totals: per instance the latest
// snapshot, liveness bookkeeping and the restart base, plus the totals of retired instances.
// OpenSqlSnapshotRepository (sql_snapshot_repository.h) is the durable implementation;
// FleetStore without a repository keeps everything in memory.
//
//   std::unique_ptr<SnapshotRepository> repository = ...;
//   absl::StatusOr<RepositoryContents> contents = repository->LoadAll();
//
// Thread-safety: implementations are safe for concurrent use (FleetStore serialises its own
// writes, but may read while another thread writes).
#ifndef FAILOVER_DASHBOARD_FLEET_SNAPSHOT_REPOSITORY_H_
#define FAILOVER_DASHBOARD_FLEET_SNAPSHOT_REPOSITORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace dashboard {

// One instance as FleetStore keeps it.
struct InstanceRecord {
  // The latest accepted snapshot: instance_id, process_start_unix_nanos and sequence always set
  // (sequence 0 and no series for an instance that has only sent heartbeats).
  v1::MetricsSnapshot snapshot;
  // Server wall-clock times; InfinitePast() = never.
  absl::Time last_snapshot_at = absl::InfinitePast();
  absl::Time last_heartbeat_at = absl::InfinitePast();
  uint64_t restarts = 0;
  uint64_t lost_snapshots = 0;
  // Counters and histograms of the instance's earlier processes (series only), added to the
  // latest snapshot's so totals survive a restart of the instance.
  v1::MetricsSnapshot restart_base;
};

// An instance merged into the retired totals whose record may still be stored (its Delete() had
// not succeeded when the totals were saved). A stored record of it last seen no later than
// `last_seen` is already counted in the totals and must be dropped, not loaded.
struct PendingRetirement {
  std::string instance_id;
  absl::Time last_seen = absl::InfinitePast();
};

// The fleet-wide tombstone of retired instances.
struct RetiredRecord {
  // Counters and histograms (series only) of every retired instance, restart bases included.
  v1::MetricsSnapshot totals;
  std::vector<PendingRetirement> pending;
};

struct RepositoryContents {
  std::vector<InstanceRecord> instances;
  RetiredRecord retired;
};

class SnapshotRepository {
 public:
  virtual ~SnapshotRepository() = default;

  // Inserts or replaces the record of record.snapshot.instance_id().
  virtual absl::Status Save(const InstanceRecord& record) = 0;
  // Replaces the retired totals.
  virtual absl::Status SaveRetired(const RetiredRecord& retired) = 0;
  // Everything saved and not deleted. An unreadable record is DATA_LOSS naming the instance.
  virtual absl::StatusOr<RepositoryContents> LoadAll() = 0;
  // Removes an instance's record (OK if there is none).
  virtual absl::Status Delete(absl::string_view instance_id) = 0;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_FLEET_SNAPSHOT_REPOSITORY_H_
