// `failoverctl metrics`: the current registry of a running failoverd, in Prometheus text, read
// from its /metrics endpoint at the address the same configuration file makes it listen on.
//
//   FAILOVERD_PASSWORD=... failoverctl metrics --config failoverd.yml
//       --user alice --password-env FAILOVERD_PASSWORD [--timeout 10]     (one command line)
//   # HELP failover_dashboard_ingest_total failover.dashboard.ingest.total
//   # TYPE failover_dashboard_ingest_total counter
//   ...
//
// The file is loaded as failoverd loads it (environment overrides such as
// FAILOVER_DASHBOARD_LISTEN applied); failover.dashboard.listen gives the address, a wildcard
// host (0.0.0.0, ::) becoming the loopback address of its family. The body is printed to stdout
// exactly as failoverd sent it. The password is read from the environment variable --password-env
// names, never from the command line (where `ps` shows it).
//
// Exit codes: 0 printed; 1 invalid configuration, failoverd unreachable or refusing (401: pass
// --user and --password-env; 403; 429 locked out; any other HTTP error), message on stderr;
// 2 usage error.
#ifndef FAILOVER_TOOLS_FAILOVERCTL_METRICS_COMMAND_H_
#define FAILOVER_TOOLS_FAILOVERCTL_METRICS_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/config/environment.h"

namespace failover {

// The metrics command's part of failoverctl's usage text.
absl::string_view MetricsUsage();

// "http://HOST:PORT" to reach a server listening on `listen` (failover.dashboard.listen's
// "host:port" or "[v6]:port"): 0.0.0.0 -> 127.0.0.1, :: -> [::1], other IPv6 hosts bracketed.
// InvalidArgument naming the property for a malformed value or port 0 (picked at start, so
// unknown here).
absl::StatusOr<std::string> DashboardOrigin(absl::string_view listen);

// Runs `failoverctl metrics ARGS...`; `args` excludes "metrics". Thread-compatible.
int RunMetricsCommand(const std::vector<std::string>& args, const Environment& env,
                      std::ostream& out, std::ostream& err);

}  // namespace failover

#endif  // FAILOVER_TOOLS_FAILOVERCTL_METRICS_COMMAND_H_
