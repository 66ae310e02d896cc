// The ingest endpoints' work once a request is authenticated and exposed: decode the body
// (binary protobuf or protobuf JSON, by Content-Type) and hand it to the IngestSink.
// Thread-safe if the sink is.
#ifndef FAILOVER_DASHBOARD_HTTP_INTERNAL_INGEST_HANDLER_H_
#define FAILOVER_DASHBOARD_HTTP_INTERNAL_INGEST_HANDLER_H_

#include "absl/strings/string_view.h"
#include "dashboard/http/internal/http_reply.h"
#include "dashboard/ingest_sink.h"

namespace failover {
namespace dashboard {
namespace http_internal {

enum class IngestKind { kSnapshot, kHeartbeat };

// 202 {"accepted":true}; 409 when `sink` is null (not shared-store mode); 415 for a content
// type other than application/x-protobuf (or application/protobuf) and application/json; 400
// naming the problem for a body that does not decode or that the sink refuses as invalid; 503
// when the sink is unavailable.
HttpReply HandleIngest(IngestSink* sink, IngestKind kind, absl::string_view content_type,
                       absl::string_view body);

}  // namespace http_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_HTTP_INTERNAL_INGEST_HANDLER_H_
