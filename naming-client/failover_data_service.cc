#include "naming-client/failover_data_service.h"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "proto/failover_data.pb.h"

namespace failover {
namespace naming {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl::StatusCode and grpc::StatusCode share their numbering.
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

void ToProto(const StoredSwitch& from, v1::FailoverSwitchState* to) {
  to->set_enabled(from.enabled);
  to->set_reason(from.reason);
  to->set_revision(from.revision);
}

void ToProto(const StoredService& from, v1::FailoverServiceEntry* to) {
  to->set_key(from.key);
  if (from.info != nullptr) *to->mutable_info() = *from.info;
  to->set_revision(from.revision);
}

void ToProto(const StoreChange& from, v1::WatchEvent* to) {
  to->set_revision(from.revision);
  switch (from.kind) {
    case StoreChange::Kind::kSwitch:
      ToProto(from.switch_state, to->mutable_switch_changed());
      break;
    case StoreChange::Kind::kUpsert:
      ToProto(from.service, to->mutable_service_upserted());
      break;
    case StoreChange::Kind::kRemove:
      to->set_service_removed(from.service.key);
      break;
  }
}

// The responses that bring a client up to date with `catch_up`: the snapshot in pieces of at
// most `max_events` events, or one response with the changes (none for a heartbeat).
std::vector<v1::WatchResponse> ToResponses(const StoreCatchUp& catch_up, size_t max_events) {
  std::vector<v1::WatchResponse> responses(1);
  auto next = [&]() -> v1::WatchResponse& {
    if (static_cast<size_t>(responses.back().events_size()) >= max_events) responses.emplace_back();
    return responses.back();
  };
  if (catch_up.is_snapshot) {
    v1::WatchEvent* on = next().add_events();
    on->set_revision(catch_up.snapshot.switch_state.revision);
    ToProto(catch_up.snapshot.switch_state, on->mutable_switch_changed());
    for (const StoredService& service : catch_up.snapshot.services) {
      v1::WatchEvent* event = next().add_events();
      event->set_revision(service.revision);
      ToProto(service, event->mutable_service_upserted());
    }
    responses.front().set_snapshot_begin(true);
    responses.back().set_snapshot_end(true);
  } else {
    for (const StoreChange& change : catch_up.changes) ToProto(change, next().add_events());
  }
  for (v1::WatchResponse& response : responses) {
    response.set_epoch(catch_up.epoch);
    response.set_revision(catch_up.revision);
  }
  return responses;
}

}  // namespace

FailoverDataService::FailoverDataService(const FailoverDataStore& store,
                                         FailoverDataServiceOptions options)
    : store_(store), options_(std::move(options)) {}

absl::Status FailoverDataService::Available() const {
  if (stopped_.load(std::memory_order_acquire)) {
    return absl::UnavailableError("failover data service: stopping");
  }
  if (options_.availability) return options_.availability();
  return absl::OkStatus();
}

grpc::Status FailoverDataService::GetSwitch(grpc::ServerContext*,
                                            const v1::GetSwitchRequest* request,
                                            v1::GetSwitchResponse* response) {
  if (absl::Status s = Available(); !s.ok()) return ToGrpc(s);
  absl::StatusOr<StoredSwitch> state = store_.GetSwitch(request->namespace_());
  if (!state.ok()) return ToGrpc(state.status());
  ToProto(*state, response->mutable_state());
  response->set_revision(store_.Revision(request->namespace_()).value_or(0));
  response->set_epoch(store_.epoch());
  return grpc::Status::OK;
}

grpc::Status FailoverDataService::ListServices(grpc::ServerContext*,
                                               const v1::ListServicesRequest* request,
                                               v1::ListServicesResponse* response) {
  if (absl::Status s = Available(); !s.ok()) return ToGrpc(s);
  if (request->page_size() < 0) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        absl::StrCat("page_size ", request->page_size(), " is negative"));
  }
  const int page_size = request->page_size() == 0             ? kDefaultPageSize
                        : request->page_size() > kMaxPageSize ? kMaxPageSize
                                                              : request->page_size();
  // The token is the last key of the previous page.
  const std::string& after = request->page_token();
  absl::StatusOr<StoreServicePage> page =
      store_.ListServices(request->namespace_(), page_size, after);
  if (!page.ok()) return ToGrpc(page.status());
  for (const StoredService& service : page->services) ToProto(service, response->add_services());
  response->set_next_page_token(page->next_after_key);
  response->set_revision(page->revision);
  response->set_epoch(store_.epoch());
  return grpc::Status::OK;
}

grpc::Status FailoverDataService::GetService(grpc::ServerContext*,
                                             const v1::GetServiceRequest* request,
                                             v1::GetServiceResponse* response) {
  if (absl::Status s = Available(); !s.ok()) return ToGrpc(s);
  absl::StatusOr<StoredService> service = store_.GetService(request->namespace_(), request->key());
  if (!service.ok()) return ToGrpc(service.status());
  ToProto(*service, response->mutable_service());
  response->set_revision(store_.Revision(request->namespace_()).value_or(0));
  response->set_epoch(store_.epoch());
  return grpc::Status::OK;
}

grpc::Status FailoverDataService::Watch(grpc::ServerContext* context,
                                        const v1::WatchRequest* request,
                                        grpc::ServerWriter<v1::WatchResponse>* writer) {
  if (absl::Status s = Available(); !s.ok()) return ToGrpc(s);
  active_watches_.fetch_add(1, std::memory_order_acq_rel);
  watch_calls_.fetch_add(1, std::memory_order_acq_rel);
  const grpc::Status status = Stream(*context, *request, *writer);
  active_watches_.fetch_sub(1, std::memory_order_acq_rel);
  return status;
}

grpc::Status FailoverDataService::Stream(grpc::ServerContext& context,
                                         const v1::WatchRequest& request,
                                         grpc::ServerWriter<v1::WatchResponse>& writer) {
  const std::string& ns = request.namespace_();
  // Real time on purpose: the handler waits on the store's condition variable in real time, so
  // its heartbeats are measured on the same clock.
  const auto heartbeat = std::chrono::milliseconds(request.heartbeat_interval_ms());
  uint64_t revision = request.from_revision();
  std::string epoch = request.epoch();
  bool first = true;
  while (true) {
    absl::StatusOr<StoreCatchUp> catch_up = store_.CatchUp(ns, revision, epoch);
    if (!catch_up.ok()) return ToGrpc(catch_up.status());
    if (first || catch_up->is_snapshot || !catch_up->changes.empty()) {
      for (const v1::WatchResponse& response :
           ToResponses(*catch_up, options_.max_snapshot_events)) {
        if (!writer.Write(response)) return grpc::Status::OK;  // The client went away.
      }
    }
    first = false;
    revision = catch_up->revision;
    epoch = catch_up->epoch;
    auto last_write = std::chrono::steady_clock::now();
    while (!store_.AwaitRevisionAbove(ns, revision, options_.watch_check_interval)) {
      if (context.IsCancelled()) return grpc::Status::CANCELLED;
      if (absl::Status s = Available(); !s.ok()) return ToGrpc(s);
      if (heartbeat.count() > 0 && std::chrono::steady_clock::now() - last_write >= heartbeat) {
        v1::WatchResponse beat;
        beat.set_epoch(epoch);
        beat.set_revision(revision);
        if (!writer.Write(beat)) return grpc::Status::OK;
        last_write = std::chrono::steady_clock::now();
      }
    }
    if (absl::Status s = Available(); !s.ok()) return ToGrpc(s);
  }
}

}  // namespace naming
}  // namespace failover
