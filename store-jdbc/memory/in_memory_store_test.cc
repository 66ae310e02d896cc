#include "store-jdbc/memory/in_memory_store.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store-jdbc/testing/store_expectations.h"

namespace failover {
namespace {

using ::testing::UnorderedElementsAre;

const absl::Time kNow = absl::FromUnixSeconds(1700000000);

FailoverStoreEntry Entry(const std::string& name, const std::string& key,
                         absl::Duration ttl = absl::Hours(1), const std::string& payload = "{}") {
  return FailoverStoreEntry{name, key, kNow, kNow + ttl, payload, "acme.Quote"};
}

TEST(InMemoryStoreTest, StoresAndFindsTheWholeEntry) {
  InMemoryStore store(10);
  const FailoverStoreEntry entry = Entry("quotes", "k1", absl::Minutes(5), R"({"px":1.5})");
  ASSERT_TRUE(store.Store(entry).ok());
  absl::StatusOr<std::optional<FailoverStoreEntry>> found = store.Find("quotes", "k1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, entry);
  EXPECT_FALSE(Has(store, "quotes", "k2"));
  EXPECT_FALSE(Has(store, "other", "k1"));
}

TEST(InMemoryStoreTest, UpsertOverwritesKeepingOneRow) {
  InMemoryStore store(10);
  ASSERT_TRUE(store.Store(Entry("quotes", "k1", absl::Hours(1), "old")).ok());
  const FailoverStoreEntry newer = Entry("quotes", "k1", absl::Hours(2), "new");
  ASSERT_TRUE(store.Store(newer).ok());
  EXPECT_EQ(store.size(), 1u);
  EXPECT_EQ(*store.Find("quotes", "k1").value(), newer);
  absl::StatusOr<std::vector<FailoverStoreEntry>> all = store.FindAll("quotes");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0], newer);
}

TEST(InMemoryStoreTest, EvictsLeastRecentlyStoredOnceBoundExceeded) {
  InMemoryStore store(3);
  for (const char* k : {"a", "b", "c", "d", "e"}) ASSERT_TRUE(store.Store(Entry("n", k)).ok());
  EXPECT_EQ(store.size(), 3u);
  EXPECT_THAT(KeysOf(store, "n"), UnorderedElementsAre("c", "d", "e"));
}

TEST(InMemoryStoreTest, FindRefreshesRecency) {
  InMemoryStore store(3);
  for (const char* k : {"a", "b", "c"}) ASSERT_TRUE(store.Store(Entry("n", k)).ok());
  EXPECT_TRUE(Has(store, "n", "a"));  // "b" is now the least recently accessed.
  ASSERT_TRUE(store.Store(Entry("n", "d")).ok());
  EXPECT_THAT(KeysOf(store, "n"), UnorderedElementsAre("a", "c", "d"));
}

TEST(InMemoryStoreTest, StoreOfExistingKeyRefreshesRecency) {
  InMemoryStore store(3);
  for (const char* k : {"a", "b", "c"}) ASSERT_TRUE(store.Store(Entry("n", k)).ok());
  ASSERT_TRUE(store.Store(Entry("n", "a", absl::Hours(1), "again")).ok());
  ASSERT_TRUE(store.Store(Entry("n", "d")).ok());
  ASSERT_TRUE(store.Store(Entry("n", "e")).ok());
  EXPECT_THAT(KeysOf(store, "n"), UnorderedElementsAre("a", "d", "e"));
}

TEST(InMemoryStoreTest, ZeroOrNegativeBoundIsUnbounded) {
  for (int64_t bound : {0, -1}) {
    InMemoryStore store(bound);
    for (int i = 0; i < 5000; ++i) ASSERT_TRUE(store.Store(Entry("n", std::to_string(i))).ok());
    EXPECT_EQ(store.size(), 5000u);
    EXPECT_TRUE(Has(store, "n", "0"));
  }
}

TEST(InMemoryStoreTest, FindAllIsPerNamespaceAfterEvictionsAndDeletes) {
  InMemoryStore store(4);
  ASSERT_TRUE(store.Store(Entry("a", "1")).ok());
  ASSERT_TRUE(store.Store(Entry("b", "1")).ok());
  ASSERT_TRUE(store.Store(Entry("a", "2")).ok());
  ASSERT_TRUE(store.Store(Entry("b", "2")).ok());
  ASSERT_TRUE(store.Store(Entry("a", "3")).ok());  // Evicts a/1.
  ASSERT_TRUE(store.Delete("b", "2").ok());
  ASSERT_TRUE(store.Delete("b", "missing").ok());
  EXPECT_THAT(KeysOf(store, "a"), UnorderedElementsAre("2", "3"));
  EXPECT_THAT(KeysOf(store, "b"), UnorderedElementsAre("1"));
  ASSERT_TRUE(store.Delete("b", "1").ok());
  EXPECT_TRUE(KeysOf(store, "b").empty());
  EXPECT_TRUE(KeysOf(store, "nobody").empty());
  ASSERT_TRUE(store.Store(Entry("b", "9")).ok());  // The namespace comes back.
  EXPECT_THAT(KeysOf(store, "b"), UnorderedElementsAre("9"));
  EXPECT_EQ(store.size(), 3u);
}

TEST(InMemoryStoreTest, DeleteRemovesOnlyThatEntry) {
  InMemoryStore store(0);
  ASSERT_TRUE(store.Store(Entry("n", "a")).ok());
  ASSERT_TRUE(store.Store(Entry("n", "b")).ok());
  ASSERT_TRUE(store.Delete("n", "a").ok());
  EXPECT_FALSE(Has(store, "n", "a"));
  EXPECT_TRUE(Has(store, "n", "b"));
}

TEST(InMemoryStoreTest, CleanByExpiryRemovesOnlyExpired) {
  InMemoryStore store(0);
  ASSERT_TRUE(store.Store(Entry("n", "gone1", absl::Seconds(10))).ok());
  ASSERT_TRUE(store.Store(Entry("m", "gone2", absl::Milliseconds(20500))).ok());
  ASSERT_TRUE(store.Store(Entry("n", "exact", absl::Seconds(30))).ok());
  ASSERT_TRUE(store.Store(Entry("n", "later", absl::Milliseconds(30200))).ok());
  ASSERT_TRUE(store.Store(Entry("n", "never", absl::InfiniteDuration())).ok());
  // Expired entries stay visible until cleaned, as the contract allows.
  EXPECT_TRUE(Has(store, "n", "gone1"));

  absl::StatusOr<int64_t> removed = store.CleanByExpiry(kNow + absl::Seconds(30));
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 2);  // expire_on == now is not before now.
  EXPECT_THAT(KeysOf(store, "n"), UnorderedElementsAre("exact", "later", "never"));
  EXPECT_TRUE(KeysOf(store, "m").empty());

  EXPECT_EQ(store.CleanByExpiry(kNow + absl::Milliseconds(30100)).value(), 1);
  EXPECT_THAT(KeysOf(store, "n"), UnorderedElementsAre("later", "never"));
  EXPECT_EQ(store.CleanByExpiry(kNow + absl::Hours(24 * 365 * 100)).value(), 1);
  EXPECT_THAT(KeysOf(store, "n"), UnorderedElementsAre("never"));
}

TEST(InMemoryStoreTest, RestoringWithNewExpiryMovesItInTheExpiryIndex) {
  InMemoryStore store(0);
  ASSERT_TRUE(store.Store(Entry("n", "a", absl::Seconds(5))).ok());
  ASSERT_TRUE(store.Store(Entry("n", "a", absl::Hours(1))).ok());
  EXPECT_EQ(store.CleanByExpiry(kNow + absl::Minutes(1)).value(), 0);
  EXPECT_TRUE(Has(store, "n", "a"));
  ASSERT_TRUE(store.Store(Entry("n", "a", absl::Seconds(5))).ok());
  EXPECT_EQ(store.CleanByExpiry(kNow + absl::Minutes(1)).value(), 1);
  EXPECT_EQ(store.size(), 0u);
}

TEST(InMemoryStoreTest, EvictedAndDeletedEntriesLeaveTheExpiryIndex) {
  InMemoryStore store(2);
  for (const char* k : {"a", "b", "c"}) {
    ASSERT_TRUE(store.Store(Entry("n", k, absl::Seconds(1))).ok());
  }
  ASSERT_TRUE(store.Delete("n", "b").ok());
  EXPECT_EQ(store.CleanByExpiry(kNow + absl::Seconds(2)).value(), 1);  // Only "c" was left.
  EXPECT_EQ(store.size(), 0u);
}

TEST(InMemoryStoreTest, FactoryBuildsABoundedStore) {
  std::unique_ptr<FailoverStore> store = NewInMemoryStore(1);
  ASSERT_TRUE(store->Store(Entry("n", "a")).ok());
  ASSERT_TRUE(store->Store(Entry("n", "b")).ok());
  EXPECT_FALSE(Has(*store, "n", "a"));
  EXPECT_TRUE(Has(*store, "n", "b"));
}

}  // namespace
}  // namespace failover
