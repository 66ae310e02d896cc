#include "naming-client/failover_data_store.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/random.h"
#include "google/protobuf/util/message_differencer.h"
#include "naming-client/service_key.h"
#include "naming-client/snapshot_path.h"

namespace failover {
namespace naming {
namespace {

std::string RandomEpoch() {
  RandomSource& random = SystemRandom();
  const auto high = static_cast<uint64_t>(random.Uniform01() * 4294967296.0);
  const auto low = static_cast<uint64_t>(random.Uniform01() * 4294967296.0);
  return absl::StrFormat("%016x", (high << 32) | low);
}

}  // namespace

FailoverDataStore::FailoverDataStore(FailoverDataStoreOptions options)
    : options_(std::move(options)),
      epoch_(options_.epoch.empty() ? RandomEpoch() : options_.epoch) {}

absl::StatusOr<std::string> FailoverDataStore::CheckNamespace(absl::string_view nacos_namespace) {
  absl::StatusOr<std::string> normalized = NormalizeNamespace(nacos_namespace);
  if (!normalized.ok()) return absl::InvalidArgumentError(normalized.status().message());
  return normalized;
}

absl::Status FailoverDataStore::CheckKey(absl::string_view key) {
  absl::StatusOr<ServiceKey> parsed = ParseServiceKey(key);
  if (!parsed.ok()) return absl::InvalidArgumentError(parsed.status().message());
  if (parsed->ToString() != key) {
    return absl::InvalidArgumentError(
        absl::StrCat("service key '", key, "' should be written '", parsed->ToString(), "'"));
  }
  return absl::OkStatus();
}

const FailoverDataStore::Namespace* FailoverDataStore::Find(
    const std::string& nacos_namespace) const {
  const auto it = namespaces_.find(nacos_namespace);
  return it == namespaces_.end() ? nullptr : &it->second;
}

void FailoverDataStore::SetChangeListener(StoreChangeListener listener) {
  MutexLock lock(&change_mu_);
  listener_ = std::move(listener);
}

uint64_t FailoverDataStore::Record(Namespace& ns, StoreChange change, StoreChange& recorded) {
  change.revision = ++ns.revision;
  recorded = change;
  ns.history.push_back(std::move(change));
  while (ns.history.size() > options_.history_limit) ns.history.pop_front();
  return ns.revision;
}

void FailoverDataStore::Notify(const std::string& nacos_namespace, const StoreChange& recorded) {
  if (recorded.revision != 0 && listener_) listener_(nacos_namespace, recorded);
}

absl::StatusOr<uint64_t> FailoverDataStore::SetSwitch(absl::string_view nacos_namespace,
                                                      bool enabled, absl::string_view reason) {
  absl::StatusOr<std::string> name = CheckNamespace(nacos_namespace);
  if (!name.ok()) return name.status();
  MutexLock changing(&change_mu_);
  StoreChange recorded;
  uint64_t revision = 0;
  {
    MutexLock lock(&mu_);
    Namespace& ns = namespaces_[*name];
    if (ns.switch_state.revision != 0 && ns.switch_state.enabled == enabled &&
        ns.switch_state.reason == reason) {
      return ns.revision;
    }
    ns.switch_state = StoredSwitch{enabled, std::string(reason), ns.revision + 1};
    StoreChange change;
    change.kind = StoreChange::Kind::kSwitch;
    change.switch_state = ns.switch_state;
    revision = Record(ns, std::move(change), recorded);
  }
  Notify(*name, recorded);
  return revision;
}

absl::StatusOr<uint64_t> FailoverDataStore::UpsertService(absl::string_view nacos_namespace,
                                                          absl::string_view key,
                                                          v1::ServiceInfo info) {
  absl::StatusOr<std::string> name = CheckNamespace(nacos_namespace);
  if (!name.ok()) return name.status();
  if (absl::Status s = CheckKey(key); !s.ok()) return s;
  return Upsert(*name, key, std::move(info));
}

uint64_t FailoverDataStore::UpsertUncheckedForTest(absl::string_view nacos_namespace,
                                                   absl::string_view key, v1::ServiceInfo info) {
  return Upsert(std::string(nacos_namespace), key, std::move(info));
}

uint64_t FailoverDataStore::Upsert(const std::string& nacos_namespace, absl::string_view key,
                                   v1::ServiceInfo info) {
  auto shared = std::make_shared<const v1::ServiceInfo>(std::move(info));
  MutexLock changing(&change_mu_);
  StoreChange recorded;
  uint64_t revision = 0;
  {
    MutexLock lock(&mu_);
    Namespace& ns = namespaces_[nacos_namespace];
    const auto it = ns.services.find(key);
    if (it != ns.services.end() &&
        google::protobuf::util::MessageDifferencer::Equals(*it->second.info, *shared)) {
      return ns.revision;
    }
    StoredService stored{std::string(key), std::move(shared), ns.revision + 1};
    ns.services[stored.key] = stored;
    StoreChange change;
    change.kind = StoreChange::Kind::kUpsert;
    change.service = std::move(stored);
    revision = Record(ns, std::move(change), recorded);
  }
  Notify(nacos_namespace, recorded);
  return revision;
}

absl::StatusOr<uint64_t> FailoverDataStore::RemoveService(absl::string_view nacos_namespace,
                                                          absl::string_view key) {
  absl::StatusOr<std::string> name = CheckNamespace(nacos_namespace);
  if (!name.ok()) return name.status();
  MutexLock changing(&change_mu_);
  StoreChange recorded;
  uint64_t revision = 0;
  {
    MutexLock lock(&mu_);
    const auto ns = namespaces_.find(*name);
    if (ns != namespaces_.end()) {
      const auto it = ns->second.services.find(key);
      if (it != ns->second.services.end()) {
        StoreChange change;
        change.kind = StoreChange::Kind::kRemove;
        change.service.key = it->first;
        ns->second.services.erase(it);
        revision = Record(ns->second, std::move(change), recorded);
      }
    }
  }
  if (revision != 0) {
    Notify(*name, recorded);
    return revision;
  }
  return absl::NotFoundError(
      absl::StrCat("namespace '", *name, "' has no failover data for '", key, "'"));
}

absl::StatusOr<StoredSwitch> FailoverDataStore::GetSwitch(absl::string_view nacos_namespace) const {
  absl::StatusOr<std::string> name = CheckNamespace(nacos_namespace);
  if (!name.ok()) return name.status();
  MutexLock lock(&mu_);
  const Namespace* ns = Find(*name);
  return ns == nullptr ? StoredSwitch() : ns->switch_state;
}

absl::StatusOr<StoredService> FailoverDataStore::GetService(absl::string_view nacos_namespace,
                                                            absl::string_view key) const {
  absl::StatusOr<std::string> name = CheckNamespace(nacos_namespace);
  if (!name.ok()) return name.status();
  if (absl::Status s = CheckKey(key); !s.ok()) return s;
  MutexLock lock(&mu_);
  const Namespace* ns = Find(*name);
  if (ns != nullptr) {
    const auto it = ns->services.find(key);
    if (it != ns->services.end()) return it->second;
  }
  return absl::NotFoundError(
      absl::StrCat("namespace '", *name, "' has no failover data for '", key, "'"));
}

absl::StatusOr<StoreServicePage> FailoverDataStore::ListServices(
    absl::string_view nacos_namespace, size_t page_size, absl::string_view after_key) const {
  absl::StatusOr<std::string> name = CheckNamespace(nacos_namespace);
  if (!name.ok()) return name.status();
  if (page_size == 0) return absl::InvalidArgumentError("page size must be greater than 0");
  if (!after_key.empty()) {
    if (absl::Status s = CheckKey(after_key); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("bad page token: ", s.message()));
    }
  }
  StoreServicePage page;
  MutexLock lock(&mu_);
  const Namespace* ns = Find(*name);
  if (ns == nullptr) return page;
  page.revision = ns->revision;
  auto it = after_key.empty() ? ns->services.begin() : ns->services.upper_bound(after_key);
  for (; it != ns->services.end() && page.services.size() < page_size; ++it) {
    page.services.push_back(it->second);
  }
  if (it != ns->services.end()) page.next_after_key = page.services.back().key;
  return page;
}

absl::StatusOr<uint64_t> FailoverDataStore::Revision(absl::string_view nacos_namespace) const {
  absl::StatusOr<std::string> name = CheckNamespace(nacos_namespace);
  if (!name.ok()) return name.status();
  MutexLock lock(&mu_);
  const Namespace* ns = Find(*name);
  return ns == nullptr ? 0 : ns->revision;
}

absl::StatusOr<StoreCatchUp> FailoverDataStore::CatchUp(absl::string_view nacos_namespace,
                                                        uint64_t from_revision,
                                                        absl::string_view epoch) const {
  absl::StatusOr<std::string> name = CheckNamespace(nacos_namespace);
  if (!name.ok()) return name.status();
  StoreCatchUp result;
  result.epoch = epoch_;
  MutexLock lock(&mu_);
  const Namespace empty;
  const Namespace* found = Find(*name);
  const Namespace& ns = found == nullptr ? empty : *found;
  result.revision = ns.revision;
  // The history holds revisions [front, revision]; it reaches from_revision when from_revision
  // is the current revision or its successor is still kept.
  const bool reachable =
      from_revision == ns.revision || (from_revision < ns.revision && !ns.history.empty() &&
                                       ns.history.front().revision <= from_revision + 1);
  if (from_revision != 0 && epoch == epoch_ && reachable) {
    for (const StoreChange& change : ns.history) {
      if (change.revision > from_revision) result.changes.push_back(change);
    }
    return result;
  }
  result.is_snapshot = true;
  result.snapshot.revision = ns.revision;
  result.snapshot.switch_state = ns.switch_state;
  result.snapshot.services.reserve(ns.services.size());
  for (const auto& [key, service] : ns.services) result.snapshot.services.push_back(service);
  return result;
}

bool FailoverDataStore::AwaitRevisionAbove(absl::string_view nacos_namespace, uint64_t revision,
                                           absl::Duration timeout) const {
  absl::StatusOr<std::string> name = CheckNamespace(nacos_namespace);
  if (!name.ok()) return false;
  MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(
      [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        const Namespace* ns = Find(*name);
        return ns != nullptr && ns->revision > revision;
      },
      timeout);
}

}  // namespace naming
}  // namespace failover
