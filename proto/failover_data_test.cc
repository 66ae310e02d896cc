// The generated failover.v1.FailoverData code links and works: a watch response survives
// serialisation with the naming model inside it, and a server stream runs over loopback.
#include <chrono>
#include <memory>
#include <string>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/failover_data.grpc.pb.h"
#include "proto/failover_data.pb.h"
#include "proto/naming.pb.h"

namespace failover {
namespace {

v1::WatchResponse SampleSnapshot() {
  v1::WatchResponse response;
  response.set_epoch("3f2a");
  response.set_revision(7);
  response.set_snapshot_begin(true);
  response.set_snapshot_end(true);
  v1::WatchEvent* on = response.add_events();
  on->set_revision(5);
  on->mutable_switch_changed()->set_enabled(true);
  on->mutable_switch_changed()->set_reason("registry maintenance");
  on->mutable_switch_changed()->set_revision(5);
  v1::WatchEvent* orders = response.add_events();
  orders->set_revision(7);
  v1::FailoverServiceEntry* entry = orders->mutable_service_upserted();
  entry->set_key("DEFAULT_GROUP@@orders");
  entry->set_revision(7);
  v1::Instance* host = entry->mutable_info()->add_hosts();
  host->set_ip("10.0.0.1");
  host->set_port(8080);
  return response;
}

TEST(FailoverDataProtoTest, WatchResponseRoundTripsWithTheNamingModel) {
  v1::WatchResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(SampleSnapshot().SerializeAsString()));
  EXPECT_EQ(parsed.epoch(), "3f2a");
  EXPECT_TRUE(parsed.snapshot_begin());
  ASSERT_EQ(parsed.events_size(), 2);
  EXPECT_EQ(parsed.events(0).change_case(), v1::WatchEvent::kSwitchChanged);
  EXPECT_TRUE(parsed.events(0).switch_changed().enabled());
  EXPECT_EQ(parsed.events(1).change_case(), v1::WatchEvent::kServiceUpserted);
  const v1::Instance& host = parsed.events(1).service_upserted().info().hosts(0);
  EXPECT_EQ(host.port(), 8080);
  EXPECT_EQ(host.weight(), 1.0);  // The proto2 default of the imported model survives.

  v1::WatchEvent removed;
  removed.set_service_removed("DEFAULT_GROUP@@orders");
  EXPECT_EQ(removed.change_case(), v1::WatchEvent::kServiceRemoved);
}

class OneSnapshotService final : public v1::FailoverData::Service {
 public:
  grpc::Status GetService(grpc::ServerContext*, const v1::GetServiceRequest* request,
                          v1::GetServiceResponse*) override {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, request->key());
  }
  grpc::Status Watch(grpc::ServerContext*, const v1::WatchRequest* request,
                     grpc::ServerWriter<v1::WatchResponse>* writer) override {
    last_namespace_ = request->namespace_();
    writer->Write(SampleSnapshot());
    return grpc::Status::OK;
  }
  std::string last_namespace_;
};

TEST(FailoverDataProtoTest, WatchStreamsOverGrpcOnLoopback) {
  OneSnapshotService service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  ASSERT_GT(port, 0);

  auto stub = v1::FailoverData::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::WatchRequest request;
    request.set_namespace_("prod");
    std::unique_ptr<grpc::ClientReader<v1::WatchResponse>> reader = stub->Watch(&context, request);
    v1::WatchResponse response;
    ASSERT_TRUE(reader->Read(&response));
    EXPECT_EQ(response.revision(), 7u);
    EXPECT_FALSE(reader->Read(&response));
    const grpc::Status status = reader->Finish();
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(service.last_namespace_, "prod");
  }
  {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::GetServiceRequest request;
    request.set_key("DEFAULT_GROUP@@nope");
    v1::GetServiceResponse response;
    const grpc::Status status = stub->GetService(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  }
  server->Shutdown();
}

}  // namespace
}  // namespace failover
