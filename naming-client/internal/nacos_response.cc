#include "naming-client/internal/nacos_response.h"

#include <cmath>
#include <map>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "naming-client/service_info_json.h"

namespace failover {
namespace naming {
namespace nacos_internal {
namespace {

constexpr size_t kMaxQuotedBody = 200;

// Enough of a body to recognise it in a message, on one line.
std::string Excerpt(absl::string_view body) {
  std::string text(absl::StripAsciiWhitespace(body.substr(0, kMaxQuotedBody)));
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (body.size() > kMaxQuotedBody) absl::StrAppend(&text, "...");
  return text;
}

absl::StatusCode CodeForRefusal(int http_status, int code) {
  switch (code) {
    case 20004:  // resource not found
    case 21008:  // service not exist
    case 22001:  // namespace not exist
      return absl::StatusCode::kNotFound;
    case 10000:  // parameter missing
    case 20001:  // 'tenant' parameter error
    case 20002:  // parameter validate error
    case 20009:  // parameter mismatch
    case 21000:  // service name error
    case 22000:  // illegal namespace
      return absl::StatusCode::kInvalidArgument;
    case 10001:  // access denied
      return absl::StatusCode::kPermissionDenied;
    default:
      break;
  }
  switch (http_status) {
    case 400:
      return absl::StatusCode::kInvalidArgument;
    case 401:
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 404:
      return absl::StatusCode::kNotFound;
    default:
      return absl::StatusCode::kFailedPrecondition;
  }
}

absl::Status ServerFault(absl::string_view what, absl::string_view why) {
  return absl::UnavailableError(absl::StrCat(what, ": ", why));
}

absl::StatusOr<google::protobuf::Value> ParseJsonValue(absl::string_view json) {
  google::protobuf::Value value;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &value);
  if (!status.ok()) {
    const auto message = status.message();
    return absl::InvalidArgumentError(absl::string_view(message.data(), message.size()));
  }
  return value;
}

// The members of a JSON object parsed as google.protobuf.Value (empty if it is not an object),
// read through reflection. protobuf's Map lookups are inline templates: compiled here under
// ThreadSanitizer they do not match the uninstrumented libprotobuf that filled the map, and crash.
std::map<std::string, google::protobuf::Value> MembersOf(const google::protobuf::Value& object) {
  std::map<std::string, google::protobuf::Value> members;
  if (!object.has_struct_value()) return members;
  const google::protobuf::Struct& s = object.struct_value();
  const google::protobuf::FieldDescriptor* fields = s.GetDescriptor()->FindFieldByName("fields");
  const google::protobuf::Reflection* reflection = s.GetReflection();
  for (int i = 0; i < reflection->FieldSize(s, fields); ++i) {
    const google::protobuf::Message& entry = reflection->GetRepeatedMessage(s, fields, i);
    const google::protobuf::Descriptor* type = entry.GetDescriptor();
    const google::protobuf::Reflection* entry_reflection = entry.GetReflection();
    google::protobuf::Value value;
    value.CopyFrom(entry_reflection->GetMessage(entry, type->FindFieldByName("value")));
    members[entry_reflection->GetString(entry, type->FindFieldByName("key"))] = std::move(value);
  }
  return members;
}

// A number, or a string holding one ("code": "0" from a lenient proxy); nullopt otherwise.
std::optional<int> IntOf(const google::protobuf::Value& v) {
  if (v.kind_case() == google::protobuf::Value::kNumberValue) {
    const double d = v.number_value();
    if (std::isfinite(d) && std::trunc(d) == d && std::abs(d) < 2e9) return static_cast<int>(d);
    return std::nullopt;
  }
  int i = 0;
  if (v.kind_case() == google::protobuf::Value::kStringValue &&
      absl::SimpleAtoi(v.string_value(), &i)) {
    return i;
  }
  return std::nullopt;
}

std::string TextOf(const google::protobuf::Value& v) {
  if (v.kind_case() == google::protobuf::Value::kStringValue) return v.string_value();
  if (v.kind_case() == google::protobuf::Value::kNullValue) return "";
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(v, &json);
  return json;
}

// A v2 error body: {"code":20004,"message":"resource not found","data":"service not found: x"}.
// Falls back to the raw body when it is not one (a proxy's HTML page, Spring's error JSON).
absl::Status RefusalFromBody(bool v2, absl::string_view what, int http_status,
                             absl::string_view body) {
  if (v2) {
    absl::StatusOr<google::protobuf::Value> parsed = ParseJsonValue(body);
    if (parsed.ok()) {
      const std::map<std::string, google::protobuf::Value> members = MembersOf(*parsed);
      const auto code = members.find("code");
      const std::optional<int> code_value =
          code == members.end() ? std::nullopt : IntOf(code->second);
      if (code_value.has_value()) {
        const auto message = members.find("message");
        const auto data = members.find("data");
        std::string text = message == members.end() ? "" : TextOf(message->second);
        const std::string detail = data == members.end() ? "" : TextOf(data->second);
        if (!detail.empty()) absl::StrAppend(&text, text.empty() ? "" : ": ", detail);
        return NacosRefusal(what, http_status, *code_value, text);
      }
    }
  }
  std::string text = Excerpt(body);
  if (http_status == 404 && v2) {
    absl::StrAppend(&text, " (does this server serve the v2 Open API? Nacos < 2.2 does not, and ",
                    "3.x only with the admin API enabled)");
  }
  return NacosRefusal(what, http_status, http_status, text);
}

InstanceListOutcome Parsed(absl::string_view what, absl::string_view json) {
  InstanceListOutcome outcome;
  absl::StatusOr<v1::ServiceInfo> info = ParseServiceInfoJson(json);
  if (!info.ok()) {
    outcome.status =
        ServerFault(what, absl::StrCat("unreadable ServiceInfo: ", info.status().message()));
    outcome.server_fault = true;
    return outcome;
  }
  outcome.info = *std::move(info);
  return outcome;
}

InstanceListOutcome ReadV2Success(absl::string_view what, absl::string_view body) {
  InstanceListOutcome outcome;
  absl::StatusOr<google::protobuf::Value> parsed = ParseJsonValue(body);
  std::map<std::string, google::protobuf::Value> members;
  if (parsed.ok()) members = MembersOf(*parsed);
  const auto code_member = members.find("code");
  const std::optional<int> code =
      code_member == members.end() ? std::nullopt : IntOf(code_member->second);
  if (!code.has_value()) {
    outcome.status = ServerFault(
        what, absl::StrCat("not a Nacos v2 result (expected {\"code\":0,\"data\":{...}}): ",
                           parsed.ok() ? Excerpt(body) : parsed.status().message()));
    outcome.server_fault = true;
    return outcome;
  }
  if (*code != 0) {
    outcome.status = RefusalFromBody(/*v2=*/true, what, 200, body);
    return outcome;
  }
  const auto data = members.find("data");
  if (data == members.end() || !data->second.has_struct_value()) {
    outcome.status = ServerFault(what, "v2 result with code 0 but no \"data\" object");
    outcome.server_fault = true;
    return outcome;
  }
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(data->second, &json);
  return Parsed(what, json);
}

}  // namespace

absl::Status NacosRefusal(absl::string_view what, int http_status, int code,
                          absl::string_view message) {
  const std::string code_text = code == http_status
                                    ? absl::StrCat("HTTP ", http_status)
                                    : absl::StrCat("HTTP ", http_status, ", code ", code);
  absl::Status status(CodeForRefusal(http_status, code),
                      absl::StrCat(what, ": refused by Nacos (", code_text, "): ", message));
  status.SetPayload(kNacosErrorPayload, absl::Cord(absl::StrCat(http_status, " ", code)));
  return status;
}

InstanceListOutcome ReadInstanceList(bool v2, absl::string_view what,
                                     const absl::StatusOr<HttpResponse>& response) {
  InstanceListOutcome outcome;
  if (!response.ok()) {
    outcome.status = absl::Status(response.status().code(),
                                  absl::StrCat(what, ": ", response.status().message()));
    outcome.server_fault = true;
    return outcome;
  }
  const int http_status = response->status;
  if (http_status >= 500) {
    outcome.status =
        ServerFault(what, absl::StrCat("HTTP ", http_status, ": ", Excerpt(response->body)));
    outcome.server_fault = true;
    return outcome;
  }
  if (http_status >= 400) {
    outcome.status = RefusalFromBody(v2, what, http_status, response->body);
    return outcome;
  }
  if (http_status != 200) {
    outcome.status = ServerFault(
        what, absl::StrCat("unexpected HTTP ", http_status, ": ", Excerpt(response->body)));
    outcome.server_fault = true;
    return outcome;
  }
  if (v2) return ReadV2Success(what, response->body);
  // The Java client reads an empty 200 as a service with no hosts; so do we.
  if (absl::StripAsciiWhitespace(response->body).empty()) {
    outcome.info.emplace();
    return outcome;
  }
  return Parsed(what, response->body);
}

}  // namespace nacos_internal
}  // namespace naming
}  // namespace failover
