#include "dashboard/http/internal/http_reply.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace failover {
namespace dashboard {
namespace http_internal {

HttpReply JsonReply(int status, const google::protobuf::Struct& object) {
  HttpReply reply;
  reply.status = status;
  const auto printed = google::protobuf::util::MessageToJsonString(object, &reply.body);
  if (!printed.ok()) {
    // Not UTF-8 somewhere (a payload, a key): report it in ASCII, which always prints.
    return ErrorReply(500, absl::StrCat("the response cannot be written as JSON: ",
                                        absl::CHexEscape(std::string(printed.message()))));
  }
  return reply;
}

HttpReply ErrorReply(int status, absl::string_view message) {
  google::protobuf::Struct object;
  PutString(object, "error", message);
  HttpReply reply;
  reply.status = status;
  if (!google::protobuf::util::MessageToJsonString(object, &reply.body).ok()) {
    reply.body.clear();
    google::protobuf::Struct ascii;
    PutString(ascii, "error", absl::CHexEscape(message));
    (void)google::protobuf::util::MessageToJsonString(ascii, &reply.body);  // ASCII prints.
  }
  return reply;
}

HttpReply StatusReply(const absl::Status& status) {
  return ErrorReply(HttpStatusOf(status.code()), status.message());
}

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

void PutString(google::protobuf::Struct& object, absl::string_view key, absl::string_view value) {
  (*object.mutable_fields())[std::string(key)].set_string_value(std::string(value));
}

void PutNumber(google::protobuf::Struct& object, absl::string_view key, double value) {
  (*object.mutable_fields())[std::string(key)].set_number_value(value);
}

void PutBool(google::protobuf::Struct& object, absl::string_view key, bool value) {
  (*object.mutable_fields())[std::string(key)].set_bool_value(value);
}

absl::StatusOr<int> ParsePageSize(absl::string_view param_name, absl::string_view text,
                                  int fallback, int max) {
  if (text.empty()) return fallback;
  int value = 0;
  if (!absl::SimpleAtoi(text, &value) || value <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(param_name, ": '", text, "' is not a positive number"));
  }
  return std::min(value, max);
}

std::string MediaType(absl::string_view content_type) {
  const size_t semicolon = content_type.find(';');
  if (semicolon != absl::string_view::npos) content_type = content_type.substr(0, semicolon);
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(content_type));
}

}  // namespace http_internal
}  // namespace dashboard
}  // namespace failover
