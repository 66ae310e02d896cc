// Opens a PostgreSQL database as a SqlDatabase (see sql_database.h) through libpq. A pool of up
// to `max_connections` connections, opened on demand; each prepares statements lazily the first
// time it runs them. A connection found broken is closed and the statement retried once on a
// fresh one (every statement the store runs is idempotent). Errors: connection failures ->
// UNAVAILABLE; server errors by SQLSTATE class (08 and 57P0x -> UNAVAILABLE, 53 ->
// RESOURCE_EXHAUSTED, 40 -> ABORTED, 42501 -> PERMISSION_DENIED, 42 -> FAILED_PRECONDITION,
// 22 -> INVALID_ARGUMENT, 23505 -> ALREADY_EXISTS, 57014 -> DEADLINE_EXCEEDED, others INTERNAL),
// the SQLSTATE in the message. Messages show the URL with its password masked. Thread-safe.
//
//   absl::StatusOr<SqlUrl> url = ParseSqlUrl("postgresql://app:secret@db:5432/failover");
//   absl::StatusOr<std::shared_ptr<SqlDatabase>> db = OpenPostgresDatabase(*url);
#ifndef FAILOVER_STORE_JDBC_SQL_INTERNAL_POSTGRES_DATABASE_H_
#define FAILOVER_STORE_JDBC_SQL_INTERNAL_POSTGRES_DATABASE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "store-jdbc/sql/internal/sql_database.h"
#include "store-jdbc/sql/internal/sql_url.h"

namespace failover {

// Connects once to check the server is reachable (UNAVAILABLE otherwise).
absl::StatusOr<std::shared_ptr<SqlDatabase>> OpenPostgresDatabase(const SqlUrl& url,
                                                                  int max_connections = 4);

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SQL_INTERNAL_POSTGRES_DATABASE_H_
