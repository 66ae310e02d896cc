#include "store-jdbc/sql/internal/sql_statements.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace failover {
namespace {

constexpr absl::string_view kPrefixProperty = "failover.store.jdbc.table-prefix";
constexpr absl::string_view kSchemaProperty = "failover.store.multitenant.tenants.<id>.schema";

bool IsIdentifier(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// Identifiers here are validated ([A-Za-z0-9_]), so quoting needs no escaping.
std::string Quote(SqlDialect dialect, absl::string_view identifier, bool fold_case) {
  return absl::StrCat("\"",
                      dialect == SqlDialect::kPostgres && fold_case
                          ? absl::AsciiStrToLower(identifier)
                          : std::string(identifier),
                      "\"");
}

std::string Placeholder(SqlDialect dialect, int index) {
  return absl::StrCat(dialect == SqlDialect::kSqlite ? "?" : "$", index);
}

void FillDml(SqlDialect dialect, SqlStatements* sql) {
  const auto p = [dialect](int index) { return Placeholder(dialect, index); };
  const std::string& t = sql->table;
  sql->upsert = absl::StrCat(
      "INSERT INTO ", t,
      " (FAILOVER_NAME, FAILOVER_KEY, AS_OF, EXPIRE_ON, PAYLOAD, PAYLOAD_CLASS) VALUES (", p(1),
      ", ", p(2), ", ", p(3), ", ", p(4), ", ", p(5), ", ", p(6),
      ") ON CONFLICT (FAILOVER_NAME, FAILOVER_KEY) DO UPDATE SET AS_OF = excluded.AS_OF, "
      "EXPIRE_ON = excluded.EXPIRE_ON, PAYLOAD = excluded.PAYLOAD, "
      "PAYLOAD_CLASS = excluded.PAYLOAD_CLASS");
  sql->find = absl::StrCat("SELECT AS_OF, EXPIRE_ON, PAYLOAD, PAYLOAD_CLASS FROM ", t,
                           " WHERE FAILOVER_NAME = ", p(1), " AND FAILOVER_KEY = ", p(2));
  sql->find_all =
      absl::StrCat("SELECT FAILOVER_KEY, AS_OF, EXPIRE_ON, PAYLOAD, PAYLOAD_CLASS FROM ", t,
                   " WHERE FAILOVER_NAME = ", p(1));
  sql->delete_one = absl::StrCat("DELETE FROM ", t, " WHERE FAILOVER_NAME = ", p(1),
                                 " AND FAILOVER_KEY = ", p(2));
  sql->clean_expired = absl::StrCat("DELETE FROM ", t, " WHERE EXPIRE_ON < ", p(1));
}

}  // namespace

absl::Status ValidateTablePrefix(absl::string_view prefix) {
  std::vector<absl::string_view> parts = absl::StrSplit(prefix, '.');
  bool valid = parts.size() <= 2;
  for (size_t i = 0; valid && i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    valid = (last && parts[i].empty()) || IsIdentifier(parts[i]);
  }
  if (valid) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(kPrefixProperty, ": '", prefix,
                   "' may contain only letters, digits, underscores and one schema qualifier "
                   "(PREFIX_ or schema.PREFIX_)"));
}

absl::Status ValidateSchemaName(absl::string_view schema) {
  if (IsIdentifier(schema)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(kSchemaProperty, ": '", schema,
                                                 "' must be letters, digits and underscores only"));
}

absl::StatusOr<SqlStatements> BuildSqlStatements(SqlDialect dialect, absl::string_view prefix,
                                                 absl::string_view schema) {
  if (absl::Status status = ValidateTablePrefix(prefix); !status.ok()) return status;
  if (!schema.empty()) {
    if (absl::Status status = ValidateSchemaName(schema); !status.ok()) return status;
  }
  const size_t dot = prefix.find('.');
  const absl::string_view qualifier =
      dot == absl::string_view::npos ? absl::string_view() : prefix.substr(0, dot);
  const absl::string_view table_prefix =
      dot == absl::string_view::npos ? prefix : prefix.substr(dot + 1);
  if (!schema.empty() && !qualifier.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        kPrefixProperty, ": '", prefix, "' names schema '", qualifier,
        "' but the store also has tenant schema '", schema, "'; use one or the other"));
  }
  SqlStatements sql;
  // A tenant schema keeps its case (quoted); a prefix qualifier is folded in PostgreSQL like the
  // unquoted name a Java peer uses.
  const std::string schema_sql = !schema.empty()      ? Quote(dialect, schema, false)
                                 : !qualifier.empty() ? Quote(dialect, qualifier, true)
                                                      : "";
  sql.schema = !schema.empty()                    ? std::string(schema)
               : dialect == SqlDialect::kPostgres ? absl::AsciiStrToLower(qualifier)
                                                  : std::string(qualifier);
  const std::string schema_dot = schema_sql.empty() ? "" : absl::StrCat(schema_sql, ".");
  const std::string table_name = Quote(dialect, absl::StrCat(table_prefix, "FAILOVER_STORE"), true);
  const std::string index_name =
      Quote(dialect, absl::StrCat(table_prefix, "FAILOVER_STORE_EXPIRE_ON_IDX"), true);
  sql.table = absl::StrCat(schema_dot, table_name);
  sql.index = absl::StrCat(schema_dot, index_name);
  sql.display_table = absl::StrCat(sql.schema.empty() ? "" : absl::StrCat(sql.schema, "."),
                                   table_prefix, "FAILOVER_STORE");
  sql.create_table =
      absl::StrCat("CREATE TABLE IF NOT EXISTS ", sql.table,
                   " (FAILOVER_NAME VARCHAR(256) NOT NULL, FAILOVER_KEY VARCHAR(256) NOT NULL, "
                   "AS_OF TIMESTAMP NOT NULL, EXPIRE_ON TIMESTAMP NOT NULL, PAYLOAD TEXT, "
                   "PAYLOAD_CLASS VARCHAR(256), PRIMARY KEY (FAILOVER_NAME, FAILOVER_KEY))");
  // SQLite qualifies the index name and not the table; PostgreSQL the other way round.
  sql.create_index = dialect == SqlDialect::kSqlite
                         ? absl::StrCat("CREATE INDEX IF NOT EXISTS ", sql.index, " ON ",
                                        table_name, " (EXPIRE_ON)")
                         : absl::StrCat("CREATE INDEX IF NOT EXISTS ", index_name, " ON ",
                                        sql.table, " (EXPIRE_ON)");
  FillDml(dialect, &sql);
  return sql;
}

}  // namespace failover
