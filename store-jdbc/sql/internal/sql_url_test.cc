#include "store-jdbc/sql/internal/sql_url.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

TEST(SqlUrlTest, SqlitePaths) {
  EXPECT_EQ(ParseSqlUrl("sqlite://failover-store.db")->sqlite_path, "failover-store.db");
  EXPECT_EQ(ParseSqlUrl("sqlite:///var/lib/app/store.db")->sqlite_path, "/var/lib/app/store.db");
  EXPECT_EQ(ParseSqlUrl("sqlite://:memory:")->sqlite_path, ":memory:");
  EXPECT_EQ(ParseSqlUrl("SQLITE://x.db")->dialect, SqlDialect::kSqlite);
}

TEST(SqlUrlTest, PostgresPartsBecomeLibpqKeywords) {
  absl::StatusOr<SqlUrl> url =
      ParseSqlUrl("postgresql://app%40corp:p%3Ass%2Fw@db.example:6543/fail%20over?sslmode=require");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->dialect, SqlDialect::kPostgres);
  EXPECT_THAT(url->postgres_params, Contains(Pair("user", "app@corp")));
  EXPECT_THAT(url->postgres_params, Contains(Pair("password", "p:ss/w")));
  EXPECT_THAT(url->postgres_params, Contains(Pair("host", "db.example")));
  EXPECT_THAT(url->postgres_params, Contains(Pair("port", "6543")));
  EXPECT_THAT(url->postgres_params, Contains(Pair("dbname", "fail over")));
  EXPECT_THAT(url->postgres_params, Contains(Pair("sslmode", "require")));
  EXPECT_THAT(url->postgres_params, Contains(Pair("connect_timeout", "10")));
  EXPECT_THAT(url->postgres_params, Contains(Pair("client_encoding", "UTF8")));
  EXPECT_EQ(url->display,
            "postgresql://app%40corp:****@db.example:6543/fail%20over?sslmode=require");
}

TEST(SqlUrlTest, PostgresAliasIpv6AndExplicitTimeout) {
  absl::StatusOr<SqlUrl> url = ParseSqlUrl("postgres://[::1]:5432/db?connect_timeout=3");
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_THAT(url->postgres_params, Contains(Pair("host", "::1")));
  EXPECT_THAT(url->postgres_params, Contains(Pair("connect_timeout", "3")));
  EXPECT_THAT(url->postgres_params, Not(Contains(Pair("connect_timeout", "10"))));
}

TEST(SqlUrlTest, MasksPasswordsInUserinfoAndQuery) {
  EXPECT_EQ(MaskSqlUrl("postgresql://u:secret@h/db?password=other&sslmode=disable"),
            "postgresql://u:****@h/db?password=****&sslmode=disable");
  EXPECT_EQ(MaskSqlUrl("sqlite://x.db"), "sqlite://x.db");
}

TEST(SqlUrlTest, BadUrlsNameThePropertyAndHideThePassword) {
  for (const char* text :
       {"mysql://u:secret@h/db", "failover-store.db", "sqlite://", "postgresql://u:secret@h:0/db",
        "postgresql://u:secret@h:99999/db", "postgresql://u:secret@h:port/db",
        "postgresql://u:secret@h/d%zzb", "postgresql://u:secret@[::1/db",
        "postgresql://u:secret@h/db?sslmode", "postgresql://u:secret@h/db/x"}) {
    absl::StatusOr<SqlUrl> url = ParseSqlUrl(text);
    EXPECT_EQ(url.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(url.status().message(),
                AllOf(HasSubstr("failover.store.jdbc.url"), Not(HasSubstr("secret"))))
        << text;
  }
}

}  // namespace
}  // namespace failover
