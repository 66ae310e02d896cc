#include "dashboard/api/internal/json.h"

#include <cmath>
#include <string>
#include <utility>

#include "google/protobuf/util/json_util.h"

namespace failover {
namespace dashboard {
namespace api_internal {
namespace {

Value& Field(Struct& object, absl::string_view key) {
  return (*object.mutable_fields())[std::string(key)];
}

}  // namespace

void PutString(Struct& object, absl::string_view key, absl::string_view value) {
  Field(object, key).set_string_value(std::string(value));
}

void PutNumber(Struct& object, absl::string_view key, double value) {
  // JSON has no NaN or infinities; protobuf's printer would refuse the whole message.
  if (!std::isfinite(value)) {
    PutNull(object, key);
    return;
  }
  Field(object, key).set_number_value(value);
}

void PutBool(Struct& object, absl::string_view key, bool value) {
  Field(object, key).set_bool_value(value);
}

void PutNull(Struct& object, absl::string_view key) {
  Field(object, key).set_null_value(google::protobuf::NULL_VALUE);
}

void PutTime(Struct& object, absl::string_view key, absl::Time time) {
  if (time == absl::InfinitePast() || time == absl::InfiniteFuture()) {
    PutNull(object, key);
    return;
  }
  // RFC 3339 with "Z" (absl's RFC3339_full writes "+00:00" for UTC).
  PutString(object, key, absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", time, absl::UTCTimeZone()));
}

Struct& PutObject(Struct& object, absl::string_view key) {
  return *Field(object, key).mutable_struct_value();
}

ListValue& PutList(Struct& object, absl::string_view key) {
  return *Field(object, key).mutable_list_value();
}

Struct& AddObject(ListValue& list) { return *list.add_values()->mutable_struct_value(); }

void AddString(ListValue& list, absl::string_view value) {
  list.add_values()->set_string_value(std::string(value));
}

Struct& NewObject(google::protobuf::Arena& arena) {
  return *google::protobuf::Arena::CreateMessage<Struct>(&arena);
}

absl::StatusOr<std::string> ToJson(const Struct& object) {
  std::string out;
  const auto status = google::protobuf::util::MessageToJsonString(object, &out);
  // protobuf 3.21 has its own Status type: map it here, at the adapter.
  if (!status.ok()) return absl::InternalError(std::string(status.message()));
  return out;
}

std::string ErrorJson(absl::string_view message) {
  Struct object;
  PutString(object, "error", message);
  absl::StatusOr<std::string> json = ToJson(object);
  if (json.ok()) return *std::move(json);
  // The message itself was refused (not UTF-8): say so without it.
  PutString(object, "error", "an error occurred whose message is not valid UTF-8");
  return ToJson(object).value_or("{}");
}

}  // namespace api_internal
}  // namespace dashboard
}  // namespace failover
