// The SQL store's table layout, naming, tenant separation and concurrent creation, against
// SQLite and a real PostgreSQL.
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "core/sync.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store-jdbc/sql/sql_store_test_fixture.h"

namespace failover {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using Row = std::vector<std::optional<std::string>>;

SqlRows Query(SqlDatabase& db, absl::string_view sql, std::vector<std::string> params = {}) {
  std::vector<SqlValue> values(params.begin(), params.end());
  absl::StatusOr<SqlRows> rows = QueryRows(db, sql, values);
  EXPECT_TRUE(rows.ok()) << rows.status() << " for " << sql;
  return rows.ok() ? *rows : SqlRows();
}

Row R(std::vector<std::string> columns) { return Row(columns.begin(), columns.end()); }

// (name, type, not null, primary key position) of each column, SQLite.
SqlRows SqliteColumns(SqlDatabase& db, absl::string_view schema, absl::string_view table) {
  return Query(db,
               absl::StrCat("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1, ?2) "
                            "ORDER BY cid"),
               {std::string(table), std::string(schema.empty() ? "main" : schema)});
}

// (name, type, length, nullable, primary key position) of each column, PostgreSQL.
SqlRows PostgresColumns(SqlDatabase& db, absl::string_view schema, absl::string_view table) {
  return Query(
      db,
      "SELECT c.column_name, c.data_type, COALESCE(c.character_maximum_length::text, ''), "
      "c.is_nullable, COALESCE(k.ordinal_position::text, '') "
      "FROM information_schema.columns c LEFT JOIN ("
      "  SELECT u.column_name, u.ordinal_position FROM information_schema.table_constraints t "
      "  JOIN information_schema.key_column_usage u ON u.constraint_name = t.constraint_name "
      "   AND u.table_schema = t.table_schema AND u.table_name = t.table_name "
      "  WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = $1 AND t.table_name = $2"
      ") k ON k.column_name = c.column_name "
      "WHERE c.table_schema = $1 AND c.table_name = $2 ORDER BY c.ordinal_position",
      {std::string(schema), std::string(table)});
}

TEST_P(SqlStoreTest, TableHasTheReferenceColumnsKeyAndIndex) {
  const std::string prefix = Unique("SCH");
  ASSERT_NE(NewStore(prefix), nullptr);
  const std::string table = absl::StrCat(prefix, "FAILOVER_STORE");
  if (dialect() == SqlDialect::kSqlite) {
    EXPECT_THAT(
        SqliteColumns(*db(), "", table),
        ElementsAre(R({"FAILOVER_NAME", "VARCHAR(256)", "1", "1"}),
                    R({"FAILOVER_KEY", "VARCHAR(256)", "1", "2"}),
                    R({"AS_OF", "TIMESTAMP", "1", "0"}), R({"EXPIRE_ON", "TIMESTAMP", "1", "0"}),
                    R({"PAYLOAD", "TEXT", "0", "0"}),
                    R({"PAYLOAD_CLASS", "VARCHAR(256)", "0", "0"})));
    EXPECT_THAT(Query(*db(), "SELECT name FROM pragma_index_info(?1)",
                      {absl::StrCat(table, "_EXPIRE_ON_IDX")}),
                ElementsAre(R({"EXPIRE_ON"})));
    return;
  }
  const std::string lower = absl::AsciiStrToLower(table);
  EXPECT_THAT(PostgresColumns(*db(), "public", lower),
              ElementsAre(R({"failover_name", "character varying", "256", "NO", "1"}),
                          R({"failover_key", "character varying", "256", "NO", "2"}),
                          R({"as_of", "timestamp without time zone", "", "NO", ""}),
                          R({"expire_on", "timestamp without time zone", "", "NO", ""}),
                          R({"payload", "text", "", "YES", ""}),
                          R({"payload_class", "character varying", "256", "YES", ""})));
  SqlRows index = Query(*db(),
                        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND "
                        "tablename = $1 AND indexname = $2",
                        {lower, absl::StrCat(lower, "_expire_on_idx")});
  ASSERT_EQ(index.size(), 1u);
  EXPECT_THAT(index[0][0].value_or(""), HasSubstr("(expire_on)"));
}

TEST_P(SqlStoreTest, PrefixNamesTheTable) {
  const std::string prefix = Unique("MYAPP");
  std::unique_ptr<FailoverStore> store = NewStore(prefix);
  ASSERT_TRUE(store->Store(Entry("n", "k", "p", BaseTime())).ok());
  EXPECT_EQ(CountRows(prefix), 1);
  const std::string table = absl::StrCat(prefix, "FAILOVER_STORE");
  if (dialect() == SqlDialect::kSqlite) {
    EXPECT_THAT(Query(*db(), "SELECT name FROM sqlite_master WHERE type = 'table'"),
                ElementsAre(R({table})));
  } else {
    // Folded to lower case, as PostgreSQL does with the unquoted name a Java peer uses.
    EXPECT_THAT(Query(*db(),
                      "SELECT table_name FROM information_schema.tables WHERE "
                      "lower(table_name) = lower($1)",
                      {table}),
                ElementsAre(R({absl::AsciiStrToLower(table)})));
  }
}

TEST_P(SqlStoreTest, QualifiedPrefixNamesTheSchema) {
  const std::string schema = Unique("app", false);
  const std::string prefix = Unique("MYAPP");
  std::unique_ptr<FailoverStore> store = NewStore(absl::StrCat(schema, ".", prefix));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Store(Entry("n", "k", "p", BaseTime())).ok());
  EXPECT_EQ(CountRows(prefix, schema), 1);
  if (dialect() == SqlDialect::kSqlite) {
    const std::filesystem::path main(sqlite_path());
    EXPECT_TRUE(std::filesystem::exists(main.parent_path() /
                                        absl::StrCat(main.stem().string(), ".", schema, ".db")));
  } else {
    EXPECT_THAT(
        Query(*db(), "SELECT table_schema FROM information_schema.tables WHERE table_name = $1",
              {absl::AsciiStrToLower(absl::StrCat(prefix, "FAILOVER_STORE"))}),
        ElementsAre(R({schema})));
  }
}

TEST_P(SqlStoreTest, InjectionInPrefixesAndSchemasIsRejected) {
  std::unique_ptr<FailoverStore> store = NewStore("");
  ASSERT_TRUE(store->Store(Entry("n", "k", "p", BaseTime())).ok());
  for (const char* bad : {"X; DROP TABLE FAILOVER_STORE; --", "a\"b", "a b", "a.b;", "'"}) {
    absl::StatusOr<std::unique_ptr<FailoverStore>> by_prefix =
        NewSqlFailoverStore(db(), SqlTableOptions{bad, ""});
    EXPECT_EQ(by_prefix.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(by_prefix.status().message(), HasSubstr("failover.store.jdbc.table-prefix"));
    EXPECT_THAT(by_prefix.status().message(), HasSubstr(bad));
    absl::StatusOr<std::unique_ptr<FailoverStore>> by_schema =
        NewSqlFailoverStore(db(), SqlTableOptions{"", bad});
    EXPECT_EQ(by_schema.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(by_schema.status().message(), HasSubstr(bad));
  }
  EXPECT_EQ(CountRows(""), 1) << "the existing table is untouched";
}

TEST_P(SqlStoreTest, TenantsDoNotSeeEachOthersRows) {
  const std::string tenant_a = Unique("tenant_a", false), tenant_b = Unique("tenant_b", false);
  const std::string acme = Unique("ACME");
  std::unique_ptr<FailoverStore> shared = NewStore("");
  std::unique_ptr<FailoverStore> a = NewStore("", tenant_a);
  std::unique_ptr<FailoverStore> b = NewStore("", tenant_b);
  std::unique_ptr<FailoverStore> by_prefix = NewStore(acme);
  ASSERT_TRUE(shared && a && b && by_prefix);
  const std::vector<std::pair<FailoverStore*, std::string>> stores = {
      {shared.get(), "shared"}, {a.get(), "a"}, {b.get(), "b"}, {by_prefix.get(), "acme"}};
  for (const auto& [store, payload] : stores) {
    ASSERT_TRUE(store->Store(Entry("quotes", "k1", payload, BaseTime())).ok()) << payload;
  }
  ASSERT_TRUE(a->Store(Entry("quotes", "only-a", "a", BaseTime())).ok());
  for (const auto& [store, payload] : stores) {
    absl::StatusOr<std::optional<FailoverStoreEntry>> found = store->Find("quotes", "k1");
    ASSERT_TRUE(found.ok() && found->has_value()) << found.status();
    EXPECT_EQ((*found)->payload, payload);
    EXPECT_EQ(store->FindAll("quotes")->size(), store == a.get() ? 2u : 1u) << payload;
  }
  EXPECT_EQ(*b->CleanByExpiry(absl::InfiniteFuture()), 1);
  EXPECT_TRUE(a->Find("quotes", "k1")->has_value());
  if (dialect() == SqlDialect::kSqlite) {
    const std::filesystem::path main(sqlite_path());
    for (const std::string& tenant : {tenant_a, tenant_b}) {
      EXPECT_TRUE(std::filesystem::exists(main.parent_path() /
                                          absl::StrCat(main.stem().string(), ".", tenant, ".db")))
          << tenant;
    }
  }
}

TEST_P(SqlStoreTest, ConcurrentCreationFromEightThreadsAndTwoDatabases) {
  const std::string prefix = Unique("RACE");
  const std::string schema = Unique("race", false);
  std::shared_ptr<SqlDatabase> other = OpenAnother();
  ASSERT_NE(other, nullptr);
  Notification go;
  std::vector<absl::Status> results(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      go.WaitForNotification();
      // Half on each database handle; half use a tenant schema created in the same race.
      absl::StatusOr<std::unique_ptr<FailoverStore>> store = NewSqlFailoverStore(
          t % 2 == 0 ? db() : other, SqlTableOptions{prefix, t < 4 ? "" : schema});
      results[t] = store.ok() ? (*store)->Store(Entry("n", absl::StrCat("k", t), "p", BaseTime()))
                              : store.status();
    });
  }
  go.Notify();
  for (std::thread& thread : threads) thread.join();
  for (const absl::Status& result : results) EXPECT_TRUE(result.ok()) << result;
  EXPECT_EQ(CountRows(prefix), 4);
  EXPECT_EQ(CountRows(prefix, schema), 4);
}

INSTANTIATE_TEST_SUITE_P(Dialects, SqlStoreTest,
                         ::testing::Values(SqlDialect::kSqlite, SqlDialect::kPostgres),
                         DialectName);

}  // namespace
}  // namespace failover
