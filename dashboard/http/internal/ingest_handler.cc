#include "dashboard/http/internal/ingest_handler.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace failover {
namespace dashboard {
namespace http_internal {
namespace {

HttpReply Refused(int status, absl::string_view message) {
  google::protobuf::Struct object;
  PutBool(object, "accepted", false);
  PutString(object, "error", message);
  return JsonReply(status, object);
}

// Decodes `body` into `message` as `media_type` says; InvalidArgument naming the problem.
absl::Status Decode(absl::string_view media_type, absl::string_view body,
                    google::protobuf::Message& message) {
  const std::string& type = message.GetDescriptor()->full_name();
  if (media_type == "application/json") {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;  // Newer peers may send fields this server predates.
    const auto parsed = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(body.data(), body.size()), &message, options);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the body is not ", type, " protobuf JSON: ", std::string(parsed.message())));
    }
    return absl::OkStatus();
  }
  if (!message.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return absl::InvalidArgumentError(absl::StrCat("the body is not a binary ", type));
  }
  return absl::OkStatus();
}

}  // namespace

HttpReply HandleIngest(IngestSink* sink, IngestKind kind, absl::string_view content_type,
                       absl::string_view body) {
  if (sink == nullptr) {
    return Refused(409,
                   "this failoverd does not aggregate pushed metrics: "
                   "failover.dashboard.cluster.mode is not shared-store");
  }
  const std::string media_type = MediaType(content_type);
  if (media_type != "application/json" && media_type != "application/x-protobuf" &&
      media_type != "application/protobuf") {
    return Refused(415, absl::StrCat("Content-Type '", content_type,
                                     "' is not supported: send application/x-protobuf "
                                     "(binary protobuf) or application/json (protobuf JSON)"));
  }
  absl::Status accepted;
  if (kind == IngestKind::kSnapshot) {
    v1::MetricsSnapshot snapshot;
    accepted = Decode(media_type, body, snapshot);
    if (accepted.ok()) accepted = sink->AcceptSnapshot(std::move(snapshot));
  } else {
    v1::HeartbeatRequest heartbeat;
    accepted = Decode(media_type, body, heartbeat);
    if (accepted.ok()) accepted = sink->AcceptHeartbeat(heartbeat);
  }
  if (!accepted.ok()) {
    return Refused(HttpStatusOf(accepted.code()), accepted.message());
  }
  google::protobuf::Struct object;
  PutBool(object, "accepted", true);
  return JsonReply(202, object);
}

}  // namespace http_internal
}  // namespace dashboard
}  // namespace failover
