// Reading one answer to a Nacos instance-list request (v1 bare ServiceInfo, v2 Result envelope)
// and deciding whose fault a failure is. Internal to NacosHttpUpstream.
#ifndef FAILOVER_NAMING_CLIENT_INTERNAL_NACOS_RESPONSE_H_
#define FAILOVER_NAMING_CLIENT_INTERNAL_NACOS_RESPONSE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "naming-client/http_client.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {
namespace nacos_internal {

// Payload of a refusal: "HTTP_STATUS CODE".
inline constexpr absl::string_view kNacosErrorPayload = "type.failover/naming.NacosError";

struct InstanceListOutcome {
  // Set on success.
  std::optional<v1::ServiceInfo> info;
  // Not OK on failure, naming the server and the request.
  absl::Status status;
  // True when the failure is the server's (no answer, 5xx, unreadable 200): count it and try
  // the next server. False for an answer Nacos meant (4xx, v2 code != 0).
  bool server_fault = false;
};

// `what` names the request in messages, e.g. "nacos 10.0.0.1:8848 v2 instance list of
// DEFAULT_GROUP@@orders". Pure function; thread-safe.
InstanceListOutcome ReadInstanceList(bool v2, absl::string_view what,
                                     const absl::StatusOr<HttpResponse>& response);

// The status for a refusal by Nacos, with the payload GetNacosError() reads.
absl::Status NacosRefusal(absl::string_view what, int http_status, int code,
                          absl::string_view message);

}  // namespace nacos_internal
}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_INTERNAL_NACOS_RESPONSE_H_
