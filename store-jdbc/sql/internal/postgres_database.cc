#include "store-jdbc/sql/internal/postgres_database.h"

#include <postgresql/libpq-fe.h>

#include <cstdlib>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/sync.h"

namespace failover {
namespace {

constexpr int kDdlAttempts = 5;

absl::StatusCode CodeForSqlState(absl::string_view state) {
  if (absl::StartsWith(state, "08") || absl::StartsWith(state, "57P0")) {
    return absl::StatusCode::kUnavailable;
  }
  if (state == "57014") return absl::StatusCode::kDeadlineExceeded;
  if (state == "23505") return absl::StatusCode::kAlreadyExists;
  if (state == "42501") return absl::StatusCode::kPermissionDenied;
  if (absl::StartsWith(state, "53")) return absl::StatusCode::kResourceExhausted;
  if (absl::StartsWith(state, "40")) return absl::StatusCode::kAborted;
  if (absl::StartsWith(state, "42")) return absl::StatusCode::kFailedPrecondition;
  if (absl::StartsWith(state, "22")) return absl::StatusCode::kInvalidArgument;
  return absl::StatusCode::kInternal;
}

// A concurrent CREATE ... IF NOT EXISTS that lost the race to another session.
bool IsCreationRace(absl::string_view state) {
  return state == "23505" || state == "42P07" || state == "42P06" || state == "42710";
}

struct PgConnection {
  explicit PgConnection(PGconn* c) : conn(c) {}
  ~PgConnection() { PQfinish(conn); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  PGconn* const conn;
  std::vector<bool> prepared;  // by SqlStatementId
};

// A statement's result: the status and, for server errors, the SQLSTATE.
struct Outcome {
  absl::StatusOr<int64_t> changes;
  std::string sqlstate;
};

// Parameters as the NUL-terminated text libpq wants.
class TextParams {
 public:
  explicit TextParams(absl::Span<const SqlValue> params) {
    texts_.reserve(params.size());
    for (const SqlValue& param : params) {
      if (const auto* text = std::get_if<absl::string_view>(&param)) {
        texts_.emplace_back(*text);
      } else if (const auto* number = std::get_if<int64_t>(&param)) {
        texts_.push_back(absl::StrCat(*number));
      } else {
        texts_.emplace_back();
      }
    }
    for (size_t i = 0; i < params.size(); ++i) {
      values_.push_back(std::holds_alternative<std::nullptr_t>(params[i]) ? nullptr
                                                                          : texts_[i].c_str());
    }
  }
  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }

 private:
  std::vector<std::string> texts_;
  std::vector<const char*> values_;
};

class PostgresDatabase final : public SqlDatabase {
 public:
  PostgresDatabase(SqlUrl url, int max_connections)
      : url_(std::move(url)), max_connections_(std::max(1, max_connections)) {}

  SqlDialect dialect() const override { return SqlDialect::kPostgres; }
  const std::string& display_url() const override { return url_.display; }

  // Opens the first connection so an unreachable server fails at open.
  absl::Status Start() {
    absl::StatusOr<std::unique_ptr<PgConnection>> connection = Acquire();
    if (!connection.ok()) return connection.status();
    Release(std::move(*connection), true);
    return absl::OkStatus();
  }

  absl::StatusOr<SqlStatementId> Prepare(absl::string_view sql) override {
    MutexLock lock(&mu_);
    statements_.emplace_back(sql);
    return static_cast<SqlStatementId>(statements_.size() - 1);
  }

  absl::StatusOr<int64_t> Execute(SqlStatementId id, absl::Span<const SqlValue> params,
                                  SqlRowCallback on_row) override {
    std::string sql;
    {
      MutexLock lock(&mu_);
      if (id < 0 || static_cast<size_t>(id) >= statements_.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("PostgreSQL ", url_.display, ": no statement ", id));
      }
    }
    const TextParams text(params);
    const std::string name = absl::StrCat("failover_stmt_", id);
    return WithConnection(
               [&](PgConnection& connection) -> PGresult* {
                 if (connection.prepared.size() <= static_cast<size_t>(id)) {
                   connection.prepared.resize(id + 1, false);
                 }
                 if (!connection.prepared[id]) {
                   PGresult* prepared = PQprepare(connection.conn, name.c_str(),
                                                  StatementText(id).c_str(), text.size(), nullptr);
                   if (PQresultStatus(prepared) != PGRES_COMMAND_OK) return prepared;
                   PQclear(prepared);
                   connection.prepared[id] = true;
                 }
                 return PQexecPrepared(connection.conn, name.c_str(), text.size(), text.values(),
                                       nullptr, nullptr, 0);
               },
               on_row)
        .changes;
  }

  absl::StatusOr<int64_t> ExecuteOnce(absl::string_view sql, absl::Span<const SqlValue> params,
                                      SqlRowCallback on_row) override {
    return RunOnce(sql, params, on_row).changes;
  }

  absl::Status ExecuteDdl(absl::string_view sql) override {
    Outcome outcome;
    for (int attempt = 0; attempt < kDdlAttempts; ++attempt) {
      outcome = RunOnce(sql, {}, [](SqlRowView) {});
      // The winner has committed by the time the loser sees the conflict: the retry's
      // IF NOT EXISTS then finds the object.
      if (outcome.changes.ok() || !IsCreationRace(outcome.sqlstate)) break;
    }
    return outcome.changes.status();
  }

  absl::Status EnsureSchema(absl::string_view schema) override {
    // CREATE SCHEMA checks the CREATE privilege before IF NOT EXISTS: look first, so a role
    // without it can use an existing schema.
    bool exists = false;
    absl::StatusOr<int64_t> found =
        ExecuteOnce("SELECT 1 FROM pg_namespace WHERE nspname = $1", {SqlValue(schema)},
                    [&](SqlRowView) { exists = true; });
    if (!found.ok()) return found.status();
    if (exists) return absl::OkStatus();
    return ExecuteDdl(absl::StrCat("CREATE SCHEMA IF NOT EXISTS \"", schema, "\""));
  }

  ~PostgresDatabase() override {
    MutexLock lock(&mu_);
    idle_.clear();
  }

 private:
  std::string StatementText(SqlStatementId id) {
    MutexLock lock(&mu_);
    return statements_[id];
  }

  Outcome RunOnce(absl::string_view sql, absl::Span<const SqlValue> params, SqlRowCallback on_row) {
    const TextParams text(params);
    const std::string statement(sql);
    return WithConnection(
        [&](PgConnection& connection) {
          return PQexecParams(connection.conn, statement.c_str(), text.size(), nullptr,
                              text.values(), nullptr, nullptr, 0);
        },
        on_row);
  }

  // Runs `run` on a pooled connection; on a broken connection retries once on a new one.
  template <typename Run>
  Outcome WithConnection(Run run, SqlRowCallback on_row) {
    for (int attempt = 0;; ++attempt) {
      absl::StatusOr<std::unique_ptr<PgConnection>> connection = Acquire();
      if (!connection.ok()) return {connection.status(), ""};
      PGresult* result = run(**connection);
      if (PQstatus((*connection)->conn) == CONNECTION_BAD) {
        const std::string message = ErrorText((*connection)->conn);
        PQclear(result);
        Release(std::move(*connection), false);
        if (attempt == 0) continue;
        return {absl::UnavailableError(
                    absl::StrCat("PostgreSQL ", url_.display, ": connection lost: ", message)),
                ""};
      }
      Outcome outcome = Consume(result, (*connection)->conn, on_row);
      PQclear(result);
      Release(std::move(*connection), true);
      return outcome;
    }
  }

  Outcome Consume(PGresult* result, PGconn* conn, SqlRowCallback on_row) {
    switch (PQresultStatus(result)) {
      case PGRES_TUPLES_OK: {
        const int columns = PQnfields(result);
        std::vector<std::optional<absl::string_view>> row(columns);
        for (int r = 0; r < PQntuples(result); ++r) {
          for (int c = 0; c < columns; ++c) {
            row[c] = PQgetisnull(result, r, c)
                         ? std::nullopt
                         : std::optional<absl::string_view>(absl::string_view(
                               PQgetvalue(result, r, c), PQgetlength(result, r, c)));
          }
          on_row(row);
        }
        return {0, ""};
      }
      case PGRES_COMMAND_OK:
        return {std::strtoll(PQcmdTuples(result), nullptr, 10), ""};
      default:
        break;
    }
    if (result == nullptr) {
      return {
          absl::UnavailableError(absl::StrCat("PostgreSQL ", url_.display, ": ", ErrorText(conn))),
          ""};
    }
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    const std::string sqlstate = state != nullptr ? state : "";
    // Only the primary message: DETAIL lines may quote row values (payloads).
    return {absl::Status(
                CodeForSqlState(sqlstate),
                absl::StrCat("PostgreSQL ", url_.display, ": ",
                             primary != nullptr ? primary : PQresStatus(PQresultStatus(result)),
                             " (SQLSTATE ", sqlstate, ")")),
            sqlstate};
  }

  static std::string ErrorText(PGconn* conn) {
    return std::string(absl::StripTrailingAsciiWhitespace(PQerrorMessage(conn)));
  }

  absl::StatusOr<std::unique_ptr<PgConnection>> Acquire() {
    {
      MutexLock lock(&mu_);
      mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !idle_.empty() || open_ < max_connections_;
      });
      if (!idle_.empty()) {
        std::unique_ptr<PgConnection> connection = std::move(idle_.back());
        idle_.pop_back();
        return connection;
      }
      ++open_;
    }
    absl::StatusOr<std::unique_ptr<PgConnection>> connection = Connect();
    if (!connection.ok()) {
      MutexLock lock(&mu_);
      --open_;
    }
    return connection;
  }

  // A broken connection usually means the server restarted or dropped every session: the idle
  // ones are closed with it, so the retry gets a fresh connection.
  void Release(std::unique_ptr<PgConnection> connection, bool healthy) {
    std::vector<std::unique_ptr<PgConnection>> closing;  // closed outside the lock
    MutexLock lock(&mu_);
    if (healthy) {
      idle_.push_back(std::move(connection));
      return;
    }
    closing.swap(idle_);
    closing.push_back(std::move(connection));
    open_ -= static_cast<int>(closing.size());
  }

  absl::StatusOr<std::unique_ptr<PgConnection>> Connect() {
    std::vector<const char*> keywords, values;
    for (const auto& [keyword, value] : url_.postgres_params) {
      keywords.push_back(keyword.c_str());
      values.push_back(value.c_str());
    }
    keywords.push_back(nullptr);
    values.push_back(nullptr);
    auto connection = std::make_unique<PgConnection>(
        PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/0));
    if (connection->conn == nullptr || PQstatus(connection->conn) != CONNECTION_OK) {
      return absl::UnavailableError(absl::StrCat(
          "PostgreSQL ", url_.display, ": cannot connect: ",
          connection->conn == nullptr ? "out of memory" : ErrorText(connection->conn)));
    }
    // "relation ... already exists, skipping" notices are expected; do not print them.
    PQsetNoticeProcessor(
        connection->conn, [](void*, const char*) {}, nullptr);
    // Timestamps print as 'YYYY-MM-DD HH:MM:SS.ffffff' whatever the server's default.
    PGresult* result = PQexec(connection->conn, "SET DateStyle = ISO");
    Outcome outcome = Consume(result, connection->conn, [](SqlRowView) {});
    PQclear(result);
    if (!outcome.changes.ok()) return outcome.changes.status();
    return connection;
  }

  const SqlUrl url_;
  const int max_connections_;
  Mutex mu_;
  std::deque<std::string> statements_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<PgConnection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // idle plus in use
};

}  // namespace

absl::StatusOr<std::shared_ptr<SqlDatabase>> OpenPostgresDatabase(const SqlUrl& url,
                                                                  int max_connections) {
  auto db = std::make_shared<PostgresDatabase>(url, max_connections);
  if (absl::Status status = db->Start(); !status.ok()) return status;
  return db;
}

}  // namespace failover
