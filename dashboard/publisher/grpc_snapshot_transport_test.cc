// The gRPC transport against an in-process ClusterIngest server on 127.0.0.1.
#include "dashboard/publisher/grpc_snapshot_transport.h"

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/simulated_clock.h"
#include "core/sync.h"
#include "core/testing/warning_log.h"
#include "dashboard/publisher/peer_publisher.h"
#include "gtest/gtest.h"
#include "proto/metrics_snapshot.grpc.pb.h"

namespace failover {
namespace dashboard {
namespace {

// Accepts calls that carry `Bearer tok`; refuses snapshots without an instance id.
class Ingest final : public v1::ClusterIngest::Service {
 public:
  grpc::Status PushSnapshot(grpc::ServerContext* context, const v1::MetricsSnapshot* request,
                            v1::PushSnapshotResponse* response) override {
    if (grpc::Status s = Check(context); !s.ok()) return s;
    MutexLock lock(&mu_);
    response->set_accepted(!request->instance_id().empty());
    if (request->instance_id().empty()) response->set_message("instance_id: blank");
    snapshots_.push_back(*request);
    return grpc::Status::OK;
  }
  grpc::Status Heartbeat(grpc::ServerContext* context, const v1::HeartbeatRequest* request,
                         v1::HeartbeatResponse* response) override {
    if (grpc::Status s = Check(context); !s.ok()) return s;
    MutexLock lock(&mu_);
    heartbeats_.push_back(*request);
    response->set_accepted(true);
    return grpc::Status::OK;
  }

  std::vector<v1::MetricsSnapshot> snapshots() {
    MutexLock lock(&mu_);
    return snapshots_;
  }
  std::vector<v1::HeartbeatRequest> heartbeats() {
    MutexLock lock(&mu_);
    return heartbeats_;
  }

 private:
  static grpc::Status Check(grpc::ServerContext* context) {
    const auto it = context->client_metadata().find("authorization");
    if (it == context->client_metadata().end() ||
        std::string(it->second.data(), it->second.size()) != "Bearer tok") {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "bearer token required");
    }
    return grpc::Status::OK;
  }

  Mutex mu_;
  std::vector<v1::MetricsSnapshot> snapshots_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::HeartbeatRequest> heartbeats_ ABSL_GUARDED_BY(mu_);
};

class GrpcSnapshotTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&ingest_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    config_.publish_url = absl::StrCat("grpc://127.0.0.1:", port_);
    config_.oauth2_client_registration_id = "ingest";
  }
  void TearDown() override { server_->Shutdown(); }

  std::unique_ptr<SnapshotTransport> Transport(std::string token) {
    absl::StatusOr<std::unique_ptr<SnapshotTransport>> transport = NewGrpcSnapshotTransport(
        config_, [token]() -> absl::StatusOr<std::string> { return token; });
    EXPECT_TRUE(transport.ok()) << transport.status();
    return *std::move(transport);
  }

  Ingest ingest_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  SnapshotConfig config_;
};

TEST_F(GrpcSnapshotTransportTest, PushesAndHeartbeatsWithTheAuthorizationMetadata) {
  std::unique_ptr<SnapshotTransport> transport = Transport("tok");
  v1::MetricsSnapshot snapshot;
  snapshot.set_instance_id("orders-1");
  snapshot.add_series()->set_name("failover.call.total");
  ASSERT_TRUE(transport->Push(snapshot).ok());
  v1::HeartbeatRequest heartbeat;
  heartbeat.set_instance_id("orders-1");
  ASSERT_TRUE(transport->Heartbeat(heartbeat).ok());
  ASSERT_EQ(ingest_.snapshots().size(), 1u);
  EXPECT_EQ(ingest_.snapshots()[0].series(0).name(), "failover.call.total");
  EXPECT_EQ(ingest_.heartbeats()[0].instance_id(), "orders-1");

  absl::Status refused = transport->Push(v1::MetricsSnapshot());
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(refused.message(), "not accepted: instance_id: blank"));
}

TEST_F(GrpcSnapshotTransportTest, ErrorsKeepTheCodeAndNameTheMethodAndAddress) {
  absl::Status status = Transport("wrong")->Push(v1::MetricsSnapshot());
  EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(status.message(),
            absl::StrCat("gRPC failover.v1.ClusterIngest/PushSnapshot to 127.0.0.1:", port_,
                         ": bearer token required"));
  EXPECT_FALSE(absl::StrContains(status.message(), "wrong"));
}

TEST_F(GrpcSnapshotTransportTest, BadPublishUrlsAreRefused) {
  for (const char* url :
       {"http://127.0.0.1:9090", "grpc://host", "grpc://host:0", "grpc://host:9090/path"}) {
    config_.publish_url = url;
    EXPECT_EQ(NewGrpcSnapshotTransport(config_, [] { return absl::StatusOr<std::string>("t"); })
                  .status()
                  .code(),
              absl::StatusCode::kInvalidArgument)
        << url;
  }
}

TEST_F(GrpcSnapshotTransportTest, APeerPublisherPushesOverIt) {
  SimulatedClock clock;
  MetricsRegistry registry;
  registry.GetCounter("failover.call.total").Increment(2);
  WarningLog log;
  PeerPublisherOptions options;
  options.instance_id = "orders-2";
  options.warnings = log.Sink();
  absl::StatusOr<std::unique_ptr<PeerPublisher>> publisher =
      PeerPublisher::CreateWithTransport(config_, registry, clock, options, Transport("tok"));
  ASSERT_TRUE(publisher.ok()) << publisher.status();
  EXPECT_TRUE((*publisher)->Flush().ok());
  publisher->reset();
  std::vector<v1::MetricsSnapshot> snapshots = ingest_.snapshots();
  ASSERT_EQ(snapshots.size(), 3u);  // at start, Flush(), final
  EXPECT_EQ(snapshots[2].instance_id(), "orders-2");
  EXPECT_EQ(snapshots[2].series(0).counter(), 2);
  EXPECT_TRUE(log.messages().empty());
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
