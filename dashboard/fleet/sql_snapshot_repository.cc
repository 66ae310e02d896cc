#include "dashboard/fleet/sql_snapshot_repository.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/config/config_validators.h"
#include "store-jdbc/sql/internal/sql_database.h"
#include "store-jdbc/sql/sql_store.h"

namespace failover {
namespace dashboard {
namespace {

constexpr absl::string_view kProperty = "failover.dashboard.cluster.shared-store.jdbc";
constexpr absl::string_view kTableSuffix = "FAILOVER_DASHBOARD_SNAPSHOT";
// The retired totals' row: an id no instance can have (instance ids are never blank).
constexpr absl::string_view kRetiredRowId = "";
// In the retired row's SNAPSHOT, each pending retirement is a series named by the instance id
// with this tag holding its last-seen time in Unix nanoseconds.
constexpr absl::string_view kLastSeenTag = "last_seen_unix_nanos";

absl::Status Annotate(const absl::Status& status, absl::string_view context) {
  return absl::Status(status.code(), absl::StrCat(context, ": ", status.message()));
}

struct TableSql {
  std::string schema;         // "" = default schema / main database
  std::string table;          // qualified, quoted
  std::string bare_name;      // unqualified, unquoted (SQLite catalog lookups)
  std::string display_table;  // for messages
  std::string exists, create, upsert, select_all, delete_one;
};

std::string Quote(SqlDialect dialect, absl::string_view identifier) {
  return absl::StrCat("\"",
                      dialect == SqlDialect::kPostgres ? absl::AsciiStrToLower(identifier)
                                                       : std::string(identifier),
                      "\"");
}

absl::StatusOr<TableSql> BuildTableSql(SqlDialect dialect, absl::string_view prefix) {
  const std::string property = absl::StrCat(kProperty, ".table-prefix");
  if (absl::Status status = TablePrefix()(std::string(prefix)); !status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(property, ": '", prefix, "' ", status.message()));
  }
  std::vector<absl::string_view> parts = absl::StrSplit(prefix, '.');
  if (parts.size() > 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        property, ": '", prefix, "' has more than one qualifier (use PREFIX_ or schema.PREFIX_)"));
  }
  TableSql sql;
  const absl::string_view table_prefix = parts.back();
  const std::string name = absl::StrCat(table_prefix, kTableSuffix);
  std::string qualifier;
  if (parts.size() == 2) {
    sql.schema =
        dialect == SqlDialect::kPostgres ? absl::AsciiStrToLower(parts[0]) : std::string(parts[0]);
    qualifier = absl::StrCat(Quote(dialect, parts[0]), ".");
  }
  sql.table = absl::StrCat(qualifier, Quote(dialect, name));
  sql.bare_name = name;
  sql.display_table = absl::StrCat(sql.schema.empty() ? "" : absl::StrCat(sql.schema, "."), name);
  sql.exists = dialect == SqlDialect::kPostgres
                   ? "SELECT to_regclass($1) IS NOT NULL"
                   : absl::StrCat("SELECT COUNT(*) > 0 FROM ", qualifier,
                                  "sqlite_master WHERE type = 'table' AND name = ?1");
  sql.create = absl::StrCat(
      "CREATE TABLE IF NOT EXISTS ", sql.table,
      " (INSTANCE_ID VARCHAR(256) NOT NULL PRIMARY KEY, PROCESS_START BIGINT NOT NULL, "
      "SEQUENCE BIGINT NOT NULL, RECEIVED_AT BIGINT, LAST_HEARTBEAT BIGINT, "
      "RESTARTS BIGINT NOT NULL, LOST_SNAPSHOTS BIGINT NOT NULL, SAVED_AT BIGINT NOT NULL, "
      "SNAPSHOT TEXT NOT NULL, BASE TEXT NOT NULL)");
  const auto p = [dialect](int i) {
    return absl::StrCat(dialect == SqlDialect::kSqlite ? "?" : "$", i);
  };
  sql.upsert = absl::StrCat(
      "INSERT INTO ", sql.table,
      " (INSTANCE_ID, PROCESS_START, SEQUENCE, RECEIVED_AT, LAST_HEARTBEAT, RESTARTS, "
      "LOST_SNAPSHOTS, SAVED_AT, SNAPSHOT, BASE) VALUES (",
      p(1), ", ", p(2), ", ", p(3), ", ", p(4), ", ", p(5), ", ", p(6), ", ", p(7), ", ", p(8),
      ", ", p(9), ", ", p(10),
      ") ON CONFLICT (INSTANCE_ID) DO UPDATE SET PROCESS_START = excluded.PROCESS_START, "
      "SEQUENCE = excluded.SEQUENCE, RECEIVED_AT = excluded.RECEIVED_AT, "
      "LAST_HEARTBEAT = excluded.LAST_HEARTBEAT, RESTARTS = excluded.RESTARTS, "
      "LOST_SNAPSHOTS = excluded.LOST_SNAPSHOTS, SAVED_AT = excluded.SAVED_AT, "
      "SNAPSHOT = excluded.SNAPSHOT, BASE = excluded.BASE");
  sql.select_all = absl::StrCat(
      "SELECT INSTANCE_ID, RECEIVED_AT, LAST_HEARTBEAT, RESTARTS, LOST_SNAPSHOTS, SNAPSHOT, BASE "
      "FROM ",
      sql.table);
  sql.delete_one = absl::StrCat("DELETE FROM ", sql.table, " WHERE INSTANCE_ID = ", p(1));
  return sql;
}

SqlValue TimeValue(absl::Time time) {
  if (time == absl::InfinitePast()) return nullptr;
  return absl::ToUnixNanos(time);
}

std::optional<absl::Time> ParseTime(std::optional<absl::string_view> column) {
  if (!column.has_value()) return absl::InfinitePast();
  int64_t nanos = 0;
  if (!absl::SimpleAtoi(*column, &nanos)) return std::nullopt;
  return absl::FromUnixNanos(nanos);
}

bool ParseProto(std::optional<absl::string_view> column, v1::MetricsSnapshot* snapshot) {
  std::string bytes;
  return column.has_value() && absl::Base64Unescape(*column, &bytes) &&
         snapshot->ParseFromString(bytes);
}

class SqlSnapshotRepository final : public SnapshotRepository {
 public:
  struct Statements {
    SqlStatementId upsert, select_all, delete_one;
  };

  SqlSnapshotRepository(std::shared_ptr<SqlDatabase> db, const Clock& clock, std::string context,
                        Statements statements)
      : db_(std::move(db)), clock_(clock), context_(std::move(context)), statements_(statements) {}

  absl::Status Save(const InstanceRecord& record) override {
    const v1::MetricsSnapshot& snapshot = record.snapshot;
    return Upsert(snapshot.instance_id(), snapshot.process_start_unix_nanos(),
                  static_cast<int64_t>(snapshot.sequence()), TimeValue(record.last_snapshot_at),
                  TimeValue(record.last_heartbeat_at), record.restarts, record.lost_snapshots,
                  snapshot, record.restart_base);
  }

  absl::Status SaveRetired(const RetiredRecord& retired) override {
    v1::MetricsSnapshot pending;
    for (const PendingRetirement& p : retired.pending) {
      v1::MetricSeries* series = pending.add_series();
      series->set_name(p.instance_id);
      v1::Tag* tag = series->add_tags();
      tag->set_key(std::string(kLastSeenTag));
      tag->set_value(absl::StrCat(absl::ToUnixNanos(p.last_seen)));
    }
    return Upsert(kRetiredRowId, 0, 0, nullptr, nullptr, 0, 0, pending, retired.totals);
  }

  absl::StatusOr<RepositoryContents> LoadAll() override {
    RepositoryContents contents;
    absl::Status bad_row;
    absl::StatusOr<int64_t> done = db_->Execute(statements_.select_all, {}, [&](SqlRowView row) {
      absl::Status status = ReadRow(row, &contents);
      if (!status.ok() && bad_row.ok()) bad_row = status;
    });
    if (!done.ok()) return Annotate(done.status(), absl::StrCat(context_, ": loading"));
    if (!bad_row.ok()) return bad_row;
    return contents;
  }

  absl::Status Delete(absl::string_view instance_id) override {
    const SqlValue params[] = {instance_id};
    absl::StatusOr<int64_t> done = db_->Execute(statements_.delete_one, params, [](SqlRowView) {});
    if (done.ok()) return absl::OkStatus();
    return Annotate(done.status(), absl::StrCat(context_, ": deleting '", instance_id, "'"));
  }

 private:
  absl::Status Upsert(absl::string_view id, int64_t process_start, int64_t sequence,
                      SqlValue received_at, SqlValue last_heartbeat, uint64_t restarts,
                      uint64_t lost, const v1::MetricsSnapshot& snapshot,
                      const v1::MetricsSnapshot& base) {
    const std::string snapshot_text = absl::Base64Escape(snapshot.SerializeAsString());
    const std::string base_text = absl::Base64Escape(base.SerializeAsString());
    const SqlValue params[] = {id,
                               process_start,
                               sequence,
                               received_at,
                               last_heartbeat,
                               static_cast<int64_t>(restarts),
                               static_cast<int64_t>(lost),
                               absl::ToUnixNanos(clock_.WallNow()),
                               absl::string_view(snapshot_text),
                               absl::string_view(base_text)};
    absl::StatusOr<int64_t> done = db_->Execute(statements_.upsert, params, [](SqlRowView) {});
    if (done.ok()) return absl::OkStatus();
    return Annotate(done.status(), absl::StrCat(context_, ": saving '", id, "'"));
  }

  absl::Status ReadRow(SqlRowView row, RepositoryContents* contents) const {
    const std::string id(row[0].value_or(""));
    const auto unreadable = [&](absl::string_view what) {
      return absl::DataLossError(
          absl::StrCat(context_, ": the row of '", id, "' has an unreadable ", what));
    };
    v1::MetricsSnapshot snapshot;
    v1::MetricsSnapshot base;
    if (!ParseProto(row[5], &snapshot)) return unreadable("SNAPSHOT");
    if (!ParseProto(row[6], &base)) return unreadable("BASE");
    if (id == kRetiredRowId) {
      contents->retired.totals = std::move(base);
      for (const v1::MetricSeries& series : snapshot.series()) {
        int64_t nanos = 0;
        if (series.tags_size() != 1 || !absl::SimpleAtoi(series.tags(0).value(), &nanos)) {
          return unreadable("pending retirement");
        }
        contents->retired.pending.push_back({series.name(), absl::FromUnixNanos(nanos)});
      }
      return absl::OkStatus();
    }
    InstanceRecord record;
    const std::optional<absl::Time> received = ParseTime(row[1]);
    const std::optional<absl::Time> heartbeat = ParseTime(row[2]);
    uint64_t restarts = 0;
    uint64_t lost = 0;
    if (!received.has_value()) return unreadable("RECEIVED_AT");
    if (!heartbeat.has_value()) return unreadable("LAST_HEARTBEAT");
    if (!absl::SimpleAtoi(row[3].value_or(""), &restarts)) return unreadable("RESTARTS");
    if (!absl::SimpleAtoi(row[4].value_or(""), &lost)) return unreadable("LOST_SNAPSHOTS");
    snapshot.set_instance_id(id);
    record.snapshot = std::move(snapshot);
    record.restart_base = std::move(base);
    record.last_snapshot_at = *received;
    record.last_heartbeat_at = *heartbeat;
    record.restarts = restarts;
    record.lost_snapshots = lost;
    contents->instances.push_back(std::move(record));
    return absl::OkStatus();
  }

  const std::shared_ptr<SqlDatabase> db_;
  const Clock& clock_;
  const std::string context_;  // "shared-store table T in <url, password masked>"
  const Statements statements_;
};

// Creates the table (auto-ddl), or checks that it exists.
absl::Status EnsureTable(SqlDatabase& db, const TableSql& sql, bool auto_ddl) {
  if (!sql.schema.empty() && (auto_ddl || db.dialect() == SqlDialect::kSqlite)) {
    if (absl::Status status = db.EnsureSchema(sql.schema); !status.ok()) return status;
  }
  bool exists = false;
  const std::string& name = db.dialect() == SqlDialect::kPostgres ? sql.table : sql.bare_name;
  absl::StatusOr<int64_t> checked =
      db.ExecuteOnce(sql.exists, {SqlValue(absl::string_view(name))}, [&](SqlRowView row) {
        const absl::string_view value = row[0].value_or("");
        exists = value == "t" || value == "1";
      });
  if (!checked.ok()) return checked.status();
  if (exists) return absl::OkStatus();
  if (!auto_ddl) {
    return absl::FailedPreconditionError(
        absl::StrCat("table ", sql.display_table, " does not exist and ", kProperty,
                     ".auto-ddl is false; create it with: ", sql.create));
  }
  return db.ExecuteDdl(sql.create);
}

}  // namespace

absl::StatusOr<std::unique_ptr<SnapshotRepository>> OpenSqlSnapshotRepository(
    absl::string_view url, const SnapshotJdbcConfig& jdbc, const Clock& clock) {
  if (absl::StripAsciiWhitespace(url).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        kProperty, ".url: blank, and there is no failover.store.jdbc.url to fall back to"));
  }
  absl::StatusOr<std::shared_ptr<SqlDatabase>> db = OpenSqlDatabase(url);
  if (!db.ok()) {
    return Annotate(db.status(), absl::StrCat(kProperty, ".url: opening ", RedactUrlPassword(url)));
  }
  absl::StatusOr<TableSql> sql = BuildTableSql((*db)->dialect(), jdbc.table_prefix);
  if (!sql.ok()) return sql.status();
  const std::string context =
      absl::StrCat("shared-store table ", sql->display_table, " in ", (*db)->display_url());
  if (absl::Status status = EnsureTable(**db, *sql, jdbc.auto_ddl); !status.ok()) {
    return Annotate(status, context);
  }
  SqlSnapshotRepository::Statements ids{};
  for (const auto& [text, id] :
       {std::pair<const std::string*, SqlStatementId*>{&sql->upsert, &ids.upsert},
        {&sql->select_all, &ids.select_all},
        {&sql->delete_one, &ids.delete_one}}) {
    absl::StatusOr<SqlStatementId> prepared = (*db)->Prepare(*text);
    if (!prepared.ok()) return Annotate(prepared.status(), absl::StrCat(context, ": preparing"));
    *id = *prepared;
  }
  return std::make_unique<SqlSnapshotRepository>(*std::move(db), clock, context, ids);
}

}  // namespace dashboard
}  // namespace failover
