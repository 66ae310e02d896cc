// The Redis failover drill: runs a SET/GET load through a RedisFailoverClient built from the
// operator's configuration, prints one line per second (operations, errors, active endpoint,
// switches) and ends with one line of JSON summarising the run, so operators can rehearse a
// failover against their own servers: start the drill, kill or pause a server, bring it back,
// and read what the client did.
//
//   failoverctl redis drill --config application.yml --duration 30s --threads 4 --keys 1000
//
//   1s  ops 41230  errors 0  active east
//   2s  ops 39870  errors 6  active west  | east -> west (HEALTH_CHECK) at 1.412s
//   ...
//   {"ops":1203311,"errors":6,"errors_by_kind":{"unavailable":6},"switches":[{"at_ms":1412,
//    "from":"east","to":"west","reason":"HEALTH_CHECK"},...],"max_latency_ms":203,
//    "final_endpoint":"east"}
//
// Thread-safety: RunRedisDrill is reentrant; `stop` may be set from any thread (or a signal
// handler: it is only loaded).
#ifndef FAILOVER_TOOLS_FAILOVERCTL_REDIS_DRILL_H_
#define FAILOVER_TOOLS_FAILOVERCTL_REDIS_DRILL_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "redis-failover/redis_client_options.h"

namespace failover {

struct RedisDrillOptions {
  absl::Duration duration = absl::Seconds(30);
  int threads = 4;
  int keys = 1000;  // SET/GET over keys drill:0 .. drill:<keys-1>.
  absl::Duration report_every = absl::Seconds(1);
  // InvalidArgument naming the bad flag.
  absl::Status Validate() const;
};

struct DrillSwitch {
  int64_t at_ms = 0;  // Since the start of the load.
  std::string from;   // Empty when coming back from "all endpoints down".
  std::string to;     // Empty when every endpoint went down.
  std::string reason;
};

struct DrillSummary {
  int64_t ops = 0;
  int64_t errors = 0;
  std::map<std::string, int64_t> errors_by_kind;  // "unavailable", "all_endpoints_down", ...
  std::vector<DrillSwitch> switches;
  int64_t max_latency_ms = 0;
  std::string final_endpoint;
  bool interrupted = false;  // Stopped by `stop` before the duration ran out.

  // One line: {"ops":N,"errors":N,"errors_by_kind":{...},"switches":[...],
  // "max_latency_ms":N,"final_endpoint":"east"}
  std::string ToJson() const;
};

// Runs the drill; progress lines and, last, the summary's JSON go to `out`. Returns the summary,
// or the client's start-up error (nothing is printed then).
absl::StatusOr<DrillSummary> RunRedisDrill(const RedisDrillOptions& options,
                                           redis::RedisClientOptions client_options,
                                           std::ostream& out, const std::atomic<bool>& stop);

// The kind an error is counted under: "all_endpoints_down", "all_endpoints_unavailable",
// "breaker_open", or the status code in lower case ("unavailable", "deadline_exceeded", ...).
std::string DrillErrorKind(const absl::Status& status);

}  // namespace failover

#endif  // FAILOVER_TOOLS_FAILOVERCTL_REDIS_DRILL_H_
