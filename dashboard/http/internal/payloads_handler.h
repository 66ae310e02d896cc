// The payload read endpoint (exposure name "payloads") over PayloadReader:
//   GET api/payloads?name=N&key=K | &rawKey=R [&tenant=T]
//       {"name","key","asOf","expireOn","payload","payloadClass"}
//   GET api/payloads?name=N[&pageSize=&pageToken=&tenant=]
//       {"entries":[...as above...],"nextPageToken"}
// Times are RFC 3339 in UTC. Errors as the reader reports them (400, 404, 503, ...).
// Thread-safe (the reader is).
#ifndef FAILOVER_DASHBOARD_HTTP_INTERNAL_PAYLOADS_HANDLER_H_
#define FAILOVER_DASHBOARD_HTTP_INTERNAL_PAYLOADS_HANDLER_H_

#include "dashboard/http/internal/http_reply.h"
#include "dashboard/payloads/payload_reader.h"

namespace failover {
namespace dashboard {
namespace http_internal {

HttpReply HandlePayloads(PayloadReader& reader, const ParamLookup& param);

}  // namespace http_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_HTTP_INTERNAL_PAYLOADS_HANDLER_H_
