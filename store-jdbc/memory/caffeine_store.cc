#include "store-jdbc/memory/caffeine_store.h"

#include <string>
#include <utility>

namespace failover {

using memory_internal::StoredPayload;
using memory_internal::StoreKey;
using memory_internal::StoreKeyView;

CaffeineStore::CaffeineStore(int64_t max_size, const Clock& clock)
    : clock_(clock), cache_(max_size) {}

absl::Status CaffeineStore::Store(const FailoverStoreEntry& entry) {
  const StoreKeyView view{entry.name, entry.key};
  const size_t hash = memory_internal::StoreKeyHash{}(view);
  Payload payload = memory_internal::ToPayload(entry);
  const absl::Time now = clock_.WallNow();
  Cache::Displaced displaced;  // Freed after the lock is released.
  MutexLock lock(&mu_);
  cache_.PutWithHash(view, hash, std::move(payload), entry.expire_on, now, &displaced);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<FailoverStoreEntry>> CaffeineStore::Find(absl::string_view name,
                                                                      absl::string_view key) {
  const StoreKeyView view{name, key};
  const size_t hash = memory_internal::StoreKeyHash{}(view);
  const absl::Time now = clock_.WallNow();
  Payload payload;
  {
    MutexLock lock(&mu_);
    const Payload* found = cache_.GetWithHash(view, hash, now);
    if (found == nullptr) return std::nullopt;
    payload = *found;
  }
  return memory_internal::ToEntry(view, *payload);
}

absl::StatusOr<std::vector<FailoverStoreEntry>> CaffeineStore::FindAll(absl::string_view name) {
  const absl::Time now = clock_.WallNow();
  std::vector<std::pair<std::string, Payload>> found;
  {
    MutexLock lock(&mu_);
    cache_.ForEachLive(now, [&](const StoreKey& key, const Payload& payload) {
      if (key.name == name) found.emplace_back(key.key, payload);
    });
  }
  std::vector<FailoverStoreEntry> entries;
  entries.reserve(found.size());
  for (const auto& [key, payload] : found) {
    entries.push_back(memory_internal::ToEntry(StoreKeyView{name, key}, *payload));
  }
  return entries;
}

absl::Status CaffeineStore::Delete(absl::string_view name, absl::string_view key) {
  MutexLock lock(&mu_);
  cache_.Remove(StoreKeyView{name, key});
  return absl::OkStatus();
}

absl::StatusOr<int64_t> CaffeineStore::CleanByExpiry(absl::Time now) {
  MutexLock lock(&mu_);
  return cache_.RemoveExpired(now);
}

size_t CaffeineStore::size() const {
  MutexLock lock(&mu_);
  return cache_.size();
}

std::unique_ptr<FailoverStore> NewCaffeineStore(int64_t max_size, const Clock& clock) {
  return std::make_unique<CaffeineStore>(max_size, clock);
}

}  // namespace failover
