#include "store-jdbc/call/payload_codec.h"

#include <google/protobuf/stubs/common.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/wrappers.pb.h>

#include <limits>

#include "absl/strings/str_cat.h"

namespace failover {
namespace codec_internal {

absl::StatusOr<std::string> MessageToJson(const google::protobuf::Message& message,
                                          absl::string_view type_name) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("payload of type ", type_name,
                     " cannot be encoded as JSON: ", std::string(status.message())));
  }
  return json;
}

absl::Status JsonToMessage(absl::string_view json, absl::string_view type_name,
                           google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), message, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("payload of type ", type_name,
                     " is not valid JSON for it: ", std::string(status.message())));
  }
  return absl::OkStatus();
}

}  // namespace codec_internal

// The JSON string Jackson writes for a Java String: '"', '\\' and control characters escaped,
// everything else (UTF-8) as is. Written here rather than through protobuf's JSON printer,
// which costs ~1 us per call on the store path of every successful call; decoding (recovery
// only) stays with the library.
absl::StatusOr<std::string> StringCodec::Encode(const std::string& value) const {
  if (value.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      !google::protobuf::internal::IsStructurallyValidUTF8(value.data(),
                                                           static_cast<int>(value.size()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("payload of type ", type_name_, " is not valid UTF-8"));
  }
  std::string json;
  json.reserve(value.size() + 2);
  json.push_back('"');
  for (const char c : value) {
    switch (c) {
      case '"':
        json += "\\\"";
        break;
      case '\\':
        json += "\\\\";
        break;
      case '\b':
        json += "\\b";
        break;
      case '\f':
        json += "\\f";
        break;
      case '\n':
        json += "\\n";
        break;
      case '\r':
        json += "\\r";
        break;
      case '\t':
        json += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppend(&json, "\\u00",
                          absl::Hex(static_cast<unsigned char>(c), absl::kZeroPad2));
        } else {
          json.push_back(c);
        }
    }
  }
  json.push_back('"');
  return json;
}

absl::StatusOr<std::string> StringCodec::Decode(absl::string_view payload) const {
  google::protobuf::StringValue wrapper;
  absl::Status parsed = codec_internal::JsonToMessage(payload, type_name_, &wrapper);
  if (!parsed.ok()) return parsed;
  return wrapper.value();
}

}  // namespace failover
