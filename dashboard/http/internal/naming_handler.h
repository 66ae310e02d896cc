// The naming admin endpoints (exposure name "naming") over naming::FailoverDataStore: the failover
// switch and the failover services failoverd serves to naming clients, per Nacos namespace.
//   GET  api/naming/switch?namespace=     {"namespace","enabled","reason","revision"}
//   PUT  api/naming/switch?namespace=     body {"enabled":true,"reason":"..."}; the reason is
//                                         stored as "<principal>: <reason>"
//   GET  api/naming/services?namespace=&pageSize=&afterKey=
//                                         {"namespace","revision","services":[{"key",
//                                         "revision","hosts"}],"nextAfterKey"}
//   GET  api/naming/services/{key}        {"key","revision","service":<Nacos ServiceInfo>}
//   PUT  api/naming/services/{key}        body: Nacos ServiceInfo JSON -> {"key","revision"}
//   DELETE api/naming/services/{key}      {"key","revision"}; 404 when absent
// Thread-safe (the store is).
#ifndef FAILOVER_DASHBOARD_HTTP_INTERNAL_NAMING_HANDLER_H_
#define FAILOVER_DASHBOARD_HTTP_INTERNAL_NAMING_HANDLER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "dashboard/http/internal/http_reply.h"
#include "dashboard/http/internal/route.h"
#include "naming-client/failover_data_store.h"

namespace failover {
namespace dashboard {
namespace http_internal {

struct NamingRequest {
  RouteKind kind = RouteKind::kNamingSwitch;  // kNamingSwitch, kNamingServices, kNamingService.
  unsigned method = kGet;                     // One Method bit, allowed for `kind`.
  std::string key;                            // kNamingService.
  ParamLookup param;
  absl::string_view body;
  std::string principal;  // Who asks ("" when security is off).
};

HttpReply HandleNaming(naming::FailoverDataStore& store, const NamingRequest& request);

}  // namespace http_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_HTTP_INTERNAL_NAMING_HANDLER_H_
