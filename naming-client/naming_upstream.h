// NamingUpstream: where the naming client gets a service's current instances from (a Nacos server
// over HTTP today, see nacos_http_upstream.h). The ServicePoller (service_poller.h) polls one.
//
//   absl::StatusOr<failover::v1::ServiceInfo> info =
//       upstream.Query({"DEFAULT_GROUP", "orders", ""}, /*healthy_only=*/false);
//   if (!info.ok()) { ... keep serving what you had ... }
#ifndef FAILOVER_NAMING_CLIENT_NAMING_UPSTREAM_H_
#define FAILOVER_NAMING_CLIENT_NAMING_UPSTREAM_H_

#include "absl/status/statusor.h"
#include "naming-client/service_key.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {

// Thread-safe: implementations must allow concurrent Query() calls from any thread.
class NamingUpstream {
 public:
  virtual ~NamingUpstream() = default;

  // The instances of `key.group`/`key.service`, restricted to `key.clusters` when not empty,
  // only the healthy ones if `healthy_only`. The result's identity is the key's: `name` is
  // key.service (no group prefix), `groupName` key.group, `clusters` key.clusters. A service the
  // registry does not know is a result with no hosts or NOT_FOUND, as the registry answers.
  // May block for I/O (bounded by the implementation's timeouts).
  virtual absl::StatusOr<v1::ServiceInfo> Query(const ServiceKey& key, bool healthy_only) = 0;
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_NAMING_UPSTREAM_H_
