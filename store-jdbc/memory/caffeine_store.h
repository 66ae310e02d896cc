// CaffeineStore: the `failover.store.type: caffeine` backend, an in-memory store with the
// W-TinyLFU policy of Java's Caffeine (see w_tiny_lfu_cache.h), bounded by
// `failover.store.caffeine.max-size` (0 or less: unbounded, only expiry bounds it). Each entry
// expires at its own expire_on: once the clock's wall time is past it, Find and FindAll never
// return it and it is reclaimed (on the read that finds it, on Store, or by CleanByExpiry).
// FindAll scans the whole cache (O(size)); Find, Store and Delete are O(1).
//
//   std::unique_ptr<FailoverStore> store = NewCaffeineStore(/*max_size=*/10000, SystemClock());
//   absl::Status stored = store->Store(entry);
//   auto found = store->Find("quotes", key);   // nullopt once expired
//
// Thread-safety: thread-safe. One mutex guards the cache (every read reorders its lists and
// counts in its sketch); payloads are built before taking it and copied out after releasing it,
// so the critical section is a hash lookup and a few pointer moves.
#ifndef FAILOVER_STORE_JDBC_MEMORY_CAFFEINE_STORE_H_
#define FAILOVER_STORE_JDBC_MEMORY_CAFFEINE_STORE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/sync.h"
#include "store-jdbc/failover_store.h"
#include "store-jdbc/memory/internal/store_key.h"
#include "store-jdbc/memory/w_tiny_lfu_cache.h"

namespace failover {

// The W-TinyLFU store; see the file comment. Returned by NewCaffeineStore as a FailoverStore.
class CaffeineStore final : public FailoverStore {
 public:
  // max_size <= 0: unbounded. clock.WallNow() is "now" for expiry; it must outlive the store.
  CaffeineStore(int64_t max_size, const Clock& clock);
  CaffeineStore(const CaffeineStore&) = delete;
  CaffeineStore& operator=(const CaffeineStore&) = delete;

  absl::Status Store(const FailoverStoreEntry& entry) override;
  absl::StatusOr<std::optional<FailoverStoreEntry>> Find(absl::string_view name,
                                                         absl::string_view key) override;
  absl::StatusOr<std::vector<FailoverStoreEntry>> FindAll(absl::string_view name) override;
  absl::Status Delete(absl::string_view name, absl::string_view key) override;
  absl::StatusOr<int64_t> CleanByExpiry(absl::Time now) override;

  // Number of entries held, including expired ones not yet reclaimed.
  size_t size() const;

 private:
  using Payload = std::shared_ptr<const memory_internal::StoredPayload>;
  using Cache = WTinyLfuCache<memory_internal::StoreKey, Payload, memory_internal::StoreKeyHash,
                              memory_internal::StoreKeyEq>;

  const Clock& clock_;
  mutable Mutex mu_;
  Cache cache_ ABSL_GUARDED_BY(mu_);
};

// The `caffeine` backend as a FailoverStore. max_size <= 0: unbounded.
std::unique_ptr<FailoverStore> NewCaffeineStore(int64_t max_size, const Clock& clock);

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_MEMORY_CAFFEINE_STORE_H_
