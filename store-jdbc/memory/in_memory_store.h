// InMemoryStore: the `failover.store.type: inmemory` backend. Entries live in process memory,
// bounded by `failover.store.inmemory.max-entries`: once a Store() makes the count exceed it,
// the least recently accessed entry is evicted (Store and Find both count as access). A bound
// of 0 or less means unbounded. Entries are indexed per namespace, so FindAll(name) touches only
// that namespace's entries, and by expiry second, so CleanByExpiry(now) touches only expired
// ones. Expired entries are still returned by Find/FindAll until cleaned (callers check
// FailoverStoreEntry::ExpiredAt), as the contract allows.
//
//   std::unique_ptr<FailoverStore> store = NewInMemoryStore(/*max_entries=*/10000);
//   absl::Status stored = store->Store(entry);
//   auto found = store->Find("quotes", key);   // StatusOr<optional<FailoverStoreEntry>>
//
// Thread-safety: thread-safe. One mutex guards the index (exact global LRU order needs one);
// payloads are immutable and shared, so copying a found entry out happens after it is released.
#ifndef FAILOVER_STORE_JDBC_MEMORY_IN_MEMORY_STORE_H_
#define FAILOVER_STORE_JDBC_MEMORY_IN_MEMORY_STORE_H_

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
#include "core/sync.h"
#include "store-jdbc/failover_store.h"

namespace failover {

// The LRU store; see the file comment. Returned by NewInMemoryStore as a FailoverStore.
class InMemoryStore final : public FailoverStore {
 public:
  // max_entries <= 0: unbounded.
  explicit InMemoryStore(int64_t max_entries);
  ~InMemoryStore() override;
  InMemoryStore(const InMemoryStore&) = delete;
  InMemoryStore& operator=(const InMemoryStore&) = delete;

  absl::Status Store(const FailoverStoreEntry& entry) override;
  absl::StatusOr<std::optional<FailoverStoreEntry>> Find(absl::string_view name,
                                                         absl::string_view key) override;
  absl::StatusOr<std::vector<FailoverStoreEntry>> FindAll(absl::string_view name) override;
  absl::Status Delete(absl::string_view name, absl::string_view key) override;
  absl::StatusOr<int64_t> CleanByExpiry(absl::Time now) override;

  // Number of entries held.
  size_t size() const;

 private:
  struct Index;  // Defined in the .cc file.

  const int64_t max_entries_;
  mutable Mutex mu_;
  const std::unique_ptr<Index> index_ ABSL_PT_GUARDED_BY(mu_);
};

// The `inmemory` backend as a FailoverStore. max_entries <= 0: unbounded.
std::unique_ptr<FailoverStore> NewInMemoryStore(int64_t max_entries);

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_MEMORY_IN_MEMORY_STORE_H_
