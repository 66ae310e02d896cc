#include "store-jdbc/sql/sql_store_test_fixture.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "store-jdbc/sql/testing/postgres_server.h"

namespace failover {
namespace {

// One server for the whole test binary; stopped at exit.
PostgresServer* SharedPostgres() {
  static PostgresServer* const server = [] {
    absl::StatusOr<std::unique_ptr<PostgresServer>> started = PostgresServer::Start();
    if (!started.ok()) {
      ADD_FAILURE() << "cannot start PostgreSQL: " << started.status();
      return static_cast<PostgresServer*>(nullptr);
    }
    return started->release();
  }();
  static const struct Stopper {
    ~Stopper() { delete server; }
  } stopper;
  return server;
}

}  // namespace

void SqlStoreTest::SetUp() {
  if (dialect() == SqlDialect::kSqlite) {
    const testing::TestInfo* test = testing::UnitTest::GetInstance()->current_test_info();
    const char* tmp = std::getenv("TEST_TMPDIR");
    sqlite_path_ = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/",
                                absl::StrReplaceAll(test->name(), {{"/", "_"}}), ".db");
    std::filesystem::remove(sqlite_path_);
    url_ = absl::StrCat("sqlite://", sqlite_path_);
  } else {
    PostgresServer* server = SharedPostgres();
    ASSERT_NE(server, nullptr);
    url_ = server->url();
  }
  absl::StatusOr<std::shared_ptr<SqlDatabase>> db = OpenSqlDatabase(url_);
  ASSERT_TRUE(db.ok()) << db.status();
  db_ = *db;
}

std::shared_ptr<SqlDatabase> SqlStoreTest::OpenAnother() const {
  absl::StatusOr<std::shared_ptr<SqlDatabase>> db = OpenSqlDatabase(url_);
  EXPECT_TRUE(db.ok()) << db.status();
  return db.ok() ? *db : nullptr;
}

std::unique_ptr<FailoverStore> SqlStoreTest::NewStore(const SqlTableOptions& options) {
  absl::StatusOr<std::unique_ptr<FailoverStore>> store = NewSqlFailoverStore(db_, options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? std::move(*store) : nullptr;
}

std::string SqlStoreTest::Unique(absl::string_view base, bool with_underscore) {
  static std::atomic<int> next{0};
  return absl::StrCat(base, next.fetch_add(1), with_underscore ? "_" : "");
}

std::string SqlStoreTest::TableSql(absl::string_view prefix, absl::string_view schema) const {
  std::string table = absl::StrCat(prefix, "FAILOVER_STORE");
  if (dialect() == SqlDialect::kPostgres) table = absl::AsciiStrToLower(table);
  return absl::StrCat(schema.empty() ? "" : absl::StrCat("\"", schema, "\"."), "\"", table, "\"");
}

int64_t SqlStoreTest::CountRows(absl::string_view prefix, absl::string_view schema) const {
  absl::StatusOr<SqlRows> rows =
      QueryRows(*db_, absl::StrCat("SELECT COUNT(*) FROM ", TableSql(prefix, schema)));
  EXPECT_TRUE(rows.ok()) << rows.status();
  if (!rows.ok() || rows->size() != 1 || !(*rows)[0][0].has_value()) return -1;
  return std::strtoll((*rows)[0][0]->c_str(), nullptr, 10);
}

FailoverStoreEntry SqlStoreTest::Entry(absl::string_view name, absl::string_view key,
                                       absl::string_view payload, absl::Time expire_on) {
  return FailoverStoreEntry{std::string(name), std::string(key),     BaseTime(),
                            expire_on,         std::string(payload), "acme.Quote"};
}

absl::Time SqlStoreTest::BaseTime() {
  return absl::FromCivil(absl::CivilSecond(2026, 12, 3, 7, 39, 39), absl::UTCTimeZone()) +
         absl::Microseconds(123456);
}

std::string DialectName(const testing::TestParamInfo<SqlDialect>& info) {
  return info.param == SqlDialect::kSqlite ? "Sqlite" : "Postgres";
}

}  // namespace failover
