// The SQL failover store (failover.store.type: jdbc): FailoverStore rows in a
// {prefix}FAILOVER_STORE table of SQLite or PostgreSQL, the same table the Java framework uses,
// so a Java and a C++ service can share it:
//
//   FAILOVER_NAME VARCHAR(256) NOT NULL, FAILOVER_KEY VARCHAR(256) NOT NULL,
//   AS_OF TIMESTAMP NOT NULL, EXPIRE_ON TIMESTAMP NOT NULL, PAYLOAD TEXT,
//   PAYLOAD_CLASS VARCHAR(256), PRIMARY KEY (FAILOVER_NAME, FAILOVER_KEY)
//   + index {prefix}FAILOVER_STORE_EXPIRE_ON_IDX on EXPIRE_ON
//
// Times are written as UTC wall-clock time to the microsecond (PostgreSQL TIMESTAMP without zone;
// SQLite fixed-width text 'YYYY-MM-DD HH:MM:SS.ffffff'). The Java framework writes
// LocalDateTime in its default time zone, so Java peers sharing rows must run with
// -Duser.timezone=UTC. In PostgreSQL names are folded to lower case as for the unquoted names
// Java uses (MYAPP_ -> myapp_failover_store); a tenant schema keeps its case.
//
// Several stores may share one SqlDatabase (one per tenant: a table prefix or a schema each;
// PostgreSQL schemas are created if missing; SQLite tenants are attached database files
// <dir>/<main-db-stem>.<schema>.db, at most 10 per database by SQLite's default limit).
//
// Thread-safety: SqlDatabase and the stores are safe for concurrent use (SQLite: one connection
// behind a mutex, WAL mode; PostgreSQL: a pool of up to 4 connections).
//
//   absl::StatusOr<std::shared_ptr<SqlDatabase>> db = OpenSqlDatabase("sqlite://failover.db");
//   if (!db.ok()) return db.status();
//   absl::StatusOr<std::unique_ptr<FailoverStore>> store =
//       NewSqlFailoverStore(*db, SqlTableOptions{.table_prefix = "MYAPP_"});
#ifndef FAILOVER_STORE_JDBC_SQL_SQL_STORE_H_
#define FAILOVER_STORE_JDBC_SQL_SQL_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "store-jdbc/failover_store.h"

namespace failover {

// Opaque shared connection(s) to one database; thread-safe.
class SqlDatabase;

// Opens failover.store.jdbc.url: sqlite://<path relative to the working directory>,
// sqlite:///abs/path.db, sqlite://:memory:, postgresql://user:pass@host:port/db[?sslmode=...&
// connect_timeout=...] (or postgres://; percent-escapes decoded; query parameters go to libpq;
// connect_timeout defaults to 10 s). INVALID_ARGUMENT naming failover.store.jdbc.url for a bad
// URL, UNAVAILABLE when the database cannot be reached; the password never appears in messages.
absl::StatusOr<std::shared_ptr<SqlDatabase>> OpenSqlDatabase(absl::string_view url);

struct SqlTableOptions {
  // Validated against ([A-Za-z0-9_]+\.)?[A-Za-z0-9_]*: the table is <table_prefix>FAILOVER_STORE;
  // a qualifier names its schema (`app.MYAPP_` -> schema app, table MYAPP_FAILOVER_STORE).
  std::string table_prefix;
  // "" = the default schema / main SQLite database; else [A-Za-z0-9_]+, the tenant's schema
  // (cannot be combined with a qualified table_prefix).
  std::string schema;
};

// Validates the options (INVALID_ARGUMENT naming the property and value), creates the
// schema / table / index if missing (safe when several processes do it at once) and prepares the
// statements.
absl::StatusOr<std::unique_ptr<FailoverStore>> NewSqlFailoverStore(std::shared_ptr<SqlDatabase> db,
                                                                   const SqlTableOptions& options);

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SQL_SQL_STORE_H_
