// Parses failover.store.jdbc.url:
//   sqlite://<path>          relative to the working directory (sqlite://failover-store.db)
//   sqlite:///abs/path.db    absolute
//   sqlite://:memory:        in memory, private to the opened SqlDatabase
//   postgresql://user:pass@host:port/db?sslmode=require&connect_timeout=5   (or postgres://)
// PostgreSQL parts are percent-decoded and become libpq connection keywords; query parameters
// pass through as keywords. Errors are INVALID_ARGUMENT naming failover.store.jdbc.url and
// showing the URL with its password masked. Thread-safe (pure).
//
//   absl::StatusOr<SqlUrl> url = ParseSqlUrl("postgresql://app:secret@db:5432/failover");
//   // url->postgres_params: {host, db}, {port, 5432}, {user, app}, {password, secret}, ...
#ifndef FAILOVER_STORE_JDBC_SQL_INTERNAL_SQL_URL_H_
#define FAILOVER_STORE_JDBC_SQL_INTERNAL_SQL_URL_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "store-jdbc/sql/internal/sql_database.h"

namespace failover {

struct SqlUrl {
  SqlDialect dialect = SqlDialect::kSqlite;
  std::string display;      // the URL with any password masked
  std::string sqlite_path;  // SQLite: file path, or ":memory:"
  // PostgreSQL: libpq keyword/value pairs (host, port, user, password, dbname, query
  // parameters); connect_timeout defaults to 10 seconds and client_encoding to UTF8.
  std::vector<std::pair<std::string, std::string>> postgres_params;
};

absl::StatusOr<SqlUrl> ParseSqlUrl(absl::string_view url);

// `url` with the userinfo password and any `password=` query value replaced by "****".
std::string MaskSqlUrl(absl::string_view url);

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SQL_INTERNAL_SQL_URL_H_
