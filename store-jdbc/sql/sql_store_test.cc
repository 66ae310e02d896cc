// The FailoverStore behaviour of the SQL store, against SQLite and a real PostgreSQL.
#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store-jdbc/sql/sql_store_test_fixture.h"

namespace failover {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Keys(const std::vector<FailoverStoreEntry>& entries) {
  std::vector<std::string> keys;
  for (const FailoverStoreEntry& entry : entries) keys.push_back(entry.key);
  return keys;
}

TEST_P(SqlStoreTest, StoreThenFindRoundTripsToTheMicrosecond) {
  const std::string prefix = Unique("RT");
  std::unique_ptr<FailoverStore> store = NewStore(prefix);
  ASSERT_NE(store, nullptr);
  FailoverStoreEntry entry =
      Entry("quotes", "ab731e45-8d4d-330c-b9a8-00651916d239", R"({"px":1.5})",
            BaseTime() + absl::Hours(1) + absl::Microseconds(1));
  ASSERT_TRUE(store->Store(entry).ok());

  absl::StatusOr<std::optional<FailoverStoreEntry>> found = store->Find("quotes", entry.key);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(**found, entry);
  EXPECT_EQ(absl::ToUnixMicros((*found)->as_of), absl::ToUnixMicros(BaseTime()));
}

TEST_P(SqlStoreTest, SubMicrosecondPartsAreTruncated) {
  const std::string prefix = Unique("NS");
  std::unique_ptr<FailoverStore> store = NewStore(prefix);
  FailoverStoreEntry entry = Entry("n", "k", "p", BaseTime() + absl::Nanoseconds(999));
  entry.as_of += absl::Nanoseconds(1);
  ASSERT_TRUE(store->Store(entry).ok());
  absl::StatusOr<std::optional<FailoverStoreEntry>> found = store->Find("n", "k");
  ASSERT_TRUE(found.ok() && found->has_value()) << found.status();
  EXPECT_EQ((*found)->as_of, BaseTime());
  EXPECT_EQ((*found)->expire_on, BaseTime());
}

TEST_P(SqlStoreTest, FindOfMissingEntryIsEmpty) {
  std::unique_ptr<FailoverStore> store = NewStore(Unique("MISS"));
  absl::StatusOr<std::optional<FailoverStoreEntry>> found = store->Find("quotes", "nope");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->has_value());
}

TEST_P(SqlStoreTest, StoringTheSameKeyOverwritesTheRow) {
  const std::string prefix = Unique("UP");
  std::unique_ptr<FailoverStore> store = NewStore(prefix);
  const absl::Time later = BaseTime() + absl::Minutes(5);
  ASSERT_TRUE(store->Store(Entry("quotes", "k1", "first", later)).ok());
  FailoverStoreEntry second = Entry("quotes", "k1", "second", later + absl::Hours(1));
  second.as_of = later;
  second.payload_type = "acme.Quote2";
  ASSERT_TRUE(store->Store(second).ok());
  EXPECT_EQ(CountRows(prefix), 1);
  absl::StatusOr<std::optional<FailoverStoreEntry>> found = store->Find("quotes", "k1");
  ASSERT_TRUE(found.ok() && found->has_value()) << found.status();
  EXPECT_EQ(**found, second);

  ASSERT_TRUE(store->Store(Entry("quotes", "k2", "other", later)).ok());
  EXPECT_EQ(CountRows(prefix), 2);
}

TEST_P(SqlStoreTest, FindAllListsOneNamespace) {
  std::unique_ptr<FailoverStore> store = NewStore(Unique("ALL"));
  const absl::Time expiry = BaseTime() + absl::Hours(1);
  ASSERT_TRUE(store->Store(Entry("a", "k1", "a1", expiry)).ok());
  ASSERT_TRUE(store->Store(Entry("a", "k2", "a2", expiry)).ok());
  ASSERT_TRUE(store->Store(Entry("b", "k1", "b1", expiry)).ok());

  absl::StatusOr<std::vector<FailoverStoreEntry>> a = store->FindAll("a");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_THAT(Keys(*a), UnorderedElementsAre("k1", "k2"));
  for (const FailoverStoreEntry& entry : *a) {
    EXPECT_EQ(entry, Entry("a", entry.key, entry.key == "k1" ? "a1" : "a2", expiry));
  }
  absl::StatusOr<std::vector<FailoverStoreEntry>> b = store->FindAll("b");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_THAT(*b, ElementsAre(Entry("b", "k1", "b1", expiry)));
  absl::StatusOr<std::vector<FailoverStoreEntry>> none = store->FindAll("c");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->empty());
}

TEST_P(SqlStoreTest, DeleteRemovesOnlyThatEntry) {
  const std::string prefix = Unique("DEL");
  std::unique_ptr<FailoverStore> store = NewStore(prefix);
  const absl::Time expiry = BaseTime() + absl::Hours(1);
  ASSERT_TRUE(store->Store(Entry("a", "k1", "x", expiry)).ok());
  ASSERT_TRUE(store->Store(Entry("a", "k2", "y", expiry)).ok());
  ASSERT_TRUE(store->Delete("a", "k1").ok());
  EXPECT_FALSE(store->Find("a", "k1")->has_value());
  EXPECT_TRUE(store->Find("a", "k2")->has_value());
  EXPECT_TRUE(store->Delete("a", "missing").ok());
  EXPECT_EQ(CountRows(prefix), 1);
}

TEST_P(SqlStoreTest, CleanByExpiryRemovesOnlyExpiredEntries) {
  const std::string prefix = Unique("EXP");
  std::unique_ptr<FailoverStore> store = NewStore(prefix);
  const absl::Time now = BaseTime() + absl::Hours(2);
  ASSERT_TRUE(store->Store(Entry("n", "old", "x", now - absl::Seconds(1))).ok());
  ASSERT_TRUE(store->Store(Entry("n", "just", "x", now - absl::Microseconds(1))).ok());
  ASSERT_TRUE(store->Store(Entry("n", "now", "x", now)).ok());
  ASSERT_TRUE(store->Store(Entry("n", "live", "x", now + absl::Seconds(1))).ok());
  ASSERT_TRUE(store->Store(Entry("n", "forever", "x", absl::InfiniteFuture())).ok());

  absl::StatusOr<int64_t> removed = store->CleanByExpiry(now);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(*removed, 2);
  absl::StatusOr<std::vector<FailoverStoreEntry>> left = store->FindAll("n");
  ASSERT_TRUE(left.ok()) << left.status();
  EXPECT_THAT(Keys(*left), UnorderedElementsAre("now", "live", "forever"));
  EXPECT_EQ(store->Find("n", "forever")->value().expire_on, absl::InfiniteFuture());
  EXPECT_EQ(*store->CleanByExpiry(now), 0);
}

TEST_P(SqlStoreTest, PayloadWithQuotesNewlinesAndUnicodeRoundTrips) {
  std::unique_ptr<FailoverStore> store = NewStore(Unique("PAY"));
  const std::string payload =
      "{\"q\":\"it's \\\"quoted\\\"\",\n\"sql\":\"'); DROP TABLE FAILOVER_STORE; --\",\r\n"
      "\"t\":\"\tback\\\\slash\",\"u\":\"Zürich ✓ 東京 😀\"}";
  FailoverStoreEntry entry = Entry("naméspace ✓", "ké'y\"", payload, BaseTime());
  entry.payload_type = "acme.Quote<'\">";
  ASSERT_TRUE(store->Store(entry).ok());
  absl::StatusOr<std::optional<FailoverStoreEntry>> found = store->Find(entry.name, entry.key);
  ASSERT_TRUE(found.ok() && found->has_value()) << found.status();
  EXPECT_EQ(**found, entry);
  absl::StatusOr<std::vector<FailoverStoreEntry>> all = store->FindAll(entry.name);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(*all, ElementsAre(entry));
}

TEST_P(SqlStoreTest, BadNamesAndKeysAreInvalidArguments) {
  std::unique_ptr<FailoverStore> store = NewStore(Unique("BAD"));
  absl::Status empty = store->Store(Entry("", "k", "p", BaseTime()));
  EXPECT_EQ(empty.code(), absl::StatusCode::kInvalidArgument) << empty;
  EXPECT_THAT(empty.message(), HasSubstr("FAILOVER_NAME"));
  absl::Status long_key = store->Store(Entry("n", std::string(257, 'k'), "p", BaseTime()));
  EXPECT_EQ(long_key.code(), absl::StatusCode::kInvalidArgument) << long_key;
  EXPECT_THAT(long_key.message(), HasSubstr("FAILOVER_KEY"));
  // 256 characters of two bytes each still fit VARCHAR(256).
  std::string wide;
  for (int i = 0; i < 256; ++i) wide += "é";
  EXPECT_TRUE(store->Store(Entry("n", wide, "p", BaseTime())).ok());
  EXPECT_EQ(store->Find("n", wide)->value().key, wide);
}

TEST_P(SqlStoreTest, ConcurrentStoresAndFindsFromEightThreads) {
  const std::string prefix = Unique("CONC");
  std::unique_ptr<FailoverStore> store = NewStore(prefix);
  std::vector<std::thread> threads;
  std::vector<int> failures(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string key = absl::StrCat("t", t, "-", i);
        if (!store->Store(Entry("n", key, key, BaseTime())).ok()) ++failures[t];
        absl::StatusOr<std::optional<FailoverStoreEntry>> found = store->Find("n", key);
        if (!found.ok() || !found->has_value() || (*found)->payload != key) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(failures, ::testing::Each(0));
  EXPECT_EQ(CountRows(prefix), 200);
}

INSTANTIATE_TEST_SUITE_P(Dialects, SqlStoreTest,
                         ::testing::Values(SqlDialect::kSqlite, SqlDialect::kPostgres),
                         DialectName);

}  // namespace
}  // namespace failover
