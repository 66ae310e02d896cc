// Small checks the store tests share: whether an entry is found, and which keys a namespace
// holds. Each fails the running test (EXPECT) when the store returns an error.
#ifndef FAILOVER_STORE_JDBC_TESTING_STORE_EXPECTATIONS_H_
#define FAILOVER_STORE_JDBC_TESTING_STORE_EXPECTATIONS_H_

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "store-jdbc/failover_store.h"

namespace failover {

// True when `store` finds (name, key).
inline bool Has(FailoverStore& store, const std::string& name, const std::string& key) {
  absl::StatusOr<std::optional<FailoverStoreEntry>> found = store.Find(name, key);
  EXPECT_TRUE(found.ok()) << found.status();
  return found.ok() && found->has_value();
}

// The keys FindAll(name) returns, in its order.
inline std::vector<std::string> KeysOf(FailoverStore& store, const std::string& name) {
  absl::StatusOr<std::vector<FailoverStoreEntry>> all = store.FindAll(name);
  EXPECT_TRUE(all.ok()) << all.status();
  std::vector<std::string> keys;
  if (!all.ok()) return keys;
  for (const FailoverStoreEntry& e : *all) keys.push_back(e.key);
  return keys;
}

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_TESTING_STORE_EXPECTATIONS_H_
