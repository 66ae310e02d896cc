// The configuration failoverd runs on when started without --config (tools/start): a secured
// shared-store dashboard whose state lives in one data folder.
//
//   std::ostringstream notice;
//   absl::StatusOr<std::string> yaml = PrepareDefaultConfig("/var/lib/failoverd", notice);
//   // *yaml: failover.* YAML; notice: the generated admin password, on the first start only.
//
// The data folder holds:
//   admin.hash    the admin user's PBKDF2 hash (the password is printed once, never stored)
//   ingest-token  the bearer token peers push with (mode 0600; the demo fleet reads it)
//   dashboard.db  the SQLite snapshot store (FAILOVER_DASHBOARD_SNAPSHOT)
//   store.db      the SQLite payload store failoverd serves read-only (FAILOVER_STORE)
//   naming/       the naming failover switch and services, in the Nacos disk failover format
//                 (naming/nacos/naming/{namespace}/failover), restored at start
// Environment variables still override every property (FAILOVER_DASHBOARD_LISTEN=...).
#ifndef FAILOVER_DASHBOARD_SERVER_DEFAULT_CONFIG_H_
#define FAILOVER_DASHBOARD_SERVER_DEFAULT_CONFIG_H_

#include <ostream>
#include <string>

#include "absl/status/statusor.h"

namespace failover {
namespace dashboard {

// Creates `data_dir` and its credentials when missing (writing the new admin password and where
// the token is to `notice`), then returns the YAML. The files are written atomically; an
// unreadable or malformed admin.hash is an error naming the file (never silently replaced).
// Not thread-safe with respect to other processes using the same folder at the same moment.
absl::StatusOr<std::string> PrepareDefaultConfig(const std::string& data_dir, std::ostream& notice);

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_SERVER_DEFAULT_CONFIG_H_
