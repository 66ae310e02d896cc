#include "dashboard/http/internal/naming_handler.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "naming-client/service_info_json.h"

namespace failover {
namespace dashboard {
namespace http_internal {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;

std::string NamespaceOf(const NamingRequest& request) {
  std::string nacos_namespace = request.param("namespace");
  return nacos_namespace.empty() ? "public" : nacos_namespace;
}

HttpReply SwitchReply(absl::string_view nacos_namespace, const naming::StoredSwitch& state) {
  Struct object;
  PutString(object, "namespace", nacos_namespace);
  PutBool(object, "enabled", state.enabled);
  PutString(object, "reason", state.reason);
  PutNumber(object, "revision", static_cast<double>(state.revision));
  return JsonReply(200, object);
}

HttpReply KeyRevisionReply(absl::string_view key, uint64_t revision) {
  Struct object;
  PutString(object, "key", key);
  PutNumber(object, "revision", static_cast<double>(revision));
  return JsonReply(200, object);
}

HttpReply PutSwitch(naming::FailoverDataStore& store, const NamingRequest& request,
                    const std::string& nacos_namespace) {
  Struct body;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(request.body.data(), request.body.size()), &body);
  if (!parsed.ok()) {
    return ErrorReply(
        400, absl::StrCat("the body is not a JSON object: ", std::string(parsed.message())));
  }
  const auto enabled = body.fields().find("enabled");
  if (enabled == body.fields().end() || enabled->second.kind_case() != Value::kBoolValue) {
    return ErrorReply(400, "enabled: required, true or false");
  }
  std::string reason;
  const auto given = body.fields().find("reason");
  if (given != body.fields().end() && given->second.kind_case() != Value::kNullValue) {
    if (given->second.kind_case() != Value::kStringValue) {
      return ErrorReply(400, "reason: must be a string");
    }
    reason = given->second.string_value();
  }
  const std::string who = request.principal.empty() ? "anonymous" : request.principal;
  const std::string recorded = reason.empty() ? who : absl::StrCat(who, ": ", reason);
  absl::StatusOr<uint64_t> revision =
      store.SetSwitch(nacos_namespace, enabled->second.bool_value(), recorded);
  if (!revision.ok()) return StatusReply(revision.status());
  absl::StatusOr<naming::StoredSwitch> state = store.GetSwitch(nacos_namespace);
  if (!state.ok()) return StatusReply(state.status());
  return SwitchReply(nacos_namespace, *state);
}

HttpReply ListServices(naming::FailoverDataStore& store, const NamingRequest& request,
                       const std::string& nacos_namespace) {
  absl::StatusOr<int> page_size =
      ParsePageSize("pageSize", request.param("pageSize"), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) return StatusReply(page_size.status());
  absl::StatusOr<naming::StoreServicePage> page =
      store.ListServices(nacos_namespace, *page_size, request.param("afterKey"));
  if (!page.ok()) return StatusReply(page.status());
  Struct object;
  PutString(object, "namespace", nacos_namespace);
  PutNumber(object, "revision", static_cast<double>(page->revision));
  google::protobuf::ListValue& services =
      *(*object.mutable_fields())["services"].mutable_list_value();
  for (const naming::StoredService& service : page->services) {
    Struct& entry = *services.add_values()->mutable_struct_value();
    PutString(entry, "key", service.key);
    PutNumber(entry, "revision", static_cast<double>(service.revision));
    PutNumber(entry, "hosts", service.info == nullptr ? 0 : service.info->hosts_size());
  }
  PutString(object, "nextAfterKey", page->next_after_key);
  return JsonReply(200, object);
}

HttpReply GetService(naming::FailoverDataStore& store, const NamingRequest& request,
                     const std::string& nacos_namespace) {
  absl::StatusOr<naming::StoredService> service = store.GetService(nacos_namespace, request.key);
  if (!service.ok()) return StatusReply(service.status());
  absl::StatusOr<std::string> json = naming::SerializeServiceInfoJson(*service->info);
  if (!json.ok()) return StatusReply(json.status());
  Struct object;
  PutString(object, "key", service->key);
  PutNumber(object, "revision", static_cast<double>(service->revision));
  const auto embedded =
      google::protobuf::util::JsonStringToMessage(*json, &(*object.mutable_fields())["service"]);
  if (!embedded.ok()) return ErrorReply(500, std::string(embedded.message()));
  return JsonReply(200, object);
}

}  // namespace

HttpReply HandleNaming(naming::FailoverDataStore& store, const NamingRequest& request) {
  const std::string nacos_namespace = NamespaceOf(request);
  switch (request.kind) {
    case RouteKind::kNamingSwitch: {
      if (request.method == kPut) return PutSwitch(store, request, nacos_namespace);
      absl::StatusOr<naming::StoredSwitch> state = store.GetSwitch(nacos_namespace);
      if (!state.ok()) return StatusReply(state.status());
      return SwitchReply(nacos_namespace, *state);
    }
    case RouteKind::kNamingServices:
      return ListServices(store, request, nacos_namespace);
    case RouteKind::kNamingService:
      if (request.method == kGet) return GetService(store, request, nacos_namespace);
      if (request.method == kDelete) {
        absl::StatusOr<uint64_t> revision = store.RemoveService(nacos_namespace, request.key);
        if (!revision.ok()) return StatusReply(revision.status());
        return KeyRevisionReply(request.key, *revision);
      } else {
        absl::StatusOr<v1::ServiceInfo> info = naming::ParseServiceInfoJson(request.body);
        if (!info.ok()) {
          return ErrorReply(400, absl::StrCat("the body is not Nacos ServiceInfo JSON: ",
                                              info.status().message()));
        }
        absl::StatusOr<uint64_t> revision =
            store.UpsertService(nacos_namespace, request.key, *std::move(info));
        if (!revision.ok()) return StatusReply(revision.status());
        return KeyRevisionReply(request.key, *revision);
      }
    default:
      return ErrorReply(404, "no such naming endpoint");
  }
}

}  // namespace http_internal
}  // namespace dashboard
}  // namespace failover
