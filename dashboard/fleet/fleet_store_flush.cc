// FleetStore::Flush: writing the dirty state to the SnapshotRepository. Order matters for crash
// safety: the retired totals (with the instances retired since the last flush marked pending) are
// saved before those instances' records are deleted, so a crash in between leaves records that
// Load() recognises as already counted instead of counting them twice or losing them.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dashboard/fleet/fleet_store.h"
#include "dashboard/fleet/internal/series_sum.h"

namespace failover {
namespace dashboard {
namespace {

bool SamePending(const PendingRetirement& a, const PendingRetirement& b) {
  return a.instance_id == b.instance_id && a.last_seen == b.last_seen;
}

}  // namespace

InstanceRecord FleetStore::ToRecord(const Instance& instance) {
  InstanceRecord record;
  record.snapshot = instance.latest->snapshot;
  record.last_snapshot_at = instance.last_snapshot_at;
  record.last_heartbeat_at = instance.last_heartbeat_at;
  record.restarts = instance.restarts;
  record.lost_snapshots = instance.lost_snapshots;
  record.restart_base = instance.base->snapshot;
  return record;
}

absl::Status FleetStore::Flush() {
  MutexLock flush_lock(&flush_mu_);
  if (repository_ == nullptr) return absl::OkStatus();
  std::vector<std::pair<std::string, Instance>> saves;
  std::optional<RetiredRecord> retired;
  std::vector<PendingRetirement> pending;  // as of this flush
  std::vector<PendingRetirement> deletes;
  {
    MutexLock lock(&mu_);
    saves.reserve(dirty_.size());
    for (const std::string& id : dirty_) saves.emplace_back(id, instances_.at(id));
    dirty_.clear();
    pending = pending_;
    for (const PendingRetirement& p : pending_) {
      if (instances_.count(p.instance_id) == 0) deletes.push_back(p);
    }
    if (retired_dirty_) {
      retired.emplace();
      retired->totals = retired_->snapshot;
      retired->pending = pending_;
      retired_dirty_ = false;
    }
  }
  absl::Status first_error;
  if (retired.has_value()) first_error = repository_->SaveRetired(*retired);
  const bool retired_unsaved = !first_error.ok();
  std::vector<PendingRetirement> settled;
  std::vector<std::string> failed;
  if (!first_error.ok()) {
    // Deleting records before the totals that count them are durable could lose them.
    deletes.clear();
    for (const auto& [id, instance] : saves) failed.push_back(id);
    saves.clear();
  }
  for (const PendingRetirement& p : deletes) {
    absl::Status status = repository_->Delete(p.instance_id);
    if (status.ok()) {
      settled.push_back(p);
    } else if (first_error.ok()) {
      first_error = status;
    }
  }
  for (const auto& [id, instance] : saves) {
    absl::Status status = repository_->Save(ToRecord(instance));
    if (!status.ok()) {
      failed.push_back(id);
      if (first_error.ok()) first_error = status;
      continue;
    }
    // The saved record replaced any retired one under the same id.
    for (const PendingRetirement& p : pending) {
      if (p.instance_id == id) settled.push_back(p);
    }
  }
  std::optional<RetiredRecord> cleaned;
  {
    MutexLock lock(&mu_);
    if (retired_unsaved) retired_dirty_ = true;
    for (const std::string& id : failed) {
      if (instances_.count(id) != 0) dirty_.insert(id);
    }
    for (const PendingRetirement& done : settled) {
      for (auto it = pending_.begin(); it != pending_.end(); ++it) {
        if (SamePending(*it, done)) {
          pending_.erase(it);
          retired_dirty_ = true;
          break;
        }
      }
    }
    if (first_error.ok() && retired_dirty_) {
      cleaned.emplace();
      cleaned->totals = retired_->snapshot;
      cleaned->pending = pending_;
      retired_dirty_ = false;
    }
  }
  if (cleaned.has_value()) {
    if (absl::Status status = repository_->SaveRetired(*cleaned); !status.ok()) {
      MutexLock lock(&mu_);
      retired_dirty_ = true;
      return status;
    }
  }
  return first_error;
}

}  // namespace dashboard
}  // namespace failover
