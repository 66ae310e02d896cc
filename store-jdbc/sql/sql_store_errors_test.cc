// How the SQL store fails: bad URLs, unreachable or stopped PostgreSQL, dropped connections,
// SQLite paths and locks.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store-jdbc/sql/internal/sql_database.h"
#include "store-jdbc/sql/sql_store.h"
#include "store-jdbc/sql/testing/postgres_server.h"

namespace failover {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

FailoverStoreEntry Entry(absl::string_view key) {
  const absl::Time now = absl::FromUnixSeconds(1764747579);
  return FailoverStoreEntry{"quotes", std::string(key), now, now + absl::Hours(1), "{}", "acme.Q"};
}

std::unique_ptr<FailoverStore> OpenStore(absl::string_view url, std::shared_ptr<SqlDatabase>* db) {
  absl::StatusOr<std::shared_ptr<SqlDatabase>> opened = OpenSqlDatabase(url);
  EXPECT_TRUE(opened.ok()) << opened.status();
  if (!opened.ok()) return nullptr;
  if (db != nullptr) *db = *opened;
  absl::StatusOr<std::unique_ptr<FailoverStore>> store =
      NewSqlFailoverStore(*opened, SqlTableOptions{"ERR_", ""});
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? std::move(*store) : nullptr;
}

TEST(SqlStoreErrorsTest, BadUrlsAreInvalidArgumentsNamingTheProperty) {
  for (const char* url : {"mysql://app:secret@db/failover", "failover-store.db", "sqlite://",
                          "postgresql://app:secret@db:70000/failover"}) {
    absl::StatusOr<std::shared_ptr<SqlDatabase>> db = OpenSqlDatabase(url);
    EXPECT_EQ(db.status().code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_THAT(db.status().message(),
                AllOf(HasSubstr("failover.store.jdbc.url"), Not(HasSubstr("secret"))));
  }
}

TEST(SqlStoreErrorsTest, NullDatabaseIsInvalid) {
  EXPECT_EQ(NewSqlFailoverStore(nullptr, {}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(SqlStoreErrorsTest, PostgresDownIsUnavailableWithThePasswordMasked) {
  absl::StatusOr<std::unique_ptr<PostgresServer>> server = PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  std::shared_ptr<SqlDatabase> db;
  std::unique_ptr<FailoverStore> store = OpenStore((*server)->url(), &db);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Store(Entry("k1")).ok());
  (*server)->Stop();

  const std::string password = (*server)->password();
  absl::Status stored = store->Store(Entry("k2"));
  EXPECT_EQ(stored.code(), absl::StatusCode::kUnavailable) << stored;
  EXPECT_THAT(stored.message(),
              AllOf(HasSubstr("****"), HasSubstr("('quotes', 'k2')"), Not(HasSubstr(password))));
  absl::StatusOr<std::optional<FailoverStoreEntry>> found = store->Find("quotes", "k1");
  EXPECT_EQ(found.status().code(), absl::StatusCode::kUnavailable) << found.status();

  absl::StatusOr<std::shared_ptr<SqlDatabase>> reopened = OpenSqlDatabase((*server)->url());
  EXPECT_EQ(reopened.status().code(), absl::StatusCode::kUnavailable) << reopened.status();
  EXPECT_THAT(reopened.status().message(),
              AllOf(HasSubstr("postgres:****@127.0.0.1"), Not(HasSubstr(password))));
}

TEST(SqlStoreErrorsTest, PostgresReconnectsAfterItsConnectionsAreTerminated) {
  absl::StatusOr<std::unique_ptr<PostgresServer>> server = PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  std::unique_ptr<FailoverStore> store = OpenStore((*server)->url(), nullptr);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Store(Entry("k1")).ok());

  absl::StatusOr<std::shared_ptr<SqlDatabase>> admin = OpenSqlDatabase((*server)->url());
  ASSERT_TRUE(admin.ok()) << admin.status();
  absl::StatusOr<SqlRows> killed = QueryRows(
      **admin,
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
      "AND pid <> pg_backend_pid()");
  ASSERT_TRUE(killed.ok()) << killed.status();
  ASSERT_FALSE(killed->empty());

  absl::StatusOr<std::optional<FailoverStoreEntry>> found = store->Find("quotes", "k1");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_TRUE(found->has_value());
}

TEST(SqlStoreErrorsTest, PostgresWrongPasswordIsUnavailableAndMasked) {
  absl::StatusOr<std::unique_ptr<PostgresServer>> server = PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string url =
      absl::StrCat("postgresql://postgres:not-the-password@127.0.0.1:", (*server)->port(), "/x");
  absl::StatusOr<std::shared_ptr<SqlDatabase>> db = OpenSqlDatabase(url);
  EXPECT_EQ(db.status().code(), absl::StatusCode::kUnavailable) << db.status();
  EXPECT_THAT(db.status().message(), AllOf(HasSubstr("password authentication failed"),
                                           Not(HasSubstr("not-the-password"))));
}

TEST(SqlStoreErrorsTest, SqliteRelativePathIsUnderTheWorkingDirectory) {
  const std::filesystem::path dir = std::filesystem::path(TempDir()) / "relative";
  std::filesystem::create_directories(dir);
  const std::filesystem::path previous = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  std::unique_ptr<FailoverStore> store = OpenStore("sqlite://failover-store.db", nullptr);
  std::filesystem::current_path(previous);
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->Store(Entry("k1")).ok());
  EXPECT_TRUE(std::filesystem::exists(dir / "failover-store.db"));
}

TEST(SqlStoreErrorsTest, SqliteInMemoryDatabaseIsSharedByItsStores) {
  std::shared_ptr<SqlDatabase> db;
  std::unique_ptr<FailoverStore> first = OpenStore("sqlite://:memory:", &db);
  ASSERT_NE(first, nullptr);
  ASSERT_TRUE(first->Store(Entry("k1")).ok());
  absl::StatusOr<std::unique_ptr<FailoverStore>> second =
      NewSqlFailoverStore(db, SqlTableOptions{"ERR_", ""});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE((*second)->Find("quotes", "k1")->has_value());
  absl::StatusOr<std::unique_ptr<FailoverStore>> tenant =
      NewSqlFailoverStore(db, SqlTableOptions{"ERR_", "tenant1"});
  ASSERT_TRUE(tenant.ok()) << tenant.status();
  EXPECT_FALSE((*tenant)->Find("quotes", "k1")->has_value());
}

TEST(SqlStoreErrorsTest, SqliteUnopenableFileIsUnavailable) {
  absl::StatusOr<std::shared_ptr<SqlDatabase>> db =
      OpenSqlDatabase("sqlite:///nonexistent-failover-dir/store.db");
  EXPECT_EQ(db.status().code(), absl::StatusCode::kUnavailable) << db.status();
  EXPECT_THAT(db.status().message(), HasSubstr("/nonexistent-failover-dir/store.db"));
}

TEST(SqlStoreErrorsTest, SqliteLockedDatabaseIsUnavailableAfterTheBusyTimeout) {
  const std::string url = absl::StrCat("sqlite://", TempDir(), "/locked.db");
  std::unique_ptr<FailoverStore> store = OpenStore(url, nullptr);
  ASSERT_NE(store, nullptr);
  absl::StatusOr<std::shared_ptr<SqlDatabase>> other = OpenSqlDatabase(url);
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE(QueryRows(**other, "BEGIN EXCLUSIVE").ok());
  absl::Status stored = store->Store(Entry("k1"));
  EXPECT_EQ(stored.code(), absl::StatusCode::kUnavailable) << stored;
  EXPECT_THAT(stored.message(), HasSubstr("locked"));
  ASSERT_TRUE(QueryRows(**other, "COMMIT").ok());
  EXPECT_TRUE(store->Store(Entry("k1")).ok());
}

}  // namespace
}  // namespace failover
