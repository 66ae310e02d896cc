#include "naming-client/testing/in_memory_failover_data_server.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"

namespace failover {
namespace naming {

InMemoryFailoverDataServer::InMemoryFailoverDataServer(InMemoryFailoverDataServerOptions options)
    : options_(std::move(options)), store_(std::make_shared<FailoverDataStore>(options_.store)) {}

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
  if (service_ != nullptr) earlier_watch_calls_ += service_->watch_calls();
  FailoverDataServiceOptions service_options;
  service_options.max_snapshot_events = options_.max_snapshot_events;
  service_options.availability = [this] { return Availability(); };
  service_ = std::make_unique<FailoverDataService>(*store_, std::move(service_options));
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
    server = std::move(server_);
    service_->Stop();  // Kept until the next Listen(), which lifecycle_mu_ holds off.
  }
  // Watch handlers see Stop() within 20 ms; the deadline is a backstop.
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server->Wait();
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

absl::Status InMemoryFailoverDataServer::Availability() const {
  MutexLock lock(&mu_);
  return fail_with_;
}

int InMemoryFailoverDataServer::active_watches() const {
  MutexLock lock(&mu_);
  return service_->active_watches();
}

int InMemoryFailoverDataServer::watch_calls() const {
  MutexLock lock(&mu_);
  return earlier_watch_calls_ + service_->watch_calls();
}

}  // namespace naming
}  // namespace failover
