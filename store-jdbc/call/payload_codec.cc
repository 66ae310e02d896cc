#include "store-jdbc/call/payload_codec.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/wrappers.pb.h>

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

absl::StatusOr<std::string> StringCodec::Encode(const std::string& value) const {
  google::protobuf::StringValue wrapper;
  wrapper.set_value(value);
  return codec_internal::MessageToJson(wrapper, type_name_);
}

absl::StatusOr<std::string> StringCodec::Decode(absl::string_view payload) const {
  google::protobuf::StringValue wrapper;
  absl::Status parsed = codec_internal::JsonToMessage(payload, type_name_, &wrapper);
  if (!parsed.ok()) return parsed;
  return wrapper.value();
}

}  // namespace failover
