#include "dashboard/publisher/grpc_snapshot_transport.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "proto/metrics_snapshot.grpc.pb.h"

namespace failover {
namespace dashboard {
namespace {

// Thread-safe: the stub and channel are; each call has its own context.
class GrpcSnapshotTransport final : public SnapshotTransport {
 public:
  explicit GrpcSnapshotTransport(GrpcSnapshotTransportOptions options)
      : options_(std::move(options)),
        stub_(v1::ClusterIngest::NewStub(
            grpc::CreateChannel(options_.target, grpc::InsecureChannelCredentials()))) {}

  absl::Status Push(const v1::MetricsSnapshot& snapshot) override {
    v1::PushSnapshotResponse response;
    return Call("PushSnapshot", [&](grpc::ClientContext* context) {
      grpc::Status status = stub_->PushSnapshot(context, snapshot, &response);
      return std::make_pair(status, std::make_pair(response.accepted(), response.message()));
    });
  }

  absl::Status Heartbeat(const v1::HeartbeatRequest& request) override {
    v1::HeartbeatResponse response;
    return Call("Heartbeat", [&](grpc::ClientContext* context) {
      grpc::Status status = stub_->Heartbeat(context, request, &response);
      return std::make_pair(status, std::make_pair(response.accepted(), response.message()));
    });
  }

 private:
  template <typename Rpc>
  absl::Status Call(absl::string_view method, Rpc rpc) {
    const std::string where =
        absl::StrCat("gRPC failover.v1.ClusterIngest/", method, " to ", options_.target);
    absl::StatusOr<std::string> authorization = AuthorizationHeaderValue(options_.auth);
    if (!authorization.ok()) {
      return absl::Status(authorization.status().code(),
                          absl::StrCat(where, ": ", authorization.status().message()));
    }
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         absl::ToChronoMilliseconds(options_.timeout));
    if (!authorization->empty()) context.AddMetadata("authorization", *authorization);
    const auto [status, answer] = rpc(&context);
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat(where, ": ", status.error_message()));
    }
    if (!answer.first) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": not accepted: ", answer.second));
    }
    return absl::OkStatus();
  }

  const GrpcSnapshotTransportOptions options_;
  const std::unique_ptr<v1::ClusterIngest::Stub> stub_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SnapshotTransport>> NewGrpcSnapshotTransport(
    GrpcSnapshotTransportOptions options) {
  if (options.target.empty()) {
    return absl::InvalidArgumentError("gRPC snapshot transport: the target is blank");
  }
  return std::make_unique<GrpcSnapshotTransport>(std::move(options));
}

absl::StatusOr<std::unique_ptr<SnapshotTransport>> NewGrpcSnapshotTransport(
    const SnapshotConfig& config, TokenProvider token_provider) {
  absl::string_view target = config.publish_url;
  const size_t colon = target.rfind(':');
  int port = 0;
  if (!absl::ConsumePrefix(&target, "grpc://") || target.empty() ||
      absl::StrContains(target, '/') || colon == absl::string_view::npos ||
      !absl::SimpleAtoi(config.publish_url.substr(colon + 1), &port) || port < 1 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover.dashboard.cluster.snapshot.publish-url: '", config.publish_url,
                     "' is not grpc://host:port"));
  }
  absl::StatusOr<PublisherAuth> auth = ResolvePublisherAuth(config, std::move(token_provider));
  if (!auth.ok()) return auth.status();
  GrpcSnapshotTransportOptions options;
  options.target = std::string(target);
  options.auth = *std::move(auth);
  return NewGrpcSnapshotTransport(std::move(options));
}

}  // namespace dashboard
}  // namespace failover
