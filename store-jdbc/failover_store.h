// FailoverStore: where a failover keeps the last good result of an upstream call, so that it can
// be served when the upstream fails. One entry per (name, key), where `name` is the storage
// namespace (the failover's domain if it has one, else its name) and `key` the name-based UUID
// of the call's arguments (key_generator.h in store-jdbc/call). Entries carry their payload as
// bytes already encoded by a payload codec, plus the payload's type name, exactly the columns
// of the Java framework's {prefix}FAILOVER_STORE table:
//
//   FAILOVER_NAME  FAILOVER_KEY  AS_OF  EXPIRE_ON  PAYLOAD  PAYLOAD_CLASS
//
// Backends: in memory (LRU, store-jdbc/memory), W-TinyLFU ("caffeine", store-jdbc/memory),
// SQL (SQLite or PostgreSQL, store-jdbc/sql), or one the application registers. Decorators add
// payload protection (encryption + allowlist, store-jdbc/security), asynchronous writes and
// tenant routing (store-jdbc/routing). NewFailoverStore (store_factory.h) builds the stack
// from failover.store.* configuration.
//
//   std::unique_ptr<FailoverStore> store = ...;
//   FailoverStoreEntry entry{"quotes", key, now, now + absl::Hours(1), R"({"px":1.5})",
//                            "acme.Quote"};
//   absl::Status stored = store->Store(entry);
//   absl::StatusOr<std::optional<FailoverStoreEntry>> found = store->Find("quotes", key);
#ifndef FAILOVER_STORE_JDBC_FAILOVER_STORE_H_
#define FAILOVER_STORE_JDBC_FAILOVER_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace failover {

// One stored payload (a row of {prefix}FAILOVER_STORE).
struct FailoverStoreEntry {
  std::string name;          // FAILOVER_NAME: storage namespace (domain, else failover name)
  std::string key;           // FAILOVER_KEY: the call's key (a UUID for generated keys)
  absl::Time as_of;          // AS_OF: when the payload was produced by the upstream
  absl::Time expire_on;      // EXPIRE_ON: after this instant the entry must not be served
  std::string payload;       // PAYLOAD: encoded payload (JSON text for the built-in codecs)
  std::string payload_type;  // PAYLOAD_CLASS: the payload's type name, checked before decoding

  // True once `now` is past expire_on (an entry expiring exactly now is still live, as in the
  // Java framework: `now > expireOn`).
  bool ExpiredAt(absl::Time now) const { return now > expire_on; }

  friend bool operator==(const FailoverStoreEntry& a, const FailoverStoreEntry& b) {
    return a.name == b.name && a.key == b.key && a.as_of == b.as_of && a.expire_on == b.expire_on &&
           a.payload == b.payload && a.payload_type == b.payload_type;
  }
};

// The store contract. Implementations state their own thread-safety; every implementation in
// this module is thread-safe. Errors are values: UNAVAILABLE for an unreachable backend,
// INVALID_ARGUMENT for a bad name/key/tenant, PERMISSION_DENIED for a payload type outside the
// allowlist, DATA_LOSS for a stored payload that cannot be decrypted; messages name the entry.
class FailoverStore {
 public:
  virtual ~FailoverStore() = default;

  // Inserts or overwrites the entry with the same (name, key) (upsert).
  virtual absl::Status Store(const FailoverStoreEntry& entry) = 0;
  // The entry stored under (name, key), or nullopt. May return an expired entry (callers check
  // ExpiredAt); stores with native expiry (W-TinyLFU) may already have dropped it.
  virtual absl::StatusOr<std::optional<FailoverStoreEntry>> Find(absl::string_view name,
                                                                 absl::string_view key) = 0;
  // Every entry of the namespace `name` (any order; expired ones may be included).
  virtual absl::StatusOr<std::vector<FailoverStoreEntry>> FindAll(absl::string_view name) = 0;
  // Removes (name, key); removing a missing entry is not an error.
  virtual absl::Status Delete(absl::string_view name, absl::string_view key) = 0;
  // Removes every entry with expire_on < now; returns how many were removed.
  virtual absl::StatusOr<int64_t> CleanByExpiry(absl::Time now) = 0;
};

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_FAILOVER_STORE_H_
