// LocalHostName: this machine's host name, for resolving a blank instance id in production.
// Logic takes the host name as a parameter (InstanceTagPolicy::Create); only main() or a wiring
// layer calls this.
//
//   absl::StatusOr<std::string> host = failover::LocalHostName();
//   std::string id = failover::ResolveInstanceId("", "orders", host.value_or(""));
#ifndef FAILOVER_CORE_METRICS_HOST_NAME_H_
#define FAILOVER_CORE_METRICS_HOST_NAME_H_

#include <string>

#include "absl/status/statusor.h"

namespace failover {

// gethostname(2). Thread-safe. Fails (code mapped from errno) if the call fails, NotFound if
// the name is empty.
absl::StatusOr<std::string> LocalHostName();

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_HOST_NAME_H_
