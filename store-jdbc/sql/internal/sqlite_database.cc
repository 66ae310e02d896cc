#include "store-jdbc/sql/internal/sqlite_database.h"

#include <sqlite3.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/sync.h"

namespace failover {
namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr int kMaxColumns = 32;  // columns beyond this are not reported

absl::StatusCode CodeFor(int result) {
  switch (result & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PROTOCOL:
      return absl::StatusCode::kUnavailable;
    case SQLITE_FULL:
    case SQLITE_NOMEM:
      return absl::StatusCode::kResourceExhausted;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return absl::StatusCode::kPermissionDenied;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::StatusCode::kDataLoss;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
      return absl::StatusCode::kInvalidArgument;
    default:
      return absl::StatusCode::kInternal;
  }
}

class SqliteDatabase final : public SqlDatabase {
 public:
  SqliteDatabase(sqlite3* db, std::string path, std::string display_url)
      : db_(db), path_(std::move(path)), display_url_(std::move(display_url)) {}
  ~SqliteDatabase() override {
    for (sqlite3_stmt* statement : statements_) sqlite3_finalize(statement);
    sqlite3_close_v2(db_);
  }

  SqlDialect dialect() const override { return SqlDialect::kSqlite; }
  const std::string& display_url() const override { return display_url_; }

  absl::StatusOr<SqlStatementId> Prepare(absl::string_view sql) override {
    MutexLock lock(&mu_);
    sqlite3_stmt* statement = nullptr;
    const int result = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                          SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (result != SQLITE_OK) return Error(result, "preparing", sql);
    statements_.push_back(statement);
    return static_cast<SqlStatementId>(statements_.size() - 1);
  }

  absl::StatusOr<int64_t> Execute(SqlStatementId id, absl::Span<const SqlValue> params,
                                  SqlRowCallback on_row) override {
    MutexLock lock(&mu_);
    if (id < 0 || static_cast<size_t>(id) >= statements_.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("SQLite ", display_url_, ": no statement ", id));
    }
    return Run(statements_[id], params, on_row);
  }

  absl::StatusOr<int64_t> ExecuteOnce(absl::string_view sql, absl::Span<const SqlValue> params,
                                      SqlRowCallback on_row) override {
    MutexLock lock(&mu_);
    sqlite3_stmt* statement = nullptr;
    const int result =
        sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr);
    if (result != SQLITE_OK) return Error(result, "preparing", sql);
    absl::StatusOr<int64_t> changes = Run(statement, params, on_row);
    sqlite3_finalize(statement);
    return changes;
  }

  absl::Status ExecuteDdl(absl::string_view sql) override {
    return ExecuteOnce(sql, {}, [](SqlRowView) {}).status();
  }

  absl::Status EnsureSchema(absl::string_view schema) override {
    const std::string lower = absl::AsciiStrToLower(schema);
    if (lower == "main" || lower == "temp") return absl::OkStatus();
    {
      MutexLock lock(&mu_);
      if (attached_.count(lower) > 0) return absl::OkStatus();
    }
    const std::string file = AttachedFile(schema);
    absl::Status attached = ExecuteOnce(absl::StrCat("ATTACH DATABASE ?1 AS \"", schema, "\""),
                                        {SqlValue(file)}, [](SqlRowView) {})
                                .status();
    if (!attached.ok() && !absl::StrContains(attached.message(), "already in use")) {
      return attached;
    }
    MutexLock lock(&mu_);
    attached_.insert(lower);
    return absl::OkStatus();
  }

 private:
  // <dir of main db>/<main stem>.<schema>.db; an in-memory main database gets in-memory tenants.
  std::string AttachedFile(absl::string_view schema) const {
    if (path_ == ":memory:") return path_;
    const std::filesystem::path main(path_);
    return (main.parent_path() / absl::StrCat(main.stem().string(), ".", schema, ".db")).string();
  }

  absl::Status Error(int result, absl::string_view action, absl::string_view sql)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return absl::Status(CodeFor(result), absl::StrCat("SQLite ", display_url_, ": ", action, " '",
                                                      sql, "': ", sqlite3_errmsg(db_), " (",
                                                      sqlite3_errstr(result), ")"));
  }

  absl::Status Bind(sqlite3_stmt* statement, absl::Span<const SqlValue> params)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      int result = SQLITE_OK;
      if (const auto* text = std::get_if<absl::string_view>(&params[i])) {
        // Not copied: the statement is stepped and reset before Execute returns.
        result = sqlite3_bind_text64(statement, index, text->data(), text->size(), SQLITE_STATIC,
                                     SQLITE_UTF8);
      } else if (const auto* number = std::get_if<int64_t>(&params[i])) {
        result = sqlite3_bind_int64(statement, index, *number);
      } else {
        result = sqlite3_bind_null(statement, index);
      }
      if (result != SQLITE_OK)
        return Error(result, "binding parameters of", sqlite3_sql(statement));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> Run(sqlite3_stmt* statement, absl::Span<const SqlValue> params,
                              SqlRowCallback on_row) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    absl::Status status = Bind(statement, params);
    const int columns = std::min(sqlite3_column_count(statement), kMaxColumns);
    std::optional<absl::string_view> row[kMaxColumns];
    int result = SQLITE_ROW;
    while (status.ok() && (result = sqlite3_step(statement)) == SQLITE_ROW) {
      for (int i = 0; i < columns; ++i) {
        const unsigned char* text = sqlite3_column_text(statement, i);
        row[i] = text == nullptr ? std::nullopt
                                 : std::optional<absl::string_view>(absl::string_view(
                                       reinterpret_cast<const char*>(text),
                                       static_cast<size_t>(sqlite3_column_bytes(statement, i))));
      }
      on_row(SqlRowView(row, static_cast<size_t>(columns)));
    }
    if (status.ok() && result != SQLITE_DONE) {
      status = Error(result, "running", sqlite3_sql(statement));
    }
    const bool writes = !sqlite3_stmt_readonly(statement);
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    if (!status.ok()) return status;
    return writes ? static_cast<int64_t>(sqlite3_changes64(db_)) : 0;
  }

  Mutex mu_;
  sqlite3* const db_ ABSL_PT_GUARDED_BY(mu_);
  const std::string path_;
  const std::string display_url_;
  std::vector<sqlite3_stmt*> statements_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> attached_ ABSL_GUARDED_BY(mu_);  // lower-cased schema names
};

absl::Status Pragma(sqlite3* db, const char* sql, absl::string_view display_url) {
  char* message = nullptr;
  const int result = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  if (result == SQLITE_OK) return absl::OkStatus();
  absl::Status status(CodeFor(result),
                      absl::StrCat("SQLite ", display_url, ": '", sql,
                                   "': ", message != nullptr ? message : sqlite3_errstr(result)));
  sqlite3_free(message);
  return status;
}

}  // namespace

absl::StatusOr<std::shared_ptr<SqlDatabase>> OpenSqliteDatabase(absl::string_view path,
                                                                absl::string_view display_url) {
  sqlite3* db = nullptr;
  const std::string file(path);
  const int result = sqlite3_open_v2(
      file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (result != SQLITE_OK) {
    absl::Status status(CodeFor(result),
                        absl::StrCat("SQLite ", display_url, ": cannot open '", file, "': ",
                                     db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(result)));
    sqlite3_close_v2(db);
    return status;
  }
  sqlite3_extended_result_codes(db, 0);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"}) {
    if (absl::Status status = Pragma(db, pragma, display_url); !status.ok()) {
      sqlite3_close_v2(db);
      return status;
    }
  }
  return std::make_shared<SqliteDatabase>(db, file, std::string(display_url));
}

}  // namespace failover
