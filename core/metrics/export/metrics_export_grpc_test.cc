// MetricsExport with failover.observable.otlp.protocol grpc: exports reach a real gRPC server
// (OtlpGrpcTestServer) on loopback as the OTLP MetricsService/Export call and parse as
// ExportMetricsServiceRequest.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/metrics/export/metrics_export.h"
#include "core/metrics/otlp/testing/otlp_grpc_test_server.h"
#include "core/random.h"
#include "core/simulated_clock.h"
#include "core/sync.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/otlp_metrics.pb.h"

namespace failover {
namespace {

using Reply = OtlpGrpcTestServer::Reply;

std::string Attribute(const google::protobuf::RepeatedPtrField<otlp::v1::KeyValue>& attributes,
                      const std::string& key) {
  for (const otlp::v1::KeyValue& kv : attributes) {
    if (kv.key() == key) return kv.value().string_value();
  }
  return "<absent>";
}

std::string Metadata(const OtlpGrpcTestServer::Call& call, const std::string& name) {
  auto it = call.metadata.find(name);
  return it == call.metadata.end() ? "<absent>" : it->second;
}

class MetricsExportGrpcTest : public ::testing::Test {
 protected:
  MetricsExportGrpcTest() {
    registry_.GetCounter("failover.call.total", {{"name", "quotes"}, {"result", "success"}})
        .Increment(3);
  }

  std::unique_ptr<OtlpGrpcTestServer> StartServer(std::function<Reply()> answer) {
    absl::StatusOr<std::unique_ptr<OtlpGrpcTestServer>> server =
        OtlpGrpcTestServer::Start([answer](const OtlpGrpcTestServer::Call&) { return answer(); });
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  ObservableConfig GrpcConfig(const OtlpGrpcTestServer& server) {
    ObservableConfig config;
    config.otlp.enabled = true;
    config.otlp.protocol = "grpc";
    config.otlp.endpoint = server.endpoint();
    config.otlp.headers = {"Authorization=Bearer grpc-token"};
    config.otlp.timeout = absl::Seconds(5);
    config.otlp.retry.initial_backoff = absl::Milliseconds(50);
    return config;
  }

  MetricsExportDeps Deps() {
    MetricsExportDeps deps;
    deps.clock = &clock_;
    deps.random = &random_;
    deps.warnings = [this](absl::string_view message) {
      MutexLock lock(&mu_);
      warnings_.emplace_back(message);
    };
    deps.application_name = "orders";
    deps.host_name = "host-1";
    return deps;
  }

  std::vector<std::string> warnings() {
    MutexLock lock(&mu_);
    return warnings_;
  }

  SimulatedClock clock_;
  SeededRandom random_{7};
  MetricsRegistry registry_;
  Mutex mu_;
  std::vector<std::string> warnings_ ABSL_GUARDED_BY(mu_);  // from the exporter's thread
};

TEST_F(MetricsExportGrpcTest, ExportsOverGrpcWithHeadersAndResource) {
  std::unique_ptr<OtlpGrpcTestServer> server = StartServer([] { return Reply{}; });
  ASSERT_NE(server, nullptr);
  absl::StatusOr<std::unique_ptr<MetricsExport>> started =
      MetricsExport::Start(GrpcConfig(*server), registry_, Deps());
  ASSERT_TRUE(started.ok()) << started.status();
  ASSERT_NE((*started)->otlp(), nullptr);
  ASSERT_TRUE((*started)->otlp()->ForceFlush(absl::Seconds(10)));
  (*started)->Shutdown();  // a final export
  EXPECT_THAT(warnings(), ::testing::IsEmpty());

  const std::vector<OtlpGrpcTestServer::Call> calls = server->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].method, "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export");
  EXPECT_EQ(Metadata(calls[0], "authorization"), "Bearer grpc-token");
  otlp::v1::ExportMetricsServiceRequest request;
  ASSERT_TRUE(request.ParseFromString(calls[0].request));
  ASSERT_EQ(request.resource_metrics_size(), 1);
  const auto& resource = request.resource_metrics(0).resource().attributes();
  EXPECT_EQ(Attribute(resource, "service.name"), "orders");
  EXPECT_EQ(Attribute(resource, "service.instance.id"), "orders@host-1");
  bool found = false;
  for (const auto& scope : request.resource_metrics(0).scope_metrics()) {
    for (const otlp::v1::Metric& metric : scope.metrics()) {
      if (metric.name() != "failover.call.total") continue;
      found = true;
      ASSERT_EQ(metric.sum().data_points_size(), 1);
      EXPECT_EQ(metric.sum().data_points(0).as_int(), 3);
    }
  }
  EXPECT_TRUE(found) << request.DebugString();
  EXPECT_EQ((*started)->otlp()->stats().exported, 2u);
}

TEST_F(MetricsExportGrpcTest, RetriesAnUnavailableCollectorWithTheSameBytes) {
  int answered = 0;  // only the server's callback threads touch it, one call at a time
  std::unique_ptr<OtlpGrpcTestServer> server = StartServer([&answered] {
    Reply reply;
    if (answered++ == 0) {
      reply.code = absl::StatusCode::kUnavailable;
      reply.message = "warming up";
    }
    return reply;
  });
  ASSERT_NE(server, nullptr);
  absl::StatusOr<std::unique_ptr<MetricsExport>> started =
      MetricsExport::Start(GrpcConfig(*server), registry_, Deps());
  ASSERT_TRUE(started.ok()) << started.status();
  OtlpExporter* otlp = (*started)->otlp();
  ASSERT_NE(otlp, nullptr);
  clock_.Advance(absl::Seconds(60));  // the first interval: an export, refused
  ASSERT_TRUE(otlp->AwaitIdleForTest(absl::Seconds(10)));
  EXPECT_EQ(server->calls().size(), 1u);
  // The back-off (about 50 ms) is the next timer; the retry goes out when it fires.
  const std::optional<MonotonicTime> retry_due = clock_.NextTimerDue();
  ASSERT_TRUE(retry_due.has_value());
  EXPECT_LE(*retry_due - clock_.Now(), absl::Milliseconds(50));
  clock_.AdvanceTo(*retry_due);
  ASSERT_TRUE(otlp->AwaitIdleForTest(absl::Seconds(10)));
  EXPECT_EQ(otlp->stats().exported, 1u);
  const std::vector<OtlpGrpcTestServer::Call> calls = server->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].request, calls[1].request);
  EXPECT_EQ(otlp->stats().failed_attempts, 1u);
  EXPECT_THAT(warnings(),
              ::testing::Contains(::testing::HasSubstr("gRPC UNAVAILABLE: warming up")));
}

// A blank endpoint under grpc is http://localhost:4317 (an OTLP/HTTP URL with a path would be
// refused): nothing listens there in the test, so the failure warning names it.
TEST_F(MetricsExportGrpcTest, BlankEndpointIsLocalhost4317) {
  ObservableConfig config;
  config.otlp.enabled = true;
  config.otlp.protocol = "grpc";
  config.otlp.timeout = absl::Milliseconds(300);
  absl::StatusOr<std::unique_ptr<MetricsExport>> started =
      MetricsExport::Start(config, registry_, Deps());
  ASSERT_TRUE(started.ok()) << started.status();
  (*started)->Shutdown();  // The final export goes to the default endpoint and fails.
  ASSERT_FALSE(warnings().empty());
  EXPECT_THAT(warnings().front(), ::testing::HasSubstr(":4317"));
}

}  // namespace
}  // namespace failover
