#include "store-jdbc/memory/caffeine_store.h"

#include <string>
#include <vector>

#include "core/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store-jdbc/testing/store_expectations.h"

namespace failover {
namespace {

using ::testing::UnorderedElementsAre;

class CaffeineStoreTest : public ::testing::Test {
 protected:
  FailoverStoreEntry Entry(const std::string& name, const std::string& key,
                           absl::Duration ttl = absl::Hours(1), const std::string& payload = "{}") {
    const absl::Time now = clock_.WallNow();
    return FailoverStoreEntry{name, key, now, now + ttl, payload, "acme.Quote"};
  }

  SimulatedClock clock_;
};

TEST_F(CaffeineStoreTest, StoresFindsAndOverwrites) {
  CaffeineStore store(100, clock_);
  const FailoverStoreEntry entry = Entry("quotes", "k1", absl::Minutes(5), R"({"px":1.5})");
  ASSERT_TRUE(store.Store(entry).ok());
  EXPECT_EQ(*store.Find("quotes", "k1").value(), entry);
  const FailoverStoreEntry newer = Entry("quotes", "k1", absl::Minutes(9), "new");
  ASSERT_TRUE(store.Store(newer).ok());
  EXPECT_EQ(*store.Find("quotes", "k1").value(), newer);
  EXPECT_EQ(store.size(), 1u);
  ASSERT_EQ(store.FindAll("quotes")->size(), 1u);
  EXPECT_FALSE(Has(store, "other", "k1"));
}

TEST_F(CaffeineStoreTest, ExpiredEntriesAreNeverReturnedAndAreReclaimed) {
  CaffeineStore store(100, clock_);
  ASSERT_TRUE(store.Store(Entry("n", "short", absl::Seconds(10))).ok());
  ASSERT_TRUE(store.Store(Entry("n", "long", absl::Minutes(10))).ok());
  clock_.Advance(absl::Seconds(10));
  EXPECT_TRUE(Has(store, "n", "short"));  // Expiring exactly now is still live.
  clock_.Advance(absl::Seconds(1));
  EXPECT_THAT(KeysOf(store, "n"), UnorderedElementsAre("long"));
  EXPECT_FALSE(Has(store, "n", "short"));
  EXPECT_EQ(store.size(), 1u);  // The read reclaimed it.

  ASSERT_TRUE(store.Store(Entry("n", "a", absl::Seconds(5))).ok());
  ASSERT_TRUE(store.Store(Entry("n", "b", absl::Seconds(5))).ok());
  clock_.Advance(absl::Minutes(1));
  EXPECT_THAT(KeysOf(store, "n"), UnorderedElementsAre("long"));
  EXPECT_EQ(store.size(), 3u);  // FindAll filters; it does not reclaim.
  EXPECT_EQ(store.CleanByExpiry(clock_.WallNow()).value(), 2);
  EXPECT_EQ(store.size(), 1u);
}

TEST_F(CaffeineStoreTest, CleanByExpiryUsesTheGivenTimeAndRemovesOnlyExpired) {
  CaffeineStore store(0, clock_);
  ASSERT_TRUE(store.Store(Entry("n", "a", absl::Seconds(10))).ok());
  ASSERT_TRUE(store.Store(Entry("n", "b", absl::Seconds(30))).ok());
  ASSERT_TRUE(store.Store(Entry("n", "c", absl::InfiniteDuration())).ok());
  const absl::Time now = clock_.WallNow();
  EXPECT_EQ(store.CleanByExpiry(now + absl::Seconds(30)).value(), 1);  // b expires exactly then.
  EXPECT_THAT(KeysOf(store, "n"), UnorderedElementsAre("b", "c"));
  EXPECT_EQ(store.CleanByExpiry(now + absl::Seconds(31)).value(), 1);
  EXPECT_THAT(KeysOf(store, "n"), UnorderedElementsAre("c"));
}

TEST_F(CaffeineStoreTest, StoringAnAlreadyExpiredEntryRemovesTheOldOne) {
  CaffeineStore store(100, clock_);
  ASSERT_TRUE(store.Store(Entry("n", "a")).ok());
  ASSERT_TRUE(store.Store(Entry("n", "a", -absl::Seconds(1))).ok());
  EXPECT_FALSE(Has(store, "n", "a"));
  EXPECT_EQ(store.size(), 0u);
}

TEST_F(CaffeineStoreTest, BoundedByMaxSize) {
  CaffeineStore store(50, clock_);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(store.Store(Entry("n", std::to_string(i))).ok());
  EXPECT_EQ(store.size(), 50u);
  EXPECT_EQ(store.FindAll("n")->size(), 50u);
}

TEST_F(CaffeineStoreTest, UnboundedKeepsEverythingUntilExpiry) {
  CaffeineStore store(-1, clock_);
  for (int i = 0; i < 3000; ++i) {
    ASSERT_TRUE(store.Store(Entry("n", std::to_string(i), absl::Seconds(i % 2 ? 5 : 50))).ok());
  }
  EXPECT_EQ(store.size(), 3000u);
  clock_.Advance(absl::Seconds(6));
  EXPECT_EQ(store.CleanByExpiry(clock_.WallNow()).value(), 1500);
  EXPECT_EQ(store.FindAll("n")->size(), 1500u);
}

TEST_F(CaffeineStoreTest, FindAllIsPerNamespaceAfterDeletes) {
  CaffeineStore store(100, clock_);
  ASSERT_TRUE(store.Store(Entry("a", "1")).ok());
  ASSERT_TRUE(store.Store(Entry("a", "2")).ok());
  ASSERT_TRUE(store.Store(Entry("b", "1")).ok());
  ASSERT_TRUE(store.Delete("a", "1").ok());
  ASSERT_TRUE(store.Delete("a", "missing").ok());
  EXPECT_THAT(KeysOf(store, "a"), UnorderedElementsAre("2"));
  EXPECT_THAT(KeysOf(store, "b"), UnorderedElementsAre("1"));
  EXPECT_TRUE(KeysOf(store, "c").empty());
}

// A frequently read entry survives a stream of one-off writes three times the capacity.
TEST_F(CaffeineStoreTest, FrequentlyReadEntrySurvivesOneOffWrites) {
  CaffeineStore store(100, clock_);
  ASSERT_TRUE(store.Store(Entry("n", "hot")).ok());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Has(store, "n", "hot"));
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(store.Store(Entry("n", std::to_string(i))).ok());
  EXPECT_TRUE(Has(store, "n", "hot"));
}

TEST_F(CaffeineStoreTest, FactoryBuildsABoundedStore) {
  std::unique_ptr<FailoverStore> store = NewCaffeineStore(1, clock_);
  ASSERT_TRUE(store->Store(Entry("n", "a")).ok());
  ASSERT_TRUE(store->Store(Entry("n", "b")).ok());
  EXPECT_EQ(store->FindAll("n")->size(), 1u);
}

}  // namespace
}  // namespace failover
