#include "store-jdbc/routing/internal/map_store.h"

namespace failover {

absl::Status MapStore::BeforeWrite(absl::string_view op) {
  return options_.before_write ? options_.before_write(op) : absl::OkStatus();
}

absl::Status MapStore::Store(const FailoverStoreEntry& entry) {
  if (absl::Status hook = BeforeWrite("store"); !hook.ok()) return hook;
  MutexLock lock(&mu_);
  entries_[{entry.name, entry.key}] = entry;
  ++writes_;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<FailoverStoreEntry>> MapStore::Find(absl::string_view name,
                                                                 absl::string_view key) {
  MutexLock lock(&mu_);
  auto it = entries_.find({std::string(name), std::string(key)});
  if (it == entries_.end()) return std::optional<FailoverStoreEntry>();
  return std::optional<FailoverStoreEntry>(it->second);
}

absl::StatusOr<std::vector<FailoverStoreEntry>> MapStore::FindAll(absl::string_view name) {
  MutexLock lock(&mu_);
  std::vector<FailoverStoreEntry> found;
  for (auto it = entries_.lower_bound({std::string(name), std::string()});
       it != entries_.end() && it->first.first == name; ++it) {
    found.push_back(it->second);
  }
  return found;
}

absl::Status MapStore::Delete(absl::string_view name, absl::string_view key) {
  if (absl::Status hook = BeforeWrite("delete"); !hook.ok()) return hook;
  MutexLock lock(&mu_);
  entries_.erase({std::string(name), std::string(key)});
  ++writes_;
  return absl::OkStatus();
}

absl::StatusOr<int64_t> MapStore::CleanByExpiry(absl::Time now) {
  if (absl::Status hook = BeforeWrite("clean"); !hook.ok()) return hook;
  MutexLock lock(&mu_);
  int64_t removed = 0;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.expire_on < now) {
      it = entries_.erase(it);
      ++removed;
    } else {
      ++it;
    }
  }
  ++writes_;
  return removed;
}

int64_t MapStore::size() const {
  MutexLock lock(&mu_);
  return static_cast<int64_t>(entries_.size());
}

int64_t MapStore::writes() const {
  MutexLock lock(&mu_);
  return writes_;
}

}  // namespace failover
