#include "naming-client/service_info_holder.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <tuple>
#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace failover {
namespace naming {
namespace {

// Ids of published shard maps, unique in the process (Shard::services_id).
std::atomic<uint64_t> next_services_id{1};

uint64_t NextServicesId() { return next_services_id.fetch_add(1, std::memory_order_relaxed); }

// Java's ServiceInfo.validate(): allIPs, or some instance healthy with a weight above 0.
bool HasUsableHost(const v1::ServiceInfo& info) {
  if (info.allips()) return true;
  return std::any_of(info.hosts().begin(), info.hosts().end(),
                     [](const v1::Instance& host) { return host.healthy() && host.weight() > 0; });
}

}  // namespace

absl::string_view ServiceUpdateOutcomeName(ServiceUpdateOutcome outcome) {
  switch (outcome) {
    case ServiceUpdateOutcome::kAdded:
      return "added";
    case ServiceUpdateOutcome::kChanged:
      return "changed";
    case ServiceUpdateOutcome::kUnchanged:
      return "unchanged";
    case ServiceUpdateOutcome::kIgnoredEmpty:
      return "ignored_empty";
    case ServiceUpdateOutcome::kIgnoredOutOfDate:
      return "ignored_out_of_date";
  }
  return "unknown";
}

absl::StatusOr<ServiceKey> ServiceKeyOf(const v1::ServiceInfo& info) {
  const auto error = [&info](absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat(
        "service info name '", info.name(), "' (groupName '", info.group_name(), "'): ", what));
  };
  const std::vector<absl::string_view> parts = absl::StrSplit(info.name(), kKeySeparator);
  ServiceKey key;
  if (parts.size() == 1) {
    key.group = info.group_name().empty() ? std::string(kDefaultGroup) : info.group_name();
    key.service = info.name();
  } else if (parts.size() == 2) {
    key.group = std::string(parts[0]);
    key.service = std::string(parts[1]);
    if (!info.group_name().empty() && info.group_name() != key.group) {
      return error("the group in the name is not groupName");
    }
  } else {
    return error("more than one '@@'");
  }
  if (key.group.empty() || key.service.empty()) return error("no service name or group");
  key.clusters = info.clusters();
  return key;
}

size_t ServiceInfoHolder::KeyHash::operator()(const ServiceKey& key) const {
  return absl::Hash<std::tuple<absl::string_view, absl::string_view, absl::string_view>>{}(
      std::make_tuple(absl::string_view(key.group), absl::string_view(key.service),
                      absl::string_view(key.clusters)));
}

absl::StatusOr<std::unique_ptr<ServiceInfoHolder>> ServiceInfoHolder::Create(
    ServiceInfoHolderOptions options) {
  if (options.cache_directory.empty() &&
      (options.load_cache_at_start || options.write_disk_cache)) {
    return absl::InvalidArgumentError(
        "service info holder: empty cache_directory (needed by load_cache_at_start and "
        "write_disk_cache)");
  }
  if (options.max_file_bytes == 0) {
    return absl::InvalidArgumentError("service info holder: max_file_bytes must be > 0");
  }
  std::unique_ptr<ServiceInfoHolder> holder(new ServiceInfoHolder(std::move(options)));
  if (holder->options_.load_cache_at_start) holder->LoadCacheFiles();
  return holder;
}

ServiceInfoHolder::ServiceInfoHolder(ServiceInfoHolderOptions options)
    : options_(std::move(options)),
      disk_cache_({options_.cache_directory, options_.max_file_bytes}) {
  for (Shard& shard : shards_) {
    MutexLock lock(&shard.mu);
    shard.services = std::make_shared<const ServiceMap>();
    shard.services_id.store(NextServicesId(), std::memory_order_release);
  }
}

void ServiceInfoHolder::LoadCacheFiles() {
  absl::StatusOr<DiskCacheContents> contents = disk_cache_.ReadAll();
  if (!contents.ok()) {
    load_status_ = contents.status();
    return;
  }
  load_problems_ = std::move(contents->problems);
  for (auto& [name, service] : contents->services) {
    const Entry entry{std::move(service.info), /*from_cache_file=*/true};
    Shard& shard = ShardFor(KeyHash()(service.key));
    MutexLock lock(&shard.update_mu);
    Publish(shard, service.key, &entry);
  }
}

std::shared_ptr<const ServiceInfoHolder::ServiceMap> ServiceInfoHolder::Services(
    const Shard& shard) {
  MutexLock lock(&shard.mu);
  return shard.services;
}

void ServiceInfoHolder::Publish(Shard& shard, const ServiceKey& key, const Entry* entry) {
  auto services = std::make_shared<ServiceMap>(*Services(shard));
  if (entry == nullptr) {
    services->erase(key);
  } else {
    (*services)[key] = *entry;
  }
  MutexLock lock(&shard.mu);
  shard.services = std::move(services);
  shard.services_id.store(NextServicesId(), std::memory_order_release);
}

const std::shared_ptr<const ServiceInfoHolder::ServiceMap>& ServiceInfoHolder::PinnedServices(
    const Shard& shard) const {
  struct Pin {
    uint64_t id = 0;
    // The map under a control block of this thread's own, which owns a copy of the shard's
    // pointer: what Get() hands out (aliases of it) keeps the map and its values alive, and
    // copying it writes only to this thread's control block, so threads reading the same
    // service never write one reference count.
    std::shared_ptr<const ServiceMap> pinned;
  };
  // Per thread and shard index, for every holder: ids are unique in the process, so a pin of
  // another holder's shard is never mistaken for this one's. A pin keeps the map it last saw
  // alive until the thread's next lookup in that shard, or its exit.
  thread_local std::array<Pin, 1 << kShardBits> pins;
  Pin& pin = pins[&shard - shards_.data()];
  if (pin.id != shard.services_id.load(std::memory_order_acquire) || pin.pinned == nullptr) {
    std::shared_ptr<const ServiceMap> current;
    {
      MutexLock lock(&shard.mu);
      current = shard.services;
      pin.id = shard.services_id.load(std::memory_order_relaxed);
    }
    const ServiceMap* raw = current.get();
    pin.pinned = std::shared_ptr<const ServiceMap>(
        std::make_shared<std::shared_ptr<const ServiceMap>>(std::move(current)), raw);
  }
  return pin.pinned;
}

std::optional<ServiceUpdateOutcome> ServiceInfoHolder::Ignored(const v1::ServiceInfo& info,
                                                               const Entry* old) const {
  // valid == false is how a ServiceInfo says "hosts: null", which Java always ignores.
  if ((info.has_valid() && !info.valid()) ||
      (options_.push_empty_protection && !HasUsableHost(info))) {
    return ServiceUpdateOutcome::kIgnoredEmpty;
  }
  if (options_.drop_out_of_date_pushes && old != nullptr && !old->from_cache_file &&
      info.last_ref_time() < old->info->last_ref_time()) {
    return ServiceUpdateOutcome::kIgnoredOutOfDate;
  }
  return std::nullopt;
}

absl::StatusOr<ServiceUpdateResult> ServiceInfoHolder::ProcessServiceInfo(v1::ServiceInfo info) {
  absl::StatusOr<ServiceKey> key = ServiceKeyOf(info);
  if (!key.ok()) return key.status();
  // One identity: the stored info says what its key says.
  info.set_name(key->service);
  info.set_group_name(key->group);
  info.set_clusters(key->clusters);
  ++pushes_;

  ServiceUpdateResult result;
  result.key = *key;
  Shard& shard = ShardFor(KeyHash()(*key));
  {
    MutexLock update_lock(&shard.update_mu);
    const std::shared_ptr<const ServiceMap> services = Services(shard);
    const auto it = services->find(*key);
    const Entry* old = it == services->end() ? nullptr : &it->second;

    if (const std::optional<ServiceUpdateOutcome> ignored = Ignored(info, old)) {
      ++(*ignored == ServiceUpdateOutcome::kIgnoredEmpty ? ignored_empty_ : ignored_out_of_date_);
      result.outcome = *ignored;
      if (old != nullptr) result.info = old->info;
      return result;
    }

    InstancesDiff diff = DiffInstances(old == nullptr ? nullptr : old->info.get(), info);
    const bool changed =
        old == nullptr || !diff.empty() || !ServiceFieldsEquivalent(*old->info, info);
    const Entry entry{std::make_shared<const v1::ServiceInfo>(std::move(info)),
                      /*from_cache_file=*/false};
    std::shared_ptr<const v1::ServiceInfo> old_info = old == nullptr ? nullptr : old->info;
    Publish(shard, *key, &entry);
    result.info = entry.info;
    if (!changed) {
      result.outcome = ServiceUpdateOutcome::kUnchanged;
      return result;
    }
    result.outcome =
        old_info == nullptr ? ServiceUpdateOutcome::kAdded : ServiceUpdateOutcome::kChanged;
    ++changes_;
    if (options_.write_disk_cache) result.disk_status = WriteCacheFile(*key, *entry.info);
    listeners_.Enqueue({*key, std::move(old_info), entry.info, std::move(diff)});
  }
  listeners_.Deliver();
  return result;
}

absl::Status ServiceInfoHolder::WriteCacheFile(const ServiceKey& key, const v1::ServiceInfo& info) {
  absl::Status status = disk_cache_.Write(key, info);
  ++(status.ok() ? disk_writes_ : disk_write_errors_);
  MutexLock lock(&disk_mu_);
  last_disk_error_ = status;
  return status;
}

std::shared_ptr<const v1::ServiceInfo> ServiceInfoHolder::Get(const ServiceKey& key) const {
  const size_t hash = KeyHash()(key);
  const std::shared_ptr<const ServiceMap>& services = PinnedServices(ShardFor(hash));
  const auto it = services->find(key, hash);
  if (it == services->end()) return nullptr;
  return std::shared_ptr<const v1::ServiceInfo>(services, it->second.info.get());
}

bool ServiceInfoHolder::Remove(const ServiceKey& key) {
  Shard& shard = ShardFor(KeyHash()(key));
  MutexLock update_lock(&shard.update_mu);
  if (Services(shard)->count(key) == 0) return false;
  Publish(shard, key, nullptr);
  return true;
}

std::vector<ServiceKey> ServiceInfoHolder::Keys() const {
  std::vector<ServiceKey> keys;
  for (const Shard& shard : shards_) {
    // Held in a variable: a range-for would not keep the temporary shared_ptr alive.
    const std::shared_ptr<const ServiceMap> services = Services(shard);
    for (const auto& [key, entry] : *services) keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

size_t ServiceInfoHolder::size() const {
  size_t size = 0;
  for (const Shard& shard : shards_) size += Services(shard)->size();
  return size;
}

void ServiceInfoHolder::AddListener(std::function<void(const ServiceInfoChangeEvent&)> listener) {
  listeners_.Add(std::move(listener));
}

absl::Status ServiceInfoHolder::last_disk_error() const {
  MutexLock lock(&disk_mu_);
  return last_disk_error_;
}

ServiceInfoHolderCounters ServiceInfoHolder::counters() const {
  ServiceInfoHolderCounters counters;
  counters.pushes = pushes_.load();
  counters.changes = changes_.load();
  counters.ignored_empty = ignored_empty_.load();
  counters.ignored_out_of_date = ignored_out_of_date_.load();
  counters.disk_writes = disk_writes_.load();
  counters.disk_write_errors = disk_write_errors_.load();
  return counters;
}

}  // namespace naming
}  // namespace failover
