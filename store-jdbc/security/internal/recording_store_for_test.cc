#include "store-jdbc/security/internal/recording_store_for_test.h"

namespace failover {

absl::Status RecordingStoreForTest::Store(const FailoverStoreEntry& entry) {
  MutexLock lock(&mu_);
  rows_[{entry.name, entry.key}] = entry;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<FailoverStoreEntry>> RecordingStoreForTest::Find(
    absl::string_view name, absl::string_view key) {
  MutexLock lock(&mu_);
  const auto found = rows_.find({std::string(name), std::string(key)});
  if (found == rows_.end()) return std::nullopt;
  return found->second;
}

absl::StatusOr<std::vector<FailoverStoreEntry>> RecordingStoreForTest::FindAll(
    absl::string_view name) {
  MutexLock lock(&mu_);
  std::vector<FailoverStoreEntry> result;
  for (const auto& [id, entry] : rows_) {
    if (id.first == name) result.push_back(entry);
  }
  return result;
}

absl::Status RecordingStoreForTest::Delete(absl::string_view name, absl::string_view key) {
  MutexLock lock(&mu_);
  rows_.erase({std::string(name), std::string(key)});
  return absl::OkStatus();
}

absl::StatusOr<int64_t> RecordingStoreForTest::CleanByExpiry(absl::Time now) {
  MutexLock lock(&mu_);
  int64_t removed = 0;
  for (auto it = rows_.begin(); it != rows_.end();) {
    if (it->second.expire_on < now) {
      it = rows_.erase(it);
      ++removed;
    } else {
      ++it;
    }
  }
  return removed;
}

std::vector<FailoverStoreEntry> RecordingStoreForTest::RawEntries() const {
  MutexLock lock(&mu_);
  std::vector<FailoverStoreEntry> result;
  for (const auto& [id, entry] : rows_) result.push_back(entry);
  return result;
}

}  // namespace failover
