// RecordingStoreForTest: a plain in-memory FailoverStore for the security tests, which look at
// the rows exactly as a decorator wrote them (RawEntries) and plant rows of their own (Store).
// Thread-safe.
//
//   auto inner = std::make_unique<RecordingStoreForTest>();
//   RecordingStoreForTest* raw = inner.get();
//   ... decorate `inner`, store through the decorator ...
//   EXPECT_THAT(raw->RawEntries(), ...);
#ifndef FAILOVER_STORE_JDBC_SECURITY_INTERNAL_RECORDING_STORE_FOR_TEST_H_
#define FAILOVER_STORE_JDBC_SECURITY_INTERNAL_RECORDING_STORE_FOR_TEST_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/sync.h"
#include "store-jdbc/failover_store.h"

namespace failover {

class RecordingStoreForTest final : public FailoverStore {
 public:
  absl::Status Store(const FailoverStoreEntry& entry) override;
  absl::StatusOr<std::optional<FailoverStoreEntry>> Find(absl::string_view name,
                                                         absl::string_view key) override;
  absl::StatusOr<std::vector<FailoverStoreEntry>> FindAll(absl::string_view name) override;
  absl::Status Delete(absl::string_view name, absl::string_view key) override;
  absl::StatusOr<int64_t> CleanByExpiry(absl::Time now) override;

  // Every stored row as written, ordered by (name, key).
  std::vector<FailoverStoreEntry> RawEntries() const;

 private:
  mutable Mutex mu_;
  std::map<std::pair<std::string, std::string>, FailoverStoreEntry> rows_ ABSL_GUARDED_BY(mu_);
};

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SECURITY_INTERNAL_RECORDING_STORE_FOR_TEST_H_
