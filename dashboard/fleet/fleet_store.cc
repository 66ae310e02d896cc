#include "dashboard/fleet/fleet_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "dashboard/fleet/internal/series_sum.h"
#include "dashboard/fleet/internal/snapshot_validation.h"

namespace failover {
namespace dashboard {

using fleet_internal::ContributorSlot;
using fleet_internal::EmptyKeyed;
using fleet_internal::KeyedSeries;
using fleet_internal::MakeKeyed;
using fleet_internal::SeriesSum;
using fleet_internal::SumCumulative;

namespace {

constexpr absl::string_view kProperty = "failover.dashboard.cluster.shared-store";

// An instance's identity without series: what a heartbeat or a restart leaves as "latest".
std::shared_ptr<const KeyedSeries> IdentityOnly(const std::string& id, int64_t process_start) {
  v1::MetricsSnapshot snapshot;
  snapshot.set_instance_id(id);
  snapshot.set_process_start_unix_nanos(process_start);
  return MakeKeyed(std::move(snapshot));
}

}  // namespace

absl::StatusOr<std::unique_ptr<FleetStore>> FleetStore::Create(
    const Clock& clock, const SharedStoreConfig& config,
    std::unique_ptr<SnapshotRepository> repository, WarningSink& warnings) {
  if (config.liveness_seconds < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        kProperty, ".liveness-seconds: ", config.liveness_seconds, " must be at least 1"));
  }
  if (config.max_instances < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(kProperty, ".max-instances: ", config.max_instances, " must be at least 1"));
  }
  if (config.instance_retention < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        kProperty, ".instance-retention: ", absl::FormatDuration(config.instance_retention),
        " must not be negative (0 keeps instances forever)"));
  }
  std::unique_ptr<FleetStore> store(new FleetStore(clock, config, std::move(repository), warnings));
  if (absl::Status status = store->Load(); !status.ok()) return status;
  return store;
}

FleetStore::FleetStore(const Clock& clock, const SharedStoreConfig& config,
                       std::unique_ptr<SnapshotRepository> repository, WarningSink warnings)
    : clock_(clock),
      config_(config),
      repository_(std::move(repository)),
      warnings_(std::move(warnings)),
      retired_(EmptyKeyed()) {}

FleetStore::~FleetStore() {
  if (absl::Status status = Flush(); !status.ok()) {
    Warn(
        absl::StrCat("shared-store: the last flush before shutdown failed, the latest snapshots "
                     "since the previous flush are not durable: ",
                     status.message()));
  }
}

absl::Status FleetStore::Load() {
  if (repository_ == nullptr) return absl::OkStatus();
  absl::StatusOr<RepositoryContents> contents = repository_->LoadAll();
  if (!contents.ok()) return contents.status();
  MutexLock lock(&mu_);
  retired_ = MakeKeyed(std::move(contents->retired.totals));
  index_.Add(*retired_, {nullptr, ContributorSlot::kRestartBase});
  pending_ = std::move(contents->retired.pending);
  for (InstanceRecord& record : contents->instances) {
    const std::string id = record.snapshot.instance_id();
    Instance instance;
    instance.last_snapshot_at = record.last_snapshot_at;
    instance.last_heartbeat_at = record.last_heartbeat_at;
    // Retired, with its record not deleted yet: counted in the retired totals unless the record
    // is newer than every retirement of the id (it came back and its new record was saved).
    absl::Time retired_at = absl::InfinitePast();
    for (const PendingRetirement& p : pending_) {
      if (p.instance_id == id) retired_at = std::max(retired_at, p.last_seen);
    }
    if (retired_at != absl::InfinitePast()) {
      if (LastSeen(instance) <= retired_at) continue;
      pending_.erase(
          std::remove_if(pending_.begin(), pending_.end(),
                         [&](const PendingRetirement& p) { return p.instance_id == id; }),
          pending_.end());
      retired_dirty_ = true;
    }
    for (v1::MetricsSnapshot* stored : {&record.snapshot, &record.restart_base}) {
      stored->set_instance_id(id);
      if (absl::Status status = fleet_internal::ValidateAndNormalize(stored); !status.ok()) {
        return absl::DataLossError(absl::StrCat("shared-store: stored instance '", id,
                                                "' is unreadable: ", status.message()));
      }
    }
    instance.latest = MakeKeyed(std::move(record.snapshot));
    instance.base = MakeKeyed(std::move(record.restart_base));
    instance.restarts = record.restarts;
    instance.lost_snapshots = record.lost_snapshots;
    const auto [it, inserted] = instances_.emplace(id, std::move(instance));
    if (!inserted) continue;  // the first record of an id wins
    index_.Add(*it->second.base, {&it->first, ContributorSlot::kRestartBase});
    index_.Add(*it->second.latest, {&it->first, ContributorSlot::kLatest});
  }
  ++generation_;
  return absl::OkStatus();
}

std::string FleetStore::mode() const { return "shared-store"; }

absl::Time FleetStore::LastSeen(const Instance& instance) {
  return std::max(instance.last_snapshot_at, instance.last_heartbeat_at);
}

bool FleetStore::Active(const Instance& instance, absl::Time now) const {
  return now - LastSeen(instance) <= absl::Seconds(config_.liveness_seconds);
}

Liveness FleetStore::LivenessOf(const Instance& instance, absl::Time now) const {
  if (instance.last_heartbeat_at == absl::InfinitePast()) return Liveness::kUnknown;
  return Active(instance, now) ? Liveness::kLive : Liveness::kDown;
}

void FleetStore::SetBase(Entry& entry, Keyed base) {
  Instance& instance = entry.second;
  index_.Replace(instance.base != nullptr ? *instance.base : *EmptyKeyed(), *base,
                 {&entry.first, ContributorSlot::kRestartBase});
  instance.base = std::move(base);
}

FleetStore::Keyed FleetStore::SetLatest(Entry& entry, Keyed latest) {
  Instance& instance = entry.second;
  index_.Replace(instance.latest != nullptr ? *instance.latest : *EmptyKeyed(), *latest,
                 {&entry.first, ContributorSlot::kLatest});
  return std::exchange(instance.latest, std::move(latest));
}

void FleetStore::Restart(Entry& entry, int64_t new_process_start) {
  Instance& instance = entry.second;
  SetBase(entry, SumCumulative(instance.base.get(), instance.latest.get()));
  SetLatest(entry, IdentityOnly(entry.first, new_process_start));
  ++instance.restarts;
}

absl::Status FleetStore::AcceptSnapshot(v1::MetricsSnapshot snapshot) {
  if (absl::Status status = fleet_internal::ValidateAndNormalize(&snapshot); !status.ok()) {
    return status;
  }
  const std::string id = snapshot.instance_id();
  const int64_t process_start = snapshot.process_start_unix_nanos();
  const uint64_t sequence = snapshot.sequence();
  std::shared_ptr<const KeyedSeries> keyed = MakeKeyed(std::move(snapshot));
  const absl::Time now = clock_.WallNow();
  std::string warning;
  std::shared_ptr<const KeyedSeries> replaced;  // freed after the lock is released
  {
    MutexLock lock(&mu_);
    auto [it, created] = instances_.try_emplace(id);
    Instance& instance = it->second;
    const bool was_active = !created && Active(instance, now);
    if (!created) {
      const v1::MetricsSnapshot& current = instance.latest->snapshot;
      const bool has_snapshot = instance.last_snapshot_at != absl::InfinitePast();
      // No process start from the peer: a sequence going backwards is the only sign of a restart.
      const bool restarted = process_start > current.process_start_unix_nanos() ||
                             (process_start == 0 && current.process_start_unix_nanos() == 0 &&
                              has_snapshot && sequence < current.sequence());
      if (restarted) {
        if (has_snapshot || current.process_start_unix_nanos() != 0) {
          Restart(*it, process_start);
        }
      } else if (process_start < current.process_start_unix_nanos() ||
                 (has_snapshot && sequence <= current.sequence())) {
        return absl::OkStatus();  // a late or repeated push: accepted, nothing newer in it
      } else if (has_snapshot && sequence > current.sequence() + 1) {
        instance.lost_snapshots += sequence - current.sequence() - 1;
      }
    } else {
      SetBase(*it, EmptyKeyed());
    }
    replaced = SetLatest(*it, std::move(keyed));
    ++generation_;
    instance.last_snapshot_at = now;
    dirty_.insert(id);
    if (!was_active) CheckInstanceCountLocked(now, &warning);
  }
  Warn(warning);
  return absl::OkStatus();
}

absl::Status FleetStore::AcceptHeartbeat(const v1::HeartbeatRequest& heartbeat) {
  if (absl::Status status = fleet_internal::ValidateInstanceId(heartbeat.instance_id());
      !status.ok()) {
    return status;
  }
  const absl::Time now = clock_.WallNow();
  const int64_t process_start = heartbeat.process_start_unix_nanos();
  std::string warning;
  {
    MutexLock lock(&mu_);
    auto [it, created] = instances_.try_emplace(heartbeat.instance_id());
    Instance& instance = it->second;
    const bool was_active = !created && Active(instance, now);
    if (created) {
      SetLatest(*it, IdentityOnly(heartbeat.instance_id(), process_start));
      SetBase(*it, EmptyKeyed());
      ++generation_;
    } else if (process_start > instance.latest->snapshot.process_start_unix_nanos() &&
               instance.latest->snapshot.process_start_unix_nanos() != 0) {
      Restart(*it, process_start);
      ++generation_;
    }
    instance.last_heartbeat_at = now;
    dirty_.insert(heartbeat.instance_id());
    if (!was_active) CheckInstanceCountLocked(now, &warning);
  }
  Warn(warning);
  return absl::OkStatus();
}

void FleetStore::CheckInstanceCountLocked(absl::Time now, std::string* warning) {
  const int64_t active =
      std::count_if(instances_.begin(), instances_.end(),
                    [&](const auto& entry) { return Active(entry.second, now); });
  if (active <= config_.max_instances) {
    over_limit_warned_ = false;
  } else if (!over_limit_warned_) {
    over_limit_warned_ = true;
    *warning =
        absl::StrCat(kProperty, ".max-instances: ", active,
                     " instances are reporting, more than the supported ", config_.max_instances,
                     "; the dashboard keeps aggregating them all, raise max-instances if "
                     "this fleet size is intended");
  }
}

void FleetStore::RetireExpiredLocked(absl::Time now, std::string* warning) {
  if (config_.instance_retention == absl::ZeroDuration()) return;
  SeriesSum retired;
  bool any = false;
  for (auto it = instances_.begin(); it != instances_.end();) {
    const absl::Time last_seen = LastSeen(it->second);
    if (now - last_seen <= config_.instance_retention) {
      ++it;
      continue;
    }
    if (!any) retired.AddCumulative(*retired_);
    any = true;
    retired.AddCumulative(*it->second.base);
    retired.AddCumulative(*it->second.latest);
    index_.Remove(*it->second.base, {&it->first, ContributorSlot::kRestartBase});
    index_.Remove(*it->second.latest, {&it->first, ContributorSlot::kLatest});
    pending_.push_back({it->first, last_seen});
    dirty_.erase(it->first);
    it = instances_.erase(it);
  }
  if (!any) return;
  index_.Remove(*retired_, {nullptr, ContributorSlot::kRestartBase});
  retired_ = std::move(retired).FinishCumulative();
  index_.Add(*retired_, {nullptr, ContributorSlot::kRestartBase});
  retired_dirty_ = true;
  ++generation_;
  CheckInstanceCountLocked(now, warning);
}

void FleetStore::RetireExpired() {
  std::string warning;
  {
    MutexLock lock(&mu_);
    RetireExpiredLocked(clock_.WallNow(), &warning);
  }
  Warn(warning);
}

absl::StatusOr<std::vector<v1::MetricSeries>> FleetStore::Series() {
  const absl::Time now = clock_.WallNow();
  std::shared_ptr<const std::vector<v1::MetricSeries>> current;
  std::vector<v1::MetricSeries> sums;
  std::vector<std::pair<std::string, std::shared_ptr<const KeyedSeries>>> gauges;
  uint64_t generation = 0;
  std::string warning;
  {
    MutexLock lock(&mu_);
    RetireExpiredLocked(now, &warning);
    generation = generation_;
    if (series_ != nullptr && series_generation_ == generation) {
      current = series_;
    } else {
      sums = index_.Sums();
      gauges.reserve(instances_.size());
      for (const auto& [id, instance] : instances_) gauges.emplace_back(id, instance.latest);
    }
  }
  Warn(warning);
  if (current == nullptr) {
    SeriesSum sum;
    sum.AddSummed(std::move(sums));
    for (const auto& [id, keyed] : gauges) sum.AddGauges(*keyed, id);
    current = std::make_shared<const std::vector<v1::MetricSeries>>(std::move(sum).Finish());
    std::shared_ptr<const std::vector<v1::MetricSeries>> replaced;  // freed outside the lock
    MutexLock lock(&mu_);
    // Kept only while it is the newest: a slower reader of an older generation must not replace
    // a newer result.
    if (series_ == nullptr || series_generation_ < generation) {
      replaced = std::exchange(series_, current);
      series_generation_ = generation;
    }
  }
  return *current;
}

std::vector<InstanceStatus> FleetStore::Instances() {
  const absl::Time now = clock_.WallNow();
  std::vector<InstanceStatus> statuses;
  std::string warning;
  {
    MutexLock lock(&mu_);
    RetireExpiredLocked(now, &warning);
    statuses.reserve(instances_.size());
    for (const auto& [id, instance] : instances_) {
      const v1::MetricsSnapshot& latest = instance.latest->snapshot;
      InstanceStatus& status = statuses.emplace_back();
      status.instance_id = id;
      status.liveness = LivenessOf(instance, now);
      status.last_snapshot_at = instance.last_snapshot_at;
      status.last_heartbeat_at = instance.last_heartbeat_at;
      status.process_start = latest.process_start_unix_nanos() == 0
                                 ? absl::InfinitePast()
                                 : absl::FromUnixNanos(latest.process_start_unix_nanos());
      status.sequence = latest.sequence();
      status.restarts = instance.restarts;
      status.lost_snapshots = instance.lost_snapshots;
      status.series_count = static_cast<size_t>(latest.series_size());
    }
  }
  Warn(warning);
  return statuses;
}

void FleetStore::Warn(const std::string& warning) {
  if (!warning.empty() && warnings_) warnings_(warning);
}

}  // namespace dashboard
}  // namespace failover
