#include "dashboard/grpc/dashboard_grpc_server.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "dashboard/grpc/internal/cluster_ingest_service.h"
#include "dashboard/grpc/internal/failover_payloads_service.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "naming-client/failover_data_service.h"

namespace failover {
namespace dashboard {

DashboardGrpcServer::DashboardGrpcServer() = default;

absl::StatusOr<std::unique_ptr<DashboardGrpcServer>> DashboardGrpcServer::Start(
    absl::string_view listen, DashboardGrpcServices services) {
  if (absl::StripAsciiWhitespace(listen).empty()) {
    return absl::InvalidArgumentError("dashboard gRPC server: the listen address is blank");
  }
  std::unique_ptr<DashboardGrpcServer> server(new DashboardGrpcServer());
  server->warnings_ =
      services.warnings != nullptr && *services.warnings ? *services.warnings : StderrWarningSink();

  grpc_internal::ClusterIngestOptions ingest;
  ingest.sink = services.ingest;
  ingest.auth = services.auth;
  ingest.exposed = services.cluster_exposed;
  ingest.warnings = server->warnings_;
  ingest.stopping = &server->stopping_;
  ingest.counters = services.ingest_counters;
  server->ingest_service_ = std::make_unique<grpc_internal::ClusterIngestService>(ingest);
  server->payloads_service_ =
      std::make_unique<grpc_internal::FailoverPayloadsService>(services.payloads, services.auth);
  if (services.naming_data != nullptr) {
    server->failover_data_service_ =
        std::make_unique<naming::FailoverDataService>(*services.naming_data);
  }

  // The standard grpc.health.v1.Health service, built into gRPC's C++ library; applies to the
  // servers built after this call (a process-wide setting).
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  // gRPC binds with SO_REUSEPORT by default: a second failoverd on the same port would silently
  // share the traffic instead of failing to start.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  const std::string address(listen);
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &server->port_);
  builder.RegisterService(server->ingest_service_.get());
  builder.RegisterService(server->payloads_service_.get());
  if (server->failover_data_service_ != nullptr) {
    builder.RegisterService(server->failover_data_service_.get());
  }
  std::unique_ptr<grpc::Server> grpc_server = builder.BuildAndStart();
  if (grpc_server == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("dashboard gRPC server: cannot listen on '", address, "'"));
  }
  if (grpc::HealthCheckServiceInterface* health = grpc_server->GetHealthCheckService()) {
    health->SetServingStatus(true);
  }
  MutexLock lock(&server->mu_);
  server->server_ = std::move(grpc_server);
  return server;
}

DashboardGrpcServer::~DashboardGrpcServer() { Shutdown(absl::ZeroDuration()); }

void DashboardGrpcServer::Shutdown(absl::Duration grace) {
  MutexLock lock(&mu_);
  if (server_ == nullptr) return;
  stopping_.store(true, std::memory_order_release);
  if (grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService()) {
    health->SetServingStatus(false);
  }
  if (failover_data_service_ != nullptr) failover_data_service_->Stop();
  server_->Shutdown(std::chrono::system_clock::now() +
                    absl::ToChronoNanoseconds(std::max(grace, absl::ZeroDuration())));
  server_->Wait();
  server_.reset();
}

}  // namespace dashboard
}  // namespace failover
