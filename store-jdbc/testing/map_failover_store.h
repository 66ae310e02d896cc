// MapFailoverStore: the one in-memory FailoverStore test double of store-jdbc (testonly). An
// unbounded std::map keyed by (name, key) - not the production in-memory backend
// (store-jdbc/memory, LRU-bounded) - with what the decorator and call-wrapper tests need:
//   - an optional hook run before every write, to block, slow down or fail the backend;
//   - injected errors for Store() and for Find()/FindAll();
//   - Put() to plant rows (corrupt or foreign) bypassing the hook and the injected errors;
//   - RawEntries() to look at rows exactly as a decorator wrote them;
//   - counters: size(), writes(), find_calls(), delete_calls().
// Thread-safe: one mutex guards the map and the counters; the hook runs outside it.
//
//   failover::Notification release;
//   failover::MapFailoverStoreOptions options;
//   options.before_write = [&](absl::string_view op) {
//     release.WaitForNotification();
//     return absl::OkStatus();
//   };
//   failover::MapFailoverStore backend(std::move(options));
//   auto decorated = Decorate(std::make_unique<failover::UnownedStore>(&backend));
//   backend.FailFindsWith(absl::UnavailableError("db down"));
//   EXPECT_EQ(backend.find_calls(), 0);
//   EXPECT_THAT(backend.RawEntries(), ...);
#ifndef FAILOVER_STORE_JDBC_TESTING_MAP_FAILOVER_STORE_H_
#define FAILOVER_STORE_JDBC_TESTING_MAP_FAILOVER_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/sync.h"
#include "store-jdbc/failover_store.h"

namespace failover {

struct MapFailoverStoreOptions {
  // Called before each Store/Delete/CleanByExpiry with "store", "delete" or "clean", outside the
  // store's mutex; a non-OK result fails that write without touching the map. Empty = no hook.
  std::function<absl::Status(absl::string_view op)> before_write;
};

class MapFailoverStore final : public FailoverStore {
 public:
  explicit MapFailoverStore(MapFailoverStoreOptions options = {}) : options_(std::move(options)) {}

  // Store runs the hook, then fails with the FailStoresWith error if one is set.
  absl::Status Store(const FailoverStoreEntry& entry) override;
  // Find and FindAll fail with the FailFindsWith error if one is set (and still count).
  absl::StatusOr<std::optional<FailoverStoreEntry>> Find(absl::string_view name,
                                                         absl::string_view key) override;
  absl::StatusOr<std::vector<FailoverStoreEntry>> FindAll(absl::string_view name) override;
  absl::Status Delete(absl::string_view name, absl::string_view key) override;
  absl::StatusOr<int64_t> CleanByExpiry(absl::Time now) override;

  // Later Store() calls fail with `error` (OK to stop failing).
  void FailStoresWith(absl::Status error);
  // Later Find()/FindAll() calls fail with `error` (OK to stop failing).
  void FailFindsWith(absl::Status error);
  // Writes `entry` bypassing the hook and the injected errors; not counted in writes().
  void Put(const FailoverStoreEntry& entry);

  // Every stored row as written, ordered by (name, key).
  std::vector<FailoverStoreEntry> RawEntries() const;

  int64_t size() const;
  int64_t writes() const;        // Store/Delete/CleanByExpiry calls that succeeded
  int64_t find_calls() const;    // Find/FindAll calls, failed ones included
  int64_t delete_calls() const;  // Delete calls, failed ones included

 private:
  using Key = std::pair<std::string, std::string>;

  absl::Status BeforeWrite(absl::string_view op);

  const MapFailoverStoreOptions options_;
  mutable Mutex mu_;
  std::map<Key, FailoverStoreEntry> entries_ ABSL_GUARDED_BY(mu_);
  absl::Status store_error_ ABSL_GUARDED_BY(mu_);
  absl::Status find_error_ ABSL_GUARDED_BY(mu_);
  int64_t writes_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t find_calls_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t delete_calls_ ABSL_GUARDED_BY(mu_) = 0;
};

// Forwards every call to a store the test keeps owning, so the test can hand a decorator
// ownership of a FailoverStore and still inspect the backend, even after destroying the
// decorator. Thread-safe if the target is. The target must outlive this forwarder.
//
//   failover::MapFailoverStore backend;
//   auto async = NewAsyncWriteStore(std::make_unique<failover::UnownedStore>(&backend), ...);
class UnownedStore final : public FailoverStore {
 public:
  explicit UnownedStore(FailoverStore* target) : target_(target) {}

  absl::Status Store(const FailoverStoreEntry& entry) override { return target_->Store(entry); }
  absl::StatusOr<std::optional<FailoverStoreEntry>> Find(absl::string_view name,
                                                         absl::string_view key) override {
    return target_->Find(name, key);
  }
  absl::StatusOr<std::vector<FailoverStoreEntry>> FindAll(absl::string_view name) override {
    return target_->FindAll(name);
  }
  absl::Status Delete(absl::string_view name, absl::string_view key) override {
    return target_->Delete(name, key);
  }
  absl::StatusOr<int64_t> CleanByExpiry(absl::Time now) override {
    return target_->CleanByExpiry(now);
  }

 private:
  FailoverStore* const target_;
};

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_TESTING_MAP_FAILOVER_STORE_H_
