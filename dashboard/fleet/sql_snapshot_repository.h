// The durable SnapshotRepository (failover.dashboard.cluster.shared-store.store: jdbc): one row
// per instance in {table-prefix}FAILOVER_DASHBOARD_SNAPSHOT of SQLite or PostgreSQL, through
// store-jdbc's SQL adapters:
//
//   INSTANCE_ID VARCHAR(256) NOT NULL PRIMARY KEY, PROCESS_START BIGINT NOT NULL,
//   SEQUENCE BIGINT NOT NULL, RECEIVED_AT BIGINT, LAST_HEARTBEAT BIGINT,
//   RESTARTS BIGINT NOT NULL, LOST_SNAPSHOTS BIGINT NOT NULL, SAVED_AT BIGINT NOT NULL,
//   SNAPSHOT TEXT NOT NULL, BASE TEXT NOT NULL
//
// Times are Unix nanoseconds (NULL = never; SAVED_AT is the injected clock's wall time of the
// write). SNAPSHOT and BASE are the binary protobuf MetricsSnapshot (latest snapshot; restart
// base) in base64, since the SQL adapters bind text parameters and PostgreSQL text cannot hold
// NUL bytes. The row with INSTANCE_ID '' (never a valid instance id) holds the retired totals.
// In PostgreSQL the names are folded to lower case; a prefix `schema.PREFIX_` puts the table in
// that schema (created with auto-ddl; SQLite attaches <db stem>.<schema>.db).
//
// Thread-safety: safe for concurrent use (the SQL adapters are).
//
//   absl::StatusOr<std::unique_ptr<SnapshotRepository>> repository =
//       OpenSqlSnapshotRepository("sqlite:///var/lib/failoverd/dashboard.db", jdbc, clock);
#ifndef FAILOVER_DASHBOARD_FLEET_SQL_SNAPSHOT_REPOSITORY_H_
#define FAILOVER_DASHBOARD_FLEET_SQL_SNAPSHOT_REPOSITORY_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/clock.h"
#include "core/config/dashboard_config.h"
#include "dashboard/fleet/snapshot_repository.h"

namespace failover {
namespace dashboard {

// Opens `url` (sqlite://path, postgresql://user:pass@host:port/db: jdbc.url, or the payload
// store's URL when that is blank; `jdbc.url` itself is not read) and checks the table: created
// if missing when jdbc.auto_ddl, else FAILED_PRECONDITION naming the missing table.
// INVALID_ARGUMENT naming the property for a blank URL or a bad table prefix; UNAVAILABLE when
// the database cannot be reached. Passwords never appear in messages. `clock` must outlive the
// repository.
absl::StatusOr<std::unique_ptr<SnapshotRepository>> OpenSqlSnapshotRepository(
    absl::string_view url, const SnapshotJdbcConfig& jdbc, const Clock& clock);

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_FLEET_SQL_SNAPSHOT_REPOSITORY_H_
