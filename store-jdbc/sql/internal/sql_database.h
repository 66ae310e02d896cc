// SqlDatabase: the small SQL interface the SQL failover store runs on, with one adapter per
// dialect (sqlite_database.cc, postgres_database.cc - the only files that include the client
// libraries' headers). Statements take text / int64 / NULL parameters and produce rows of text /
// NULL columns; third-party error codes are mapped to absl codes by the adapters.
//
// Thread-safety: every implementation is safe for concurrent use (SQLite: one connection behind
// a mutex; PostgreSQL: a small pool of connections). Row callbacks run while the adapter holds a
// connection, so they must not call back into the database.
//
//   std::shared_ptr<SqlDatabase> db = ...;
//   absl::StatusOr<SqlStatementId> find = db->Prepare("SELECT PAYLOAD FROM T WHERE K = ?1");
//   absl::StatusOr<int64_t> changed = db->Execute(*find, {SqlValue("k1")}, [&](SqlRowView row) {
//     payload = row[0].value_or("");
//   });
#ifndef FAILOVER_STORE_JDBC_SQL_INTERNAL_SQL_DATABASE_H_
#define FAILOVER_STORE_JDBC_SQL_INTERNAL_SQL_DATABASE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace failover {

enum class SqlDialect {
  kSqlite,
  kPostgres,
};

// A statement parameter: NULL, text (not copied; must outlive the call) or a 64-bit integer.
using SqlValue = std::variant<std::nullptr_t, absl::string_view, int64_t>;

// One result row; column i is nullopt for SQL NULL. The views are valid only during the callback.
using SqlRowView = absl::Span<const std::optional<absl::string_view>>;
using SqlRowCallback = absl::FunctionRef<void(SqlRowView)>;

// Handle of a statement registered with Prepare(); valid for the database's lifetime.
using SqlStatementId = int;

// An open database. See the file comment for the contract and thread-safety.
class SqlDatabase {
 public:
  virtual ~SqlDatabase() = default;

  virtual SqlDialect dialect() const = 0;
  // The URL the database was opened with, password masked: for error messages.
  virtual const std::string& display_url() const = 0;

  // Registers `sql` (placeholders: ?1.. in SQLite, $1.. in PostgreSQL) for repeated execution.
  virtual absl::StatusOr<SqlStatementId> Prepare(absl::string_view sql) = 0;
  // Runs a prepared statement, calling `on_row` for each result row. Returns the number of rows
  // the statement inserted, updated or deleted (0 for queries).
  virtual absl::StatusOr<int64_t> Execute(SqlStatementId statement,
                                          absl::Span<const SqlValue> params,
                                          SqlRowCallback on_row) = 0;
  // As Execute() for a statement run once (catalog checks, tests).
  virtual absl::StatusOr<int64_t> ExecuteOnce(absl::string_view sql,
                                              absl::Span<const SqlValue> params,
                                              SqlRowCallback on_row) = 0;
  // Runs an idempotent `CREATE ... IF NOT EXISTS` statement. Losing a creation race against
  // another connection or process counts as success.
  virtual absl::Status ExecuteDdl(absl::string_view sql) = 0;
  // Makes `schema` (already validated: [A-Za-z0-9_]+) usable in qualified names `"schema".T`.
  // SQLite: attaches <dir of main db>/<main stem>.<schema>.db once (main and temp need nothing);
  // PostgreSQL: creates the schema if it is missing.
  virtual absl::Status EnsureSchema(absl::string_view schema) = 0;
};

// Every row of a one-off statement, copied (for catalog checks and tests).
using SqlRows = std::vector<std::vector<std::optional<std::string>>>;
absl::StatusOr<SqlRows> QueryRows(SqlDatabase& db, absl::string_view sql,
                                  absl::Span<const SqlValue> params = {});

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SQL_INTERNAL_SQL_DATABASE_H_
