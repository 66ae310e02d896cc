// Opens a SQLite database file as a SqlDatabase (see sql_database.h). One connection in WAL
// mode (synchronous=NORMAL, busy_timeout 5 s) behind a mutex, prepared statements cached for the
// database's lifetime. SQLite result codes map to absl codes: BUSY/LOCKED/CANTOPEN/IOERR ->
// UNAVAILABLE, FULL/NOMEM -> RESOURCE_EXHAUSTED, READONLY/PERM/AUTH -> PERMISSION_DENIED,
// CORRUPT/NOTADB -> DATA_LOSS, CONSTRAINT/MISMATCH/TOOBIG/RANGE -> INVALID_ARGUMENT, others
// INTERNAL. Thread-safe.
//
//   absl::StatusOr<std::shared_ptr<SqlDatabase>> db =
//       OpenSqliteDatabase("/var/lib/app/failover-store.db", "sqlite:///var/lib/app/...");
#ifndef FAILOVER_STORE_JDBC_SQL_INTERNAL_SQLITE_DATABASE_H_
#define FAILOVER_STORE_JDBC_SQL_INTERNAL_SQLITE_DATABASE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "store-jdbc/sql/internal/sql_database.h"

namespace failover {

// `path` is a file path (created if missing) or ":memory:"; `display_url` names the database in
// error messages.
absl::StatusOr<std::shared_ptr<SqlDatabase>> OpenSqliteDatabase(absl::string_view path,
                                                                absl::string_view display_url);

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SQL_INTERNAL_SQLITE_DATABASE_H_
