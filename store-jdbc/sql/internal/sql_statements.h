// The SQL text for one failover store table, per dialect, from a validated table prefix and
// tenant schema. Identifiers are checked against the reference patterns and then double-quoted
// (PostgreSQL: lower-cased first, so the table is the one a Java peer creates with unquoted
// names); values are always bound parameters, never spliced. Thread-safe (pure).
//
//   absl::StatusOr<SqlStatements> sql = BuildSqlStatements(SqlDialect::kSqlite, "MYAPP_", "");
//   // sql->create_table: CREATE TABLE IF NOT EXISTS "MYAPP_FAILOVER_STORE" (...)
#ifndef FAILOVER_STORE_JDBC_SQL_INTERNAL_SQL_STATEMENTS_H_
#define FAILOVER_STORE_JDBC_SQL_INTERNAL_SQL_STATEMENTS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "store-jdbc/sql/internal/sql_database.h"

namespace failover {

struct SqlStatements {
  // Schema to pass to SqlDatabase::EnsureSchema ("" = default schema / main database): the
  // tenant schema, or the qualifier of a dotted prefix (`app.MYAPP_` -> app).
  std::string schema;
  std::string table;          // qualified, quoted table name: "app"."myapp_failover_store"
  std::string index;          // qualified, quoted index name (for catalog checks)
  std::string display_table;  // for messages: app.MYAPP_FAILOVER_STORE
  std::string create_table;
  std::string create_index;
  // Parameters in order: name, key, as_of, expire_on, payload, payload_class.
  std::string upsert;
  // (name, key) -> AS_OF, EXPIRE_ON, PAYLOAD, PAYLOAD_CLASS
  std::string find;
  // (name) -> FAILOVER_KEY, AS_OF, EXPIRE_ON, PAYLOAD, PAYLOAD_CLASS
  std::string find_all;
  std::string delete_one;     // (name, key)
  std::string clean_expired;  // (now)
};

// INVALID_ARGUMENT naming failover.store.jdbc.table-prefix unless `prefix` matches
// ([A-Za-z0-9_]+\.)?[A-Za-z0-9_]* (the reference pattern, limited to one qualifier: schema.prefix).
absl::Status ValidateTablePrefix(absl::string_view prefix);
// INVALID_ARGUMENT naming the tenant schema property unless `schema` matches [A-Za-z0-9_]+.
absl::Status ValidateSchemaName(absl::string_view schema);

// Validates both and builds the statements. `schema` and a qualified prefix exclude each other.
absl::StatusOr<SqlStatements> BuildSqlStatements(SqlDialect dialect, absl::string_view prefix,
                                                 absl::string_view schema);

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SQL_INTERNAL_SQL_STATEMENTS_H_
