// Building the API's JSON bodies as google::protobuf::Struct values, printed by protobuf's JSON
// printer: no hand-made JSON text anywhere in the API. Internal to //dashboard/api.
#ifndef FAILOVER_DASHBOARD_API_INTERNAL_JSON_H_
#define FAILOVER_DASHBOARD_API_INTERNAL_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/struct.pb.h"

namespace failover {
namespace dashboard {
namespace api_internal {

using google::protobuf::ListValue;
using google::protobuf::Struct;
using google::protobuf::Value;

void PutString(Struct& object, absl::string_view key, absl::string_view value);
void PutNumber(Struct& object, absl::string_view key, double value);
void PutBool(Struct& object, absl::string_view key, bool value);
void PutNull(Struct& object, absl::string_view key);
// RFC 3339 in UTC with fractional seconds ("2026-12-03T10:54:20.123Z"); null when `time` is
// InfinitePast() or InfiniteFuture() (never happened).
void PutTime(Struct& object, absl::string_view key, absl::Time time);
// A nested object / list at `key`, created empty.
Struct& PutObject(Struct& object, absl::string_view key);
ListValue& PutList(Struct& object, absl::string_view key);
// A new object / string appended to `list`.
Struct& AddObject(ListValue& list);
void AddString(ListValue& list, absl::string_view value);

// A Struct allocated on `arena`: its values, map nodes and strings go there too, so a large body
// is freed at once (half the time of api/metrics with 1,000 instances was malloc and free).
Struct& NewObject(google::protobuf::Arena& arena);

// Compact JSON text of `object`; an error when protobuf refuses it (e.g. a string that is not
// UTF-8).
absl::StatusOr<std::string> ToJson(const Struct& object);
// {"error": message}.
std::string ErrorJson(absl::string_view message);

}  // namespace api_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_API_INTERNAL_JSON_H_
