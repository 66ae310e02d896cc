// InMemoryFailoverStore: a plain map-backed FailoverStore for the call wrapper's tests, with
// operation counters and injectable errors. Not the production in-memory backend
// (store-jdbc/memory, LRU-bounded): this one is unbounded and test-only.
//
//   failover::InMemoryFailoverStore store;
//   store.FailStoresWith(absl::UnavailableError("disk full"));
//   EXPECT_EQ(store.find_calls(), 0);
//
// Thread-safe.
#ifndef FAILOVER_STORE_JDBC_CALL_TESTING_IN_MEMORY_FAILOVER_STORE_H_
#define FAILOVER_STORE_JDBC_CALL_TESTING_IN_MEMORY_FAILOVER_STORE_H_

#include <map>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "core/sync.h"
#include "store-jdbc/failover_store.h"

namespace failover {

class InMemoryFailoverStore final : public FailoverStore {
 public:
  absl::Status Store(const FailoverStoreEntry& entry) override;
  absl::StatusOr<std::optional<FailoverStoreEntry>> Find(absl::string_view name,
                                                         absl::string_view key) override;
  absl::StatusOr<std::vector<FailoverStoreEntry>> FindAll(absl::string_view name) override;
  absl::Status Delete(absl::string_view name, absl::string_view key) override;
  absl::StatusOr<int64_t> CleanByExpiry(absl::Time now) override;

  // Later Store() calls fail with `error` (OK to stop failing).
  void FailStoresWith(absl::Status error);
  // Later Find()/FindAll() calls fail with `error` (OK to stop failing).
  void FailFindsWith(absl::Status error);
  // Writes `entry` bypassing the injected errors (to plant corrupt or foreign rows).
  void Put(const FailoverStoreEntry& entry);

  int find_calls() const;
  int delete_calls() const;
  int size() const;

 private:
  using Key = std::pair<std::string, std::string>;
  mutable Mutex mu_;
  std::map<Key, FailoverStoreEntry> entries_ ABSL_GUARDED_BY(mu_);
  absl::Status store_error_ ABSL_GUARDED_BY(mu_);
  absl::Status find_error_ ABSL_GUARDED_BY(mu_);
  int find_calls_ ABSL_GUARDED_BY(mu_) = 0;
  int delete_calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_CALL_TESTING_IN_MEMORY_FAILOVER_STORE_H_
