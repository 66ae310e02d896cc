// The answer of `failoverctl naming lookup`: what a naming client's FailoverReactor serves from a
// failover directory for one service, computed by a real reactor over the disk source, and, when
// it serves nothing, why (from exactly what that reactor read).
//
//   absl::StatusOr<FailoverLookup> answer =
//       LookupFailover("/home/app/nacos/naming/public/failover", {"DEFAULT_GROUP", "orders",
//       "c1"});
//   if (answer.ok() && answer->info == nullptr) std::cerr << answer->why_not;
//   // "no host of DEFAULT_GROUP@@orders (file 'DEFAULT_GROUP%40%40orders') is in clusters c1
//   //  (its hosts are in: c2)"
#ifndef FAILOVER_TOOLS_FAILOVERCTL_NAMING_LOOKUP_H_
#define FAILOVER_TOOLS_FAILOVERCTL_NAMING_LOOKUP_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "naming-client/service_key.h"
#include "proto/naming.pb.h"

namespace failover {

struct FailoverLookup {
  // FailoverReactor::Lookup(key): nullptr means a client falls through to its normal lookup.
  std::shared_ptr<const v1::ServiceInfo> info;
  // When info is nullptr: the switch's state and reason, or the missing, unusable, empty or
  // filtered-out data, naming the file.
  std::string why_not;
};

// Reads `directory` once (no polling, no thread) and looks `key` up. An error only when the
// reactor cannot be created. Reentrant.
absl::StatusOr<FailoverLookup> LookupFailover(const std::string& directory,
                                              const naming::ServiceKey& key);

}  // namespace failover

#endif  // FAILOVER_TOOLS_FAILOVERCTL_NAMING_LOOKUP_H_
