// HttpReply: what a route handler answers, before the server writes it to httplib's response,
// and the JSON helpers the handlers build their bodies with (google::protobuf::Struct printed by
// protobuf's JSON printer, so no JSON text is assembled by hand). Thread-compatible values.
#ifndef FAILOVER_DASHBOARD_HTTP_INTERNAL_HTTP_REPLY_H_
#define FAILOVER_DASHBOARD_HTTP_INTERNAL_HTTP_REPLY_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"

namespace failover {
namespace dashboard {
namespace http_internal {

inline constexpr absl::string_view kJsonType = "application/json";

struct HttpReply {
  int status = 200;
  std::string content_type = std::string(kJsonType);
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Cache-Control: "no-cache" (static UI files: browsers may keep them but must revalidate)
  // instead of "no-store" (API answers, errors).
  bool static_file = false;
};

// The printed `object`; 500 {"error": ...} when protobuf refuses it (a string that is not UTF-8).
HttpReply JsonReply(int status, const google::protobuf::Struct& object);
// {"error": message}.
HttpReply ErrorReply(int status, absl::string_view message);
// ErrorReply with the HTTP status of `status`'s code and its message.
HttpReply StatusReply(const absl::Status& status);
// InvalidArgument 400, NotFound 404, FailedPrecondition 409, PermissionDenied 403,
// Unavailable 503, DeadlineExceeded 504, others 500.
int HttpStatusOf(absl::StatusCode code);

void PutString(google::protobuf::Struct& object, absl::string_view key, absl::string_view value);
void PutNumber(google::protobuf::Struct& object, absl::string_view key, double value);
void PutBool(google::protobuf::Struct& object, absl::string_view key, bool value);

// A query parameter's value, "" when absent.
using ParamLookup = std::function<std::string(absl::string_view name)>;

// A positive page size from `text` ("" = `fallback`), at most `max`; InvalidArgument naming
// `param_name` otherwise.
absl::StatusOr<int> ParsePageSize(absl::string_view param_name, absl::string_view text,
                                  int fallback, int max);

// The media type of a Content-Type header: lower case, parameters dropped
// ("Application/JSON; charset=utf-8" -> "application/json").
std::string MediaType(absl::string_view content_type);

}  // namespace http_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_HTTP_INTERNAL_HTTP_REPLY_H_
