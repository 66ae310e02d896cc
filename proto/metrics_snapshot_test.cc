// The generated protobuf and gRPC code links and works: a snapshot survives serialisation, and a
// gRPC round trip over loopback.
#include <memory>
#include <string>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/metrics_snapshot.grpc.pb.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace {

v1::MetricsSnapshot SampleSnapshot() {
  v1::MetricsSnapshot snapshot;
  snapshot.set_instance_id("orders-7f9c");
  snapshot.set_taken_at_unix_nanos(1'700'000'000'123'456'789);
  snapshot.set_process_start_unix_nanos(1'699'999'000'000'000'000);
  snapshot.set_sequence(42);
  v1::MetricSeries* counter = snapshot.add_series();
  counter->set_name("failover.call.total");
  v1::Tag* tag = counter->add_tags();
  tag->set_key("name");
  tag->set_value("quotes");
  counter->set_counter(90);
  v1::MetricSeries* timer = snapshot.add_series();
  timer->set_name("failover.upstream.duration");
  timer->set_unit("seconds");
  v1::Histogram* h = timer->mutable_histogram();
  h->set_count(3);
  h->set_sum(0.75);
  h->set_max(0.5);
  v1::Histogram::Bucket* b = h->add_buckets();
  b->set_upper_bound(0.25);
  b->set_cumulative_count(2);
  return snapshot;
}

TEST(MetricsSnapshotTest, RoundTripsThroughTheWireFormat) {
  const v1::MetricsSnapshot original = SampleSnapshot();
  std::string wire;
  ASSERT_TRUE(original.SerializeToString(&wire));
  v1::MetricsSnapshot parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  EXPECT_EQ(parsed.instance_id(), "orders-7f9c");
  EXPECT_EQ(parsed.sequence(), 42u);
  ASSERT_EQ(parsed.series_size(), 2);
  EXPECT_EQ(parsed.series(0).value_case(), v1::MetricSeries::kCounter);
  EXPECT_EQ(parsed.series(0).counter(), 90);
  EXPECT_EQ(parsed.series(0).tags(0).value(), "quotes");
  EXPECT_EQ(parsed.series(1).histogram().buckets(0).cumulative_count(), 2u);
  EXPECT_EQ(parsed.SerializeAsString(), wire);
}

TEST(MetricsSnapshotTest, RejectsGarbage) {
  v1::MetricsSnapshot parsed;
  EXPECT_FALSE(parsed.ParseFromString(std::string("\xff\xff\xff\xff", 4)));
}

class RecordingIngest final : public v1::ClusterIngest::Service {
 public:
  grpc::Status PushSnapshot(grpc::ServerContext*, const v1::MetricsSnapshot* request,
                            v1::PushSnapshotResponse* response) override {
    last_instance_ = request->instance_id();
    response->set_accepted(request->series_size() > 0);
    return grpc::Status::OK;
  }
  std::string last_instance_;
};

TEST(MetricsSnapshotTest, TravelsOverGrpcOnLoopback) {
  RecordingIngest service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  ASSERT_GT(port, 0);

  auto stub = v1::ClusterIngest::NewStub(grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::PushSnapshotResponse response;
  const grpc::Status status = stub->PushSnapshot(&context, SampleSnapshot(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(response.accepted());
  EXPECT_EQ(service.last_instance_, "orders-7f9c");
  server->Shutdown();
}

}  // namespace
}  // namespace failover
