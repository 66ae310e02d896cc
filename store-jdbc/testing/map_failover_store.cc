#include "store-jdbc/testing/map_failover_store.h"

namespace failover {

absl::Status MapFailoverStore::BeforeWrite(absl::string_view op) {
  return options_.before_write ? options_.before_write(op) : absl::OkStatus();
}

absl::Status MapFailoverStore::Store(const FailoverStoreEntry& entry) {
  if (absl::Status hook = BeforeWrite("store"); !hook.ok()) return hook;
  MutexLock lock(&mu_);
  if (!store_error_.ok()) return store_error_;
  entries_[{entry.name, entry.key}] = entry;
  ++writes_;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<FailoverStoreEntry>> MapFailoverStore::Find(absl::string_view name,
                                                                         absl::string_view key) {
  MutexLock lock(&mu_);
  ++find_calls_;
  if (!find_error_.ok()) return find_error_;
  auto it = entries_.find({std::string(name), std::string(key)});
  if (it == entries_.end()) return std::optional<FailoverStoreEntry>();
  return std::optional<FailoverStoreEntry>(it->second);
}

absl::StatusOr<std::vector<FailoverStoreEntry>> MapFailoverStore::FindAll(absl::string_view name) {
  MutexLock lock(&mu_);
  ++find_calls_;
  if (!find_error_.ok()) return find_error_;
  std::vector<FailoverStoreEntry> found;
  for (auto it = entries_.lower_bound({std::string(name), std::string()});
       it != entries_.end() && it->first.first == name; ++it) {
    found.push_back(it->second);
  }
  return found;
}

absl::Status MapFailoverStore::Delete(absl::string_view name, absl::string_view key) {
  {
    MutexLock lock(&mu_);
    ++delete_calls_;
  }
  if (absl::Status hook = BeforeWrite("delete"); !hook.ok()) return hook;
  MutexLock lock(&mu_);
  entries_.erase({std::string(name), std::string(key)});
  ++writes_;
  return absl::OkStatus();
}

absl::StatusOr<int64_t> MapFailoverStore::CleanByExpiry(absl::Time now) {
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

void MapFailoverStore::FailStoresWith(absl::Status error) {
  MutexLock lock(&mu_);
  store_error_ = std::move(error);
}

void MapFailoverStore::FailFindsWith(absl::Status error) {
  MutexLock lock(&mu_);
  find_error_ = std::move(error);
}

void MapFailoverStore::Put(const FailoverStoreEntry& entry) {
  MutexLock lock(&mu_);
  entries_[{entry.name, entry.key}] = entry;
}

std::vector<FailoverStoreEntry> MapFailoverStore::RawEntries() const {
  MutexLock lock(&mu_);
  std::vector<FailoverStoreEntry> rows;
  rows.reserve(entries_.size());
  for (const auto& [id, entry] : entries_) rows.push_back(entry);
  return rows;
}

int64_t MapFailoverStore::size() const {
  MutexLock lock(&mu_);
  return static_cast<int64_t>(entries_.size());
}

int64_t MapFailoverStore::writes() const {
  MutexLock lock(&mu_);
  return writes_;
}

int64_t MapFailoverStore::find_calls() const {
  MutexLock lock(&mu_);
  return find_calls_;
}

int64_t MapFailoverStore::delete_calls() const {
  MutexLock lock(&mu_);
  return delete_calls_;
}

}  // namespace failover
