#include "store-jdbc/call/testing/in_memory_failover_store.h"

namespace failover {

absl::Status InMemoryFailoverStore::Store(const FailoverStoreEntry& entry) {
  MutexLock lock(&mu_);
  if (!store_error_.ok()) return store_error_;
  entries_[{entry.name, entry.key}] = entry;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<FailoverStoreEntry>> InMemoryFailoverStore::Find(
    absl::string_view name, absl::string_view key) {
  MutexLock lock(&mu_);
  ++find_calls_;
  if (!find_error_.ok()) return find_error_;
  auto it = entries_.find({std::string(name), std::string(key)});
  if (it == entries_.end()) return std::optional<FailoverStoreEntry>();
  return std::optional<FailoverStoreEntry>(it->second);
}

absl::StatusOr<std::vector<FailoverStoreEntry>> InMemoryFailoverStore::FindAll(
    absl::string_view name) {
  MutexLock lock(&mu_);
  ++find_calls_;
  if (!find_error_.ok()) return find_error_;
  std::vector<FailoverStoreEntry> out;
  for (const auto& [key, entry] : entries_) {
    if (key.first == name) out.push_back(entry);
  }
  return out;
}

absl::Status InMemoryFailoverStore::Delete(absl::string_view name, absl::string_view key) {
  MutexLock lock(&mu_);
  ++delete_calls_;
  entries_.erase({std::string(name), std::string(key)});
  return absl::OkStatus();
}

absl::StatusOr<int64_t> InMemoryFailoverStore::CleanByExpiry(absl::Time now) {
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
  return removed;
}

void InMemoryFailoverStore::FailStoresWith(absl::Status error) {
  MutexLock lock(&mu_);
  store_error_ = std::move(error);
}

void InMemoryFailoverStore::FailFindsWith(absl::Status error) {
  MutexLock lock(&mu_);
  find_error_ = std::move(error);
}

void InMemoryFailoverStore::Put(const FailoverStoreEntry& entry) {
  MutexLock lock(&mu_);
  entries_[{entry.name, entry.key}] = entry;
}

int InMemoryFailoverStore::find_calls() const {
  MutexLock lock(&mu_);
  return find_calls_;
}

int InMemoryFailoverStore::delete_calls() const {
  MutexLock lock(&mu_);
  return delete_calls_;
}

int InMemoryFailoverStore::size() const {
  MutexLock lock(&mu_);
  return static_cast<int>(entries_.size());
}

}  // namespace failover
