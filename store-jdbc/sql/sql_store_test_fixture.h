// SqlStoreTest: a value-parameterized fixture running the SQL store tests once per dialect -
// SQLite (a fresh file per test in TEST_TMPDIR) and PostgreSQL (one server per test binary,
// started by the testing helper; each test uses fresh table prefixes and schemas). Not
// thread-safe; tests call it from their main thread.
//
//   TEST_P(SqlStoreTest, Something) {
//     std::unique_ptr<FailoverStore> store = NewStore(Unique("T"));
//     ...
//   }
#ifndef FAILOVER_STORE_JDBC_SQL_SQL_STORE_TEST_FIXTURE_H_
#define FAILOVER_STORE_JDBC_SQL_SQL_STORE_TEST_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "store-jdbc/failover_store.h"
#include "store-jdbc/sql/internal/sql_database.h"
#include "store-jdbc/sql/sql_store.h"

namespace failover {

class SqlStoreTest : public testing::TestWithParam<SqlDialect> {
 protected:
  void SetUp() override;

  SqlDialect dialect() const { return GetParam(); }
  // The URL of this test's database.
  const std::string& url() const { return url_; }
  // The database of this test, opened once.
  std::shared_ptr<SqlDatabase> db() const { return db_; }
  // A fresh database handle on the same database.
  std::shared_ptr<SqlDatabase> OpenAnother() const;
  // NewSqlFailoverStore on db(), asserting success.
  std::unique_ptr<FailoverStore> NewStore(const SqlTableOptions& options);
  std::unique_ptr<FailoverStore> NewStore(absl::string_view prefix, absl::string_view schema = "") {
    return NewStore(SqlTableOptions{std::string(prefix), std::string(schema)});
  }
  // `base` plus a number unique in this process, e.g. "T" -> "T7_" (with_underscore) or "T7".
  static std::string Unique(absl::string_view base, bool with_underscore = true);
  // The quoted, qualified SQL name of a store's table, as the store spells it.
  std::string TableSql(absl::string_view prefix, absl::string_view schema = "") const;
  // SELECT COUNT(*) FROM the table.
  int64_t CountRows(absl::string_view prefix, absl::string_view schema = "") const;
  // Path of the SQLite main database file ("" for PostgreSQL).
  const std::string& sqlite_path() const { return sqlite_path_; }

  static FailoverStoreEntry Entry(absl::string_view name, absl::string_view key,
                                  absl::string_view payload, absl::Time expire_on);
  static absl::Time BaseTime();  // 2026-12-03 07:39:39.123456 UTC

 private:
  std::string url_;
  std::string sqlite_path_;
  std::shared_ptr<SqlDatabase> db_;
};

std::string DialectName(const testing::TestParamInfo<SqlDialect>& info);

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SQL_SQL_STORE_TEST_FIXTURE_H_
