#include "store-jdbc/sql/internal/sql_statements.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

using ::testing::HasSubstr;

TEST(SqlStatementsTest, SqliteQuotesNamesAsGiven) {
  absl::StatusOr<SqlStatements> sql = BuildSqlStatements(SqlDialect::kSqlite, "MYAPP_", "");
  ASSERT_TRUE(sql.ok()) << sql.status();
  EXPECT_EQ(sql->table, "\"MYAPP_FAILOVER_STORE\"");
  EXPECT_EQ(sql->schema, "");
  EXPECT_THAT(sql->create_table, HasSubstr("CREATE TABLE IF NOT EXISTS \"MYAPP_FAILOVER_STORE\""));
  EXPECT_EQ(sql->create_index,
            "CREATE INDEX IF NOT EXISTS \"MYAPP_FAILOVER_STORE_EXPIRE_ON_IDX\" ON "
            "\"MYAPP_FAILOVER_STORE\" (EXPIRE_ON)");
  EXPECT_EQ(sql->clean_expired, "DELETE FROM \"MYAPP_FAILOVER_STORE\" WHERE EXPIRE_ON < ?1");
  EXPECT_THAT(sql->upsert, HasSubstr("VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT "
                                     "(FAILOVER_NAME, FAILOVER_KEY) DO UPDATE SET"));
}

TEST(SqlStatementsTest, PostgresFoldsPrefixNamesLikeUnquotedJavaNames) {
  absl::StatusOr<SqlStatements> sql = BuildSqlStatements(SqlDialect::kPostgres, "app.MyApp_", "");
  ASSERT_TRUE(sql.ok()) << sql.status();
  EXPECT_EQ(sql->schema, "app");
  EXPECT_EQ(sql->table, "\"app\".\"myapp_failover_store\"");
  EXPECT_EQ(sql->display_table, "app.MyApp_FAILOVER_STORE");
  EXPECT_EQ(sql->create_index,
            "CREATE INDEX IF NOT EXISTS \"myapp_failover_store_expire_on_idx\" ON "
            "\"app\".\"myapp_failover_store\" (EXPIRE_ON)");
  EXPECT_THAT(sql->find, HasSubstr("WHERE FAILOVER_NAME = $1 AND FAILOVER_KEY = $2"));
}

TEST(SqlStatementsTest, TenantSchemaKeepsItsCase) {
  absl::StatusOr<SqlStatements> sql = BuildSqlStatements(SqlDialect::kPostgres, "", "Tenant_A");
  ASSERT_TRUE(sql.ok()) << sql.status();
  EXPECT_EQ(sql->schema, "Tenant_A");
  EXPECT_EQ(sql->table, "\"Tenant_A\".\"failover_store\"");
  absl::StatusOr<SqlStatements> sqlite = BuildSqlStatements(SqlDialect::kSqlite, "X_", "t1");
  ASSERT_TRUE(sqlite.ok()) << sqlite.status();
  EXPECT_EQ(sqlite->create_index,
            "CREATE INDEX IF NOT EXISTS \"t1\".\"X_FAILOVER_STORE_EXPIRE_ON_IDX\" ON "
            "\"X_FAILOVER_STORE\" (EXPIRE_ON)");
}

TEST(SqlStatementsTest, AcceptsReferencePrefixes) {
  for (const char* prefix : {"", "MYAPP_", "app.", "app.MYAPP_", "a_1.B2_", "123"}) {
    EXPECT_TRUE(ValidateTablePrefix(prefix).ok()) << prefix;
  }
}

TEST(SqlStatementsTest, RejectsInjectionInPrefixes) {
  for (const char* prefix : {"X; DROP TABLE y; --", "a\"b", "a b", "a.b;", "'", ".X_", "a..b",
                             "a.b.c", "--", "é_", "X_\n"}) {
    absl::StatusOr<SqlStatements> sql = BuildSqlStatements(SqlDialect::kSqlite, prefix, "");
    EXPECT_EQ(sql.status().code(), absl::StatusCode::kInvalidArgument) << prefix;
    EXPECT_THAT(sql.status().message(), HasSubstr("failover.store.jdbc.table-prefix"));
    EXPECT_THAT(sql.status().message(), HasSubstr(absl::StrCat("'", prefix, "'")));
  }
}

TEST(SqlStatementsTest, RejectsInjectionInSchemas) {
  for (const char* schema : {"X; DROP TABLE y; --", "a\"b", "a b", "a.b;", "'", "a.b", "é"}) {
    absl::StatusOr<SqlStatements> sql = BuildSqlStatements(SqlDialect::kPostgres, "", schema);
    EXPECT_EQ(sql.status().code(), absl::StatusCode::kInvalidArgument) << schema;
    EXPECT_THAT(sql.status().message(), HasSubstr("schema"));
    EXPECT_THAT(sql.status().message(), HasSubstr(absl::StrCat("'", schema, "'")));
  }
}

TEST(SqlStatementsTest, SchemaAndQualifiedPrefixExcludeEachOther) {
  absl::StatusOr<SqlStatements> sql = BuildSqlStatements(SqlDialect::kSqlite, "app.X_", "t1");
  EXPECT_EQ(sql.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(sql.status().message(), HasSubstr("t1"));
}

}  // namespace
}  // namespace failover
