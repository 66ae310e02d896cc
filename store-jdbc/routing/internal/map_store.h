// MapStore: a tiny in-memory FailoverStore for the routing decorators' tests (testonly), with an
// optional hook run before every write so a test can block, slow down or fail the backend.
// Thread-safe (one mutex; the hook runs outside it).
//
//   Notification release;
//   MapStoreOptions options;
//   options.before_write = [&](absl::string_view op) {
//     release.WaitForNotification();
//     return absl::OkStatus();
//   };
//   auto store = std::make_unique<MapStore>(std::move(options));
#ifndef FAILOVER_STORE_JDBC_ROUTING_INTERNAL_MAP_STORE_H_
#define FAILOVER_STORE_JDBC_ROUTING_INTERNAL_MAP_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "core/sync.h"
#include "store-jdbc/failover_store.h"

namespace failover {

struct MapStoreOptions {
  // Called before each Store/Delete/CleanByExpiry with "store", "delete" or "clean"; a non-OK
  // result fails that write without touching the map. Empty = no hook.
  std::function<absl::Status(absl::string_view op)> before_write;
};

class MapStore : public FailoverStore {
 public:
  explicit MapStore(MapStoreOptions options = {}) : options_(std::move(options)) {}

  absl::Status Store(const FailoverStoreEntry& entry) override;
  absl::StatusOr<std::optional<FailoverStoreEntry>> Find(absl::string_view name,
                                                         absl::string_view key) override;
  absl::StatusOr<std::vector<FailoverStoreEntry>> FindAll(absl::string_view name) override;
  absl::Status Delete(absl::string_view name, absl::string_view key) override;
  absl::StatusOr<int64_t> CleanByExpiry(absl::Time now) override;

  int64_t size() const;
  int64_t writes() const;  // completed Store/Delete/CleanByExpiry calls

 private:
  absl::Status BeforeWrite(absl::string_view op);

  const MapStoreOptions options_;
  mutable Mutex mu_;
  std::map<std::pair<std::string, std::string>, FailoverStoreEntry> entries_ ABSL_GUARDED_BY(mu_);
  int64_t writes_ ABSL_GUARDED_BY(mu_) = 0;
};

// Forwards every call to a store the test keeps owning, so the test can inspect the backend
// after destroying the decorator that owned this forwarder.
class UnownedStore : public FailoverStore {
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

#endif  // FAILOVER_STORE_JDBC_ROUTING_INTERNAL_MAP_STORE_H_
