#include "dashboard/http/internal/payloads_handler.h"

#include <string>

#include "absl/time/time.h"

namespace failover {
namespace dashboard {
namespace http_internal {
namespace {

using google::protobuf::Struct;

void PutTime(Struct& object, absl::string_view key, absl::Time time) {
  PutString(object, key, absl::FormatTime(absl::RFC3339_full, time, absl::UTCTimeZone()));
}

void PutEntry(Struct& object, const FailoverStoreEntry& entry) {
  PutString(object, "name", entry.name);
  PutString(object, "key", entry.key);
  PutTime(object, "asOf", entry.as_of);
  PutTime(object, "expireOn", entry.expire_on);
  PutString(object, "payload", entry.payload);
  PutString(object, "payloadClass", entry.payload_type);
}

}  // namespace

HttpReply HandlePayloads(PayloadReader& reader, const ParamLookup& param) {
  const std::string name = param("name");
  const std::string key = param("key");
  const std::string raw_key = param("rawKey");
  const std::string tenant = param("tenant");
  if (!key.empty() || !raw_key.empty()) {
    absl::StatusOr<FailoverStoreEntry> entry = reader.Get(name, key, raw_key, tenant);
    if (!entry.ok()) return StatusReply(entry.status());
    Struct object;
    PutEntry(object, *entry);
    return JsonReply(200, object);
  }
  absl::StatusOr<int> page_size = ParsePageSize(
      "pageSize", param("pageSize"), PayloadReader::kDefaultPageSize, PayloadReader::kMaxPageSize);
  if (!page_size.ok()) return StatusReply(page_size.status());
  absl::StatusOr<PayloadPage> page = reader.List(name, *page_size, param("pageToken"), tenant);
  if (!page.ok()) return StatusReply(page.status());
  Struct object;
  google::protobuf::ListValue& entries =
      *(*object.mutable_fields())["entries"].mutable_list_value();
  for (const FailoverStoreEntry& entry : page->entries) {
    PutEntry(*entries.add_values()->mutable_struct_value(), entry);
  }
  PutString(object, "nextPageToken", page->next_page_token);
  return JsonReply(200, object);
}

}  // namespace http_internal
}  // namespace dashboard
}  // namespace failover
