#include "naming-client/testing/in_memory_failover_data_server.h"

#include <chrono>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "proto/failover_data.grpc.pb.h"
#include "proto/failover_data.pb.h"

namespace failover {
namespace naming {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;
// How often a waiting Watch handler checks for cancellation and Stop().
constexpr absl::Duration kWatchCheckInterval = absl::Milliseconds(20);

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

class InMemoryFailoverDataServer::Service final : public v1::FailoverData::Service {
 public:
  explicit Service(InMemoryFailoverDataServer* server) : server_(*server) {}

  grpc::Status GetSwitch(grpc::ServerContext*, const v1::GetSwitchRequest* request,
                         v1::GetSwitchResponse* response) override {
    absl::StatusOr<std::shared_ptr<FailoverDataStore>> store = server_.StoreForCall();
    if (!store.ok()) return ToGrpc(store.status());
    absl::StatusOr<StoredSwitch> state = (*store)->GetSwitch(request->namespace_());
    if (!state.ok()) return ToGrpc(state.status());
    ToProto(*state, response->mutable_state());
    response->set_revision((*store)->Revision(request->namespace_()).value_or(0));
    response->set_epoch((*store)->epoch());
    return grpc::Status::OK;
  }

  grpc::Status ListServices(grpc::ServerContext*, const v1::ListServicesRequest* request,
                            v1::ListServicesResponse* response) override {
    absl::StatusOr<std::shared_ptr<FailoverDataStore>> store = server_.StoreForCall();
    if (!store.ok()) return ToGrpc(store.status());
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
        (*store)->ListServices(request->namespace_(), page_size, after);
    if (!page.ok()) return ToGrpc(page.status());
    for (const StoredService& service : page->services) ToProto(service, response->add_services());
    response->set_next_page_token(page->next_after_key);
    response->set_revision(page->revision);
    response->set_epoch((*store)->epoch());
    return grpc::Status::OK;
  }

  grpc::Status GetService(grpc::ServerContext*, const v1::GetServiceRequest* request,
                          v1::GetServiceResponse* response) override {
    absl::StatusOr<std::shared_ptr<FailoverDataStore>> store = server_.StoreForCall();
    if (!store.ok()) return ToGrpc(store.status());
    absl::StatusOr<StoredService> service =
        (*store)->GetService(request->namespace_(), request->key());
    if (!service.ok()) return ToGrpc(service.status());
    ToProto(*service, response->mutable_service());
    response->set_revision((*store)->Revision(request->namespace_()).value_or(0));
    response->set_epoch((*store)->epoch());
    return grpc::Status::OK;
  }

  grpc::Status Watch(grpc::ServerContext* context, const v1::WatchRequest* request,
                     grpc::ServerWriter<v1::WatchResponse>* writer) override {
    absl::StatusOr<std::shared_ptr<FailoverDataStore>> store = server_.StoreForCall();
    if (!store.ok()) return ToGrpc(store.status());
    server_.WatchStarted();
    const grpc::Status status = Stream(**store, *context, *request, *writer);
    server_.WatchEnded();
    return status;
  }

 private:
  grpc::Status Stream(const FailoverDataStore& store, grpc::ServerContext& context,
                      const v1::WatchRequest& request,
                      grpc::ServerWriter<v1::WatchResponse>& writer) {
    const std::string& ns = request.namespace_();
    const auto heartbeat = std::chrono::milliseconds(request.heartbeat_interval_ms());
    uint64_t revision = request.from_revision();
    std::string epoch = request.epoch();
    bool first = true;
    while (true) {
      absl::StatusOr<StoreCatchUp> catch_up = store.CatchUp(ns, revision, epoch);
      if (!catch_up.ok()) return ToGrpc(catch_up.status());
      if (first || catch_up->is_snapshot || !catch_up->changes.empty()) {
        for (const v1::WatchResponse& response :
             ToResponses(*catch_up, server_.options_.max_snapshot_events)) {
          if (!writer.Write(response)) return grpc::Status::OK;  // The client went away.
        }
      }
      first = false;
      revision = catch_up->revision;
      epoch = catch_up->epoch;
      auto last_write = std::chrono::steady_clock::now();
      while (!store.AwaitRevisionAbove(ns, revision, kWatchCheckInterval)) {
        if (context.IsCancelled()) return grpc::Status::CANCELLED;
        if (absl::Status s = server_.WatchMayContinue(); !s.ok()) return ToGrpc(s);
        if (heartbeat.count() > 0 && std::chrono::steady_clock::now() - last_write >= heartbeat) {
          v1::WatchResponse beat;
          beat.set_epoch(epoch);
          beat.set_revision(revision);
          if (!writer.Write(beat)) return grpc::Status::OK;
          last_write = std::chrono::steady_clock::now();
        }
      }
      if (absl::Status s = server_.WatchMayContinue(); !s.ok()) return ToGrpc(s);
    }
  }

  InMemoryFailoverDataServer& server_;
};

InMemoryFailoverDataServer::InMemoryFailoverDataServer(InMemoryFailoverDataServerOptions options)
    : options_(std::move(options)),
      service_(std::make_unique<Service>(this)),
      store_(std::make_shared<FailoverDataStore>(options_.store)) {}

absl::StatusOr<std::unique_ptr<InMemoryFailoverDataServer>> InMemoryFailoverDataServer::Start(
    InMemoryFailoverDataServerOptions options) {
  std::unique_ptr<InMemoryFailoverDataServer> server(
      new InMemoryFailoverDataServer(std::move(options)));
  MutexLock lock(&server->lifecycle_mu_);
  MutexLock state_lock(&server->mu_);
  if (absl::Status s = server->Listen("127.0.0.1:0"); !s.ok()) return s;
  return server;
}

absl::Status InMemoryFailoverDataServer::Listen(const std::string& address) {
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service_.get());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("in-memory failover server: cannot listen on ", address));
  }
  port_ = port;
  server_ = std::move(server);
  return absl::OkStatus();
}

InMemoryFailoverDataServer::~InMemoryFailoverDataServer() { Stop(); }

FailoverDataStore& InMemoryFailoverDataServer::store() {
  MutexLock lock(&mu_);
  return *store_;
}

std::string InMemoryFailoverDataServer::target() const { return absl::StrCat("127.0.0.1:", port_); }

void InMemoryFailoverDataServer::Stop() {
  MutexLock lifecycle(&lifecycle_mu_);
  std::unique_ptr<grpc::Server> server;
  {
    MutexLock lock(&mu_);
    if (server_ == nullptr) return;
    stopping_ = true;
    server = std::move(server_);
  }
  // Handlers see stopping_ within kWatchCheckInterval; the deadline is a backstop.
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server->Wait();
  server.reset();
  MutexLock lock(&mu_);
  stopping_ = false;
}

absl::Status InMemoryFailoverDataServer::Restart() {
  MutexLock lifecycle(&lifecycle_mu_);
  MutexLock lock(&mu_);
  if (server_ != nullptr) return absl::OkStatus();
  return Listen(absl::StrCat("127.0.0.1:", port_));
}

absl::Status InMemoryFailoverDataServer::ReplaceStore() {
  MutexLock lifecycle(&lifecycle_mu_);
  MutexLock lock(&mu_);
  if (server_ != nullptr) {
    return absl::FailedPreconditionError("in-memory failover server: ReplaceStore() while running");
  }
  FailoverDataStoreOptions store_options = options_.store;
  store_options.epoch.clear();  // A new history.
  store_ = std::make_shared<FailoverDataStore>(store_options);
  return absl::OkStatus();
}

void InMemoryFailoverDataServer::FailCalls(absl::Status status) {
  MutexLock lock(&mu_);
  fail_with_ = std::move(status);
}

absl::StatusOr<std::shared_ptr<FailoverDataStore>> InMemoryFailoverDataServer::StoreForCall()
    const {
  MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError("in-memory failover server: stopping");
  if (!fail_with_.ok()) return fail_with_;
  return store_;
}

absl::Status InMemoryFailoverDataServer::WatchMayContinue() const {
  MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError("in-memory failover server: stopping");
  return fail_with_;
}

void InMemoryFailoverDataServer::WatchStarted() {
  MutexLock lock(&mu_);
  ++active_watches_;
  ++watch_calls_;
}

void InMemoryFailoverDataServer::WatchEnded() {
  MutexLock lock(&mu_);
  --active_watches_;
}

int InMemoryFailoverDataServer::active_watches() const {
  MutexLock lock(&mu_);
  return active_watches_;
}

int InMemoryFailoverDataServer::watch_calls() const {
  MutexLock lock(&mu_);
  return watch_calls_;
}

}  // namespace naming
}  // namespace failover
