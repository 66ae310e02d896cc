// The (name, key) identity of a stored entry, shared by the in-memory backends: an owning
// StoreKey kept in the index, and a StoreKeyView that lookups build from the caller's
// string_views, so Find/Delete never allocate or concatenate. StoreKeyHash and StoreKeyEq are
// transparent: a map keyed by StoreKey is searched with a StoreKeyView. StoredPayload is the rest
// of a FailoverStoreEntry, immutable once stored and shared so it can be copied out after the
// store's lock is released.
//
//   absl::node_hash_map<StoreKey, int, StoreKeyHash, StoreKeyEq> index;
//   index.emplace(StoreKey(StoreKeyView{"quotes", "k1"}), 1);
//   auto it = index.find(StoreKeyView{"quotes", "k1"});
//
// Thread-safety: plain values; no shared state.
#ifndef FAILOVER_STORE_JDBC_MEMORY_INTERNAL_STORE_KEY_H_
#define FAILOVER_STORE_JDBC_MEMORY_INTERNAL_STORE_KEY_H_

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "store-jdbc/failover_store.h"

namespace failover {
namespace memory_internal {

struct StoreKeyView {
  absl::string_view name;
  absl::string_view key;
};

struct StoreKey {
  explicit StoreKey(StoreKeyView view) : name(view.name), key(view.key) {}
  StoreKeyView view() const { return {name, key}; }

  std::string name;
  std::string key;
};

struct StoreKeyHash {
  using is_transparent = void;
  size_t operator()(StoreKeyView v) const { return absl::HashOf(v.name, v.key); }
  size_t operator()(const StoreKey& k) const { return (*this)(k.view()); }
};

struct StoreKeyEq {
  using is_transparent = void;
  static StoreKeyView View(StoreKeyView v) { return v; }
  static StoreKeyView View(const StoreKey& k) { return k.view(); }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    const StoreKeyView x = View(a);
    const StoreKeyView y = View(b);
    return x.key == y.key && x.name == y.name;
  }
};

// A FailoverStoreEntry without its (name, key).
struct StoredPayload {
  absl::Time as_of;
  absl::Time expire_on;
  std::string payload;
  std::string payload_type;
};

inline std::shared_ptr<const StoredPayload> ToPayload(const FailoverStoreEntry& entry) {
  return std::make_shared<const StoredPayload>(
      StoredPayload{entry.as_of, entry.expire_on, entry.payload, entry.payload_type});
}

inline FailoverStoreEntry ToEntry(StoreKeyView key, const StoredPayload& payload) {
  return FailoverStoreEntry{std::string(key.name), std::string(key.key), payload.as_of,
                            payload.expire_on,     payload.payload,      payload.payload_type};
}

}  // namespace memory_internal
}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_MEMORY_INTERNAL_STORE_KEY_H_
