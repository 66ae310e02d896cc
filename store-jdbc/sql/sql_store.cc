#include "store-jdbc/sql/sql_store.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "store-jdbc/sql/internal/postgres_database.h"
#include "store-jdbc/sql/internal/sql_database.h"
#include "store-jdbc/sql/internal/sql_statements.h"
#include "store-jdbc/sql/internal/sql_timestamp.h"
#include "store-jdbc/sql/internal/sql_url.h"
#include "store-jdbc/sql/internal/sqlite_database.h"

namespace failover {
namespace {

constexpr size_t kMaxColumnChars = 256;  // VARCHAR(256)

// Characters (not bytes) of UTF-8 text, as VARCHAR(n) counts them.
size_t Utf8Length(absl::string_view text) {
  size_t length = 0;
  for (char c : text) length += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return length;
}

absl::Status Annotate(const absl::Status& status, absl::string_view context) {
  return absl::Status(status.code(), absl::StrCat(context, ": ", status.message()));
}

// Builds an entry from AS_OF, EXPIRE_ON, PAYLOAD, PAYLOAD_CLASS columns starting at `first`.
absl::StatusOr<FailoverStoreEntry> ToEntry(absl::string_view name, absl::string_view key,
                                           SqlRowView row, size_t first) {
  FailoverStoreEntry entry;
  entry.name = std::string(name);
  entry.key = std::string(key);
  absl::StatusOr<absl::Time> as_of = ParseSqlTimestamp(row[first].value_or(""));
  absl::StatusOr<absl::Time> expire_on = ParseSqlTimestamp(row[first + 1].value_or(""));
  if (!as_of.ok() || !expire_on.ok()) {
    return absl::DataLossError(absl::StrCat("row has unreadable AS_OF/EXPIRE_ON: ",
                                            (as_of.ok() ? expire_on : as_of).status().message()));
  }
  entry.as_of = *as_of;
  entry.expire_on = *expire_on;
  entry.payload = std::string(row[first + 2].value_or(""));
  entry.payload_type = std::string(row[first + 3].value_or(""));
  return entry;
}

absl::Status CheckColumn(absl::string_view column, absl::string_view value) {
  if (value.empty() && column != "PAYLOAD_CLASS") {
    return absl::InvalidArgumentError(absl::StrCat(column, " is empty"));
  }
  if (Utf8Length(value) > kMaxColumnChars) {
    return absl::InvalidArgumentError(
        absl::StrCat(column, " is longer than ", kMaxColumnChars, " characters"));
  }
  return absl::OkStatus();
}

// One {prefix}FAILOVER_STORE table. Thread-safe: holds only immutable state and the thread-safe
// database.
class SqlFailoverStore final : public FailoverStore {
 public:
  struct Statements {
    SqlStatementId upsert, find, find_all, delete_one, clean_expired;
  };

  SqlFailoverStore(std::shared_ptr<SqlDatabase> db, std::string table, Statements statements)
      : db_(std::move(db)), table_(std::move(table)), statements_(statements) {}

  absl::Status Store(const FailoverStoreEntry& entry) override {
    const std::string context = Context("storing", entry.name, entry.key);
    for (const auto& [column, value] :
         {std::pair<absl::string_view, absl::string_view>{"FAILOVER_NAME", entry.name},
          {"FAILOVER_KEY", entry.key},
          {"PAYLOAD_CLASS", entry.payload_type}}) {
      if (absl::Status status = CheckColumn(column, value); !status.ok()) {
        return Annotate(status, context);
      }
    }
    const std::string as_of = FormatSqlTimestamp(entry.as_of);
    const std::string expire_on = FormatSqlTimestamp(entry.expire_on);
    const SqlValue params[] = {entry.name, entry.key,     as_of,
                               expire_on,  entry.payload, entry.payload_type};
    absl::StatusOr<int64_t> stored = db_->Execute(statements_.upsert, params, [](SqlRowView) {});
    return stored.ok() ? absl::OkStatus() : Annotate(stored.status(), context);
  }

  absl::StatusOr<std::optional<FailoverStoreEntry>> Find(absl::string_view name,
                                                         absl::string_view key) override {
    std::optional<absl::StatusOr<FailoverStoreEntry>> found;
    const SqlValue params[] = {name, key};
    absl::StatusOr<int64_t> done = db_->Execute(
        statements_.find, params, [&](SqlRowView row) { found = ToEntry(name, key, row, 0); });
    if (!done.ok()) return Annotate(done.status(), Context("finding", name, key));
    if (!found.has_value()) return std::nullopt;
    if (!found->ok()) return Annotate(found->status(), Context("reading", name, key));
    return std::optional<FailoverStoreEntry>(std::move(**found));
  }

  absl::StatusOr<std::vector<FailoverStoreEntry>> FindAll(absl::string_view name) override {
    std::vector<FailoverStoreEntry> entries;
    absl::Status bad_row;
    const SqlValue params[] = {name};
    absl::StatusOr<int64_t> done = db_->Execute(statements_.find_all, params, [&](SqlRowView row) {
      const absl::string_view key = row[0].value_or("");
      absl::StatusOr<FailoverStoreEntry> entry = ToEntry(name, key, row, 1);
      if (entry.ok()) {
        entries.push_back(std::move(*entry));
      } else if (bad_row.ok()) {
        bad_row = Annotate(entry.status(), Context("reading", name, key));
      }
    });
    if (!done.ok()) {
      return Annotate(done.status(), absl::StrCat("SQL store ", table_, ": listing '", name, "'"));
    }
    if (!bad_row.ok()) return bad_row;
    return entries;
  }

  absl::Status Delete(absl::string_view name, absl::string_view key) override {
    const SqlValue params[] = {name, key};
    absl::StatusOr<int64_t> done = db_->Execute(statements_.delete_one, params, [](SqlRowView) {});
    return done.ok() ? absl::OkStatus() : Annotate(done.status(), Context("deleting", name, key));
  }

  absl::StatusOr<int64_t> CleanByExpiry(absl::Time now) override {
    const std::string cutoff = FormatSqlTimestamp(now);
    const SqlValue params[] = {absl::string_view(cutoff)};
    absl::StatusOr<int64_t> removed =
        db_->Execute(statements_.clean_expired, params, [](SqlRowView) {});
    if (!removed.ok()) {
      return Annotate(removed.status(), absl::StrCat("SQL store ", table_,
                                                     ": removing entries expired before ", cutoff));
    }
    return removed;
  }

 private:
  std::string Context(absl::string_view action, absl::string_view name,
                      absl::string_view key) const {
    return absl::StrCat("SQL store ", table_, ": ", action, " ('", name, "', '", key, "')");
  }

  const std::shared_ptr<SqlDatabase> db_;
  const std::string table_;  // for messages
  const Statements statements_;
};

absl::StatusOr<bool> RelationExists(SqlDatabase& db, absl::string_view qualified_name) {
  bool exists = false;
  absl::StatusOr<int64_t> done =
      db.ExecuteOnce("SELECT to_regclass($1) IS NOT NULL", {SqlValue(qualified_name)},
                     [&](SqlRowView row) { exists = row[0].value_or("") == "t"; });
  if (!done.ok()) return done.status();
  return exists;
}

// PostgreSQL checks CREATE privileges before IF NOT EXISTS, so look first: a role limited to
// reading and writing rows can still use a table an administrator created.
absl::Status CreateIfMissing(SqlDatabase& db, absl::string_view name, absl::string_view ddl) {
  if (db.dialect() == SqlDialect::kPostgres) {
    absl::StatusOr<bool> exists = RelationExists(db, name);
    if (!exists.ok()) return exists.status();
    if (*exists) return absl::OkStatus();
  }
  return db.ExecuteDdl(ddl);
}

absl::StatusOr<SqlFailoverStore::Statements> PrepareAll(SqlDatabase& db, const SqlStatements& sql) {
  SqlFailoverStore::Statements ids{};
  for (const auto& [text, id] :
       {std::pair<const std::string*, SqlStatementId*>{&sql.upsert, &ids.upsert},
        {&sql.find, &ids.find},
        {&sql.find_all, &ids.find_all},
        {&sql.delete_one, &ids.delete_one},
        {&sql.clean_expired, &ids.clean_expired}}) {
    absl::StatusOr<SqlStatementId> prepared = db.Prepare(*text);
    if (!prepared.ok()) return prepared.status();
    *id = *prepared;
  }
  return ids;
}

}  // namespace

absl::StatusOr<std::shared_ptr<SqlDatabase>> OpenSqlDatabase(absl::string_view url) {
  absl::StatusOr<SqlUrl> parsed = ParseSqlUrl(url);
  if (!parsed.ok()) return parsed.status();
  if (parsed->dialect == SqlDialect::kSqlite) {
    return OpenSqliteDatabase(parsed->sqlite_path, parsed->display);
  }
  return OpenPostgresDatabase(*parsed);
}

absl::StatusOr<std::unique_ptr<FailoverStore>> NewSqlFailoverStore(std::shared_ptr<SqlDatabase> db,
                                                                   const SqlTableOptions& options) {
  if (db == nullptr) return absl::InvalidArgumentError("NewSqlFailoverStore: no database");
  absl::StatusOr<SqlStatements> sql =
      BuildSqlStatements(db->dialect(), options.table_prefix, options.schema);
  if (!sql.ok()) return sql.status();
  const std::string context =
      absl::StrCat("SQL store ", sql->display_table, " in ", db->display_url());
  absl::Status status = sql->schema.empty() ? absl::OkStatus() : db->EnsureSchema(sql->schema);
  if (status.ok()) status = CreateIfMissing(*db, sql->table, sql->create_table);
  if (status.ok()) status = CreateIfMissing(*db, sql->index, sql->create_index);
  if (!status.ok()) return Annotate(status, absl::StrCat(context, ": creating the table"));
  absl::StatusOr<SqlFailoverStore::Statements> ids = PrepareAll(*db, *sql);
  if (!ids.ok()) return Annotate(ids.status(), absl::StrCat(context, ": preparing statements"));
  return std::make_unique<SqlFailoverStore>(std::move(db), sql->display_table, *ids);
}

}  // namespace failover
