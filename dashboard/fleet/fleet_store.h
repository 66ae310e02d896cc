// FleetStore: the shared-store cluster mode (failover.dashboard.cluster.mode: shared-store).
// Peers push cumulative MetricsSnapshots and heartbeats (IngestSink); the dashboard reads the
// fleet's series and instances (MetricsSource).
//
// Per instance the latest snapshot wins: an older or repeated one (same process start, sequence
// not above the last) is accepted and ignored, as is one from an earlier process start. A new
// process start is a restart: the previous process's last counters and histograms become the
// instance's restart base, added to what the new process reports, so fleet totals never go
// backwards. Gaps in the sequence count as lost snapshots.
//
// Liveness: UNKNOWN until the instance's first heartbeat (snapshots alone never make it LIVE);
// after that LIVE while its last heartbeat or snapshot is at most liveness-seconds old (on the
// injected clock's wall time), else DOWN. An instance neither heard from for instance-retention
// (0 = never) is retired: gone from Instances() and its gauges from Series(), while its counters
// and histograms stay in the fleet totals through one fleet-wide retired base (memory bounded).
// Retirement happens on every read and in RetireExpired(). More instances reporting within
// liveness-seconds than max-instances logs one warning, again only after the count has dropped
// back to the limit.
//
// Durability (with a repository): AcceptSnapshot/AcceptHeartbeat only change memory and mark the
// instance dirty; Flush() writes every dirty instance (and the retired totals) and returns OK once
// all of it is durable. Writing through on every snapshot would cost a SQL round trip per push
// under ingest load; snapshots are cumulative, so a crash between flushes loses only the last
// pushes of each instance, which its next push restores. The owner calls Flush() periodically;
// the destructor flushes once more. Create() loads what the repository holds, liveness included.
//
//   absl::StatusOr<std::unique_ptr<FleetStore>> store =
//       FleetStore::Create(clock, config.dashboard.cluster.shared_store, std::move(repo), warn);
//   (*store)->AcceptSnapshot(snapshot);
//   absl::StatusOr<std::vector<v1::MetricSeries>> fleet = (*store)->Series();
//
// Every change updates an index of which stored snapshots (retired totals, restart bases, latest
// snapshots) hold each counter and histogram series, with the histograms' counts kept summed, so
// Series() does not re-key and re-sum every series of every instance: it folds only the doubles
// (counters, histogram sums) and max over each series' holders in summing order, identical bit
// for bit to summing everything from scratch. Series() also keeps its last result with the
// generation it was computed at (a counter bumped by every change of a snapshot, restart base,
// instance set or the retired totals) and answers from it while nothing changed; liveness alone
// does not change the series.
//
// Thread-safety: thread-safe. Ingest validates and keys a snapshot before taking the lock; reads
// fold the counters and histograms under the lock and build the per-instance gauges outside it.
#ifndef FAILOVER_DASHBOARD_FLEET_FLEET_STORE_H_
#define FAILOVER_DASHBOARD_FLEET_FLEET_STORE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/config/dashboard_config.h"
#include "core/sync.h"
#include "core/warning_sink.h"
#include "dashboard/fleet/internal/series_index.h"
#include "dashboard/fleet/snapshot_repository.h"
#include "dashboard/ingest_sink.h"
#include "dashboard/metrics_source.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace dashboard {
namespace fleet_internal {
struct KeyedSeries;
}  // namespace fleet_internal

class FleetStore final : public MetricsSource, public IngestSink {
 public:
  // INVALID_ARGUMENT naming the property for a config that cannot work (liveness-seconds or
  // max-instances below 1, a negative instance-retention); the repository's error if it cannot
  // be read. `repository` nullptr keeps everything in memory. `clock` must outlive the store.
  static absl::StatusOr<std::unique_ptr<FleetStore>> Create(
      const Clock& clock, const SharedStoreConfig& config,
      std::unique_ptr<SnapshotRepository> repository, WarningSink& warnings);
  // Flushes once more; a failure goes to the warning sink.
  ~FleetStore() override;

  // Makes everything accepted so far durable in the repository (OK without one). On error the
  // unwritten instances stay dirty for the next Flush().
  absl::Status Flush();
  // Retires instances not heard from for instance-retention.
  void RetireExpired();

  // MetricsSource: "shared-store".
  std::string mode() const override;
  absl::StatusOr<std::vector<v1::MetricSeries>> Series() override;
  std::vector<InstanceStatus> Instances() override;

  // IngestSink.
  absl::Status AcceptSnapshot(v1::MetricsSnapshot snapshot) override;
  absl::Status AcceptHeartbeat(const v1::HeartbeatRequest& heartbeat) override;

 private:
  using Keyed = std::shared_ptr<const fleet_internal::KeyedSeries>;
  struct Instance {
    // Never null. Holds instance_id, process start and sequence even without series.
    Keyed latest;
    Keyed base;  // never null: counters and histograms of earlier processes
    absl::Time last_snapshot_at = absl::InfinitePast();
    absl::Time last_heartbeat_at = absl::InfinitePast();
    uint64_t restarts = 0;
    uint64_t lost_snapshots = 0;
  };

  FleetStore(const Clock& clock, const SharedStoreConfig& config,
             std::unique_ptr<SnapshotRepository> repository, WarningSink warnings);
  absl::Status Load();
  Liveness LivenessOf(const Instance& instance, absl::Time now) const;
  bool Active(const Instance& instance, absl::Time now) const;
  static absl::Time LastSeen(const Instance& instance);
  static InstanceRecord ToRecord(const Instance& instance);
  // An entry of instances_: index_ points at its id, so these take the entry, never a copy.
  using Entry = std::pair<const std::string, Instance>;
  // Moves the instance's counters and histograms into its restart base (the process restarted).
  void Restart(Entry& entry, int64_t new_process_start) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Replace the instance's restart base or latest snapshot, keeping index_ in step; SetLatest
  // returns the replaced one.
  void SetBase(Entry& entry, Keyed base) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  Keyed SetLatest(Entry& entry, Keyed latest) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  void RetireExpiredLocked(absl::Time now, std::string* warning) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void CheckInstanceCountLocked(absl::Time now, std::string* warning)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Warn(const std::string& warning);

  const Clock& clock_;
  const SharedStoreConfig config_;
  const std::unique_ptr<SnapshotRepository> repository_;
  const WarningSink warnings_;

  Mutex flush_mu_ ABSL_ACQUIRED_BEFORE(mu_);  // one Flush() at a time
  Mutex mu_;
  std::map<std::string, Instance> instances_ ABSL_GUARDED_BY(mu_);
  Keyed retired_ ABSL_GUARDED_BY(mu_);  // never null
  // The holders of every counter and histogram of retired_ and instances_ (pointing at their ids).
  fleet_internal::SeriesIndex index_ ABSL_GUARDED_BY(mu_);
  std::vector<PendingRetirement> pending_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_set<std::string> dirty_ ABSL_GUARDED_BY(mu_);
  bool retired_dirty_ ABSL_GUARDED_BY(mu_) = false;
  bool over_limit_warned_ ABSL_GUARDED_BY(mu_) = false;
  // Bumped by every change that can change Series().
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  // Series() at series_generation_; null until computed.
  std::shared_ptr<const std::vector<v1::MetricSeries>> series_ ABSL_GUARDED_BY(mu_);
  uint64_t series_generation_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_FLEET_FLEET_STORE_H_
