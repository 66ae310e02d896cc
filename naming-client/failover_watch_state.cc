#include "naming-client/failover_watch_state.h"

#include <utility>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "naming-client/service_key.h"

namespace failover {
namespace naming {
namespace {

// Equal messages give equal bytes (map entries sorted), so equal content gives equal hashes.
uint64_t ContentHash(const v1::ServiceInfo& info) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    info.SerializeToCodedStream(&coded);
  }
  return absl::Hash<std::string>{}(bytes);
}

}  // namespace

FailoverWatchState::FailoverWatchState(std::string origin) : origin_(std::move(origin)) {}

absl::StatusOr<bool> FailoverWatchState::Apply(const v1::WatchResponse& response) {
  if (response.snapshot_begin()) {
    in_snapshot_ = true;
    building_ = Contents();
  }
  if (in_snapshot_) {
    for (const v1::WatchEvent& event : response.events()) ApplyEvent(event, building_);
    if (!response.snapshot_end()) return false;
    in_snapshot_ = false;
    contents_ = std::move(building_);
    building_ = Contents();
    synced_ = true;
    revision_ = response.revision();
    epoch_ = response.epoch();
    current_ = Publish();
    return true;
  }

  if (!synced_) {
    return absl::FailedPreconditionError(
        absl::StrCat(origin_, ": the server sent changes before a snapshot"));
  }
  if (response.epoch() != epoch_) {
    return absl::FailedPreconditionError(absl::StrCat(origin_, ": epoch changed from '", epoch_,
                                                      "' to '", response.epoch(),
                                                      "' without a snapshot"));
  }
  uint64_t expected = revision_;
  for (const v1::WatchEvent& event : response.events()) {
    if (event.revision() != ++expected) {
      return absl::FailedPreconditionError(
          absl::StrCat(origin_, ": expected revision ", expected, ", got ", event.revision()));
    }
  }
  if (response.revision() != expected) {
    return absl::FailedPreconditionError(absl::StrCat(
        origin_, ": response at revision ", response.revision(), " after revision ", expected));
  }
  if (response.events().empty()) return false;  // A heartbeat.
  for (const v1::WatchEvent& event : response.events()) ApplyEvent(event, contents_);
  revision_ = expected;
  current_ = Publish();
  return true;
}

void FailoverWatchState::Resynchronize() {
  AbandonPartialSnapshot();
  synced_ = false;
  revision_ = 0;
  epoch_.clear();
}

void FailoverWatchState::AbandonPartialSnapshot() {
  in_snapshot_ = false;
  building_ = Contents();
}

void FailoverWatchState::ApplyEvent(const v1::WatchEvent& event, Contents& contents) const {
  switch (event.change_case()) {
    case v1::WatchEvent::kSwitchChanged:
      contents.enabled = event.switch_changed().enabled();
      contents.reason = event.switch_changed().reason();
      contents.switch_revision = event.switch_changed().revision();
      break;
    case v1::WatchEvent::kServiceUpserted:
      Upsert(event.service_upserted(), contents);
      break;
    case v1::WatchEvent::kServiceRemoved:
      // A key that never parsed is only a problem; one that did is a service.
      contents.problems.erase(event.service_removed());
      contents.services.erase(event.service_removed());
      break;
    case v1::WatchEvent::CHANGE_NOT_SET:
      break;  // A change from a newer protocol version: nothing we can apply.
  }
}

void FailoverWatchState::Upsert(const v1::FailoverServiceEntry& entry, Contents& contents) const {
  const std::string& raw = entry.key();
  absl::StatusOr<ServiceKey> key = ParseServiceKey(raw);
  if (key.ok() && key->ToString() != raw) {
    key = absl::InvalidArgumentError(
        absl::StrCat("service key '", raw, "' is not written as '", key->ToString(), "'"));
  }
  if (!key.ok()) {
    contents.problems[raw] = FailoverFileProblem{
        raw, FailoverProblemKind::kBadName, absl::StrCat(origin_, ": ", key.status().message())};
    return;
  }
  contents.problems.erase(raw);
  auto info = std::make_shared<v1::ServiceInfo>(entry.info());
  info->set_name(key->service);
  info->set_group_name(key->group);
  info->set_clusters(key->clusters);
  FailoverServiceData data;
  data.content_hash = ContentHash(*info);
  data.info = std::move(info);
  data.key = *std::move(key);
  data.origin = absl::StrCat(origin_, ", service '", raw, "' at revision ", entry.revision());
  contents.services[raw] = std::move(data);
}

std::shared_ptr<const FailoverWatchSnapshot> FailoverWatchState::Publish() const {
  auto snapshot = std::make_shared<FailoverWatchSnapshot>();
  snapshot->epoch = epoch_;
  snapshot->revision = revision_;
  snapshot->switch_state.enabled = contents_.enabled;
  snapshot->switch_state.reason = absl::StrCat(
      origin_, ": switch ", contents_.enabled ? "on" : "off",
      contents_.switch_revision == 0 ? std::string(" (never set)")
                                     : absl::StrCat(" since revision ", contents_.switch_revision),
      contents_.reason.empty() ? "" : ": ", contents_.reason);
  snapshot->data.services = contents_.services;
  snapshot->data.problems.reserve(contents_.problems.size());
  for (const auto& [raw, problem] : contents_.problems) snapshot->data.problems.push_back(problem);
  return snapshot;
}

}  // namespace naming
}  // namespace failover
