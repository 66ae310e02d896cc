// MetricsExport from configuration: the Prometheus listener scraped over loopback, and OTLP
// exports received by a real HTTP server on loopback and parsed as ExportMetricsServiceRequest.
#include "core/metrics/export/metrics_export.h"

#include <httplib.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/random.h"
#include "core/simulated_clock.h"
#include "core/sync.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/otlp_metrics.pb.h"

namespace failover {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Collects the POSTs an OTLP/HTTP collector would get and answers 200.
class OtlpReceiver {
 public:
  struct Export {
    std::string body;  // decompressed by httplib when Content-Encoding is gzip
    std::string content_encoding;
  };

  OtlpReceiver() {
    server_.Post("/v1/metrics", [this](const httplib::Request& req, httplib::Response& res) {
      MutexLock lock(&mu_);
      exports_.push_back({req.body, req.get_header_value("Content-Encoding")});
      res.status = 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~OtlpReceiver() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return absl::StrCat("http://127.0.0.1:", port_, "/v1/metrics"); }
  std::vector<Export> exports() {
    MutexLock lock(&mu_);
    return exports_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  Mutex mu_;
  std::vector<Export> exports_ ABSL_GUARDED_BY(mu_);
};

std::string Attribute(const google::protobuf::RepeatedPtrField<otlp::v1::KeyValue>& attributes,
                      const std::string& key) {
  for (const otlp::v1::KeyValue& kv : attributes) {
    if (kv.key() == key) return kv.value().string_value();
  }
  return "<absent>";
}

const otlp::v1::Metric* FindMetric(const otlp::v1::ExportMetricsServiceRequest& request,
                                   const std::string& name) {
  for (const auto& resource_metrics : request.resource_metrics()) {
    for (const auto& scope_metrics : resource_metrics.scope_metrics()) {
      for (const otlp::v1::Metric& metric : scope_metrics.metrics()) {
        if (metric.name() == name) return &metric;
      }
    }
  }
  return nullptr;
}

double Value(const otlp::v1::NumberDataPoint& point) {
  return point.value_case() == otlp::v1::NumberDataPoint::kAsInt ? point.as_int()
                                                                 : point.as_double();
}

otlp::v1::ExportMetricsServiceRequest Parse(const std::string& body) {
  otlp::v1::ExportMetricsServiceRequest request;
  EXPECT_TRUE(request.ParseFromString(body));
  return request;
}

class MetricsExportTest : public ::testing::Test {
 protected:
  MetricsExportTest() {
    registry_.GetCounter("failover.call.total", {{"name", "quotes"}, {"result", "success"}})
        .Increment(3);
  }

  MetricsExportDeps Deps() {
    MetricsExportDeps deps;
    deps.clock = &clock_;
    deps.random = &random_;
    deps.warnings = [](absl::string_view message) { ADD_FAILURE() << "warning: " << message; };
    deps.application_name = "orders";
    deps.host_name = "host-1";
    return deps;
  }

  ObservableConfig OtlpConfig() {
    ObservableConfig config;
    config.otlp.enabled = true;
    config.otlp.endpoint = receiver_.url();
    config.otlp.timeout = absl::Seconds(5);
    return config;
  }

  SimulatedClock clock_;
  SeededRandom random_{7};
  MetricsRegistry registry_;
  OtlpReceiver receiver_;
};

TEST_F(MetricsExportTest, NothingEnabledStartsNothing) {
  absl::StatusOr<std::unique_ptr<MetricsExport>> started =
      MetricsExport::Start(ObservableConfig(), registry_, Deps());
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ((*started)->prometheus(), nullptr);
  EXPECT_EQ((*started)->otlp(), nullptr);
  (*started)->Shutdown();
  EXPECT_TRUE(receiver_.exports().empty());
}

TEST_F(MetricsExportTest, PrometheusListenerServesTheRegistry) {
  ObservableConfig config;
  config.prometheus.enabled = true;
  config.prometheus.listen = "127.0.0.1:0";
  absl::StatusOr<std::unique_ptr<MetricsExport>> started =
      MetricsExport::Start(config, registry_, Deps());
  ASSERT_TRUE(started.ok()) << started.status();
  ASSERT_NE((*started)->prometheus(), nullptr);
  EXPECT_EQ((*started)->otlp(), nullptr);
  const int port = (*started)->prometheus()->port();
  httplib::Client client("127.0.0.1", port);
  httplib::Result res = client.Get("/metrics");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->body, HasSubstr("failover_call_total{name=\"quotes\",result=\"success\"} 3\n"));

  (*started)->Shutdown();
  (*started)->Shutdown();
  EXPECT_FALSE(httplib::Client("127.0.0.1", port).Get("/metrics"));
}

TEST_F(MetricsExportTest, OtlpExportCarriesResourceAndCounters) {
  const absl::Time started_at = clock_.WallNow();
  absl::StatusOr<std::unique_ptr<MetricsExport>> started =
      MetricsExport::Start(OtlpConfig(), registry_, Deps());
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ((*started)->prometheus(), nullptr);
  ASSERT_NE((*started)->otlp(), nullptr);
  clock_.Advance(absl::Seconds(7));  // less than the interval: no export of its own
  ASSERT_TRUE((*started)->otlp()->ForceFlush(absl::Seconds(10)));

  const std::vector<OtlpReceiver::Export> exports = receiver_.exports();
  ASSERT_EQ(exports.size(), 1u);
  EXPECT_EQ(exports[0].content_encoding, "");
  const otlp::v1::ExportMetricsServiceRequest request = Parse(exports[0].body);
  ASSERT_EQ(request.resource_metrics_size(), 1);
  const auto& resource = request.resource_metrics(0).resource().attributes();
  EXPECT_EQ(Attribute(resource, "service.name"), "orders");
  EXPECT_EQ(Attribute(resource, "service.instance.id"), "orders@host-1");
  EXPECT_EQ(Attribute(resource, "host.name"), "host-1");

  const otlp::v1::Metric* calls = FindMetric(request, "failover.call.total");
  ASSERT_NE(calls, nullptr) << request.DebugString();
  ASSERT_TRUE(calls->has_sum());
  ASSERT_EQ(calls->sum().data_points_size(), 1);
  const otlp::v1::NumberDataPoint& point = calls->sum().data_points(0);
  EXPECT_EQ(Value(point), 3);
  EXPECT_EQ(Attribute(point.attributes(), "name"), "quotes");
  EXPECT_EQ(Attribute(point.attributes(), "result"), "success");
  // instance.mode auto tags push exporters.
  EXPECT_EQ(Attribute(point.attributes(), "instance"), "orders@host-1");
  EXPECT_EQ(point.start_time_unix_nano(), absl::ToUnixNanos(started_at));
  EXPECT_EQ(point.time_unix_nano(), absl::ToUnixNanos(started_at + absl::Seconds(7)));
  // The exporter's own meters land in the same registry.
  EXPECT_NE(FindMetric(request, "failover.otlp.exports.total"), nullptr);
}

TEST_F(MetricsExportTest, OtlpExportsEveryIntervalOnceStarted) {
  ObservableConfig config = OtlpConfig();
  config.otlp.interval = absl::Seconds(30);
  absl::StatusOr<std::unique_ptr<MetricsExport>> started =
      MetricsExport::Start(config, registry_, Deps());
  ASSERT_TRUE(started.ok()) << started.status();
  clock_.Advance(absl::Seconds(30));
  ASSERT_TRUE((*started)->otlp()->AwaitIdleForTest(absl::Seconds(10)));
  EXPECT_EQ(receiver_.exports().size(), 1u);
  clock_.Advance(absl::Seconds(30));
  ASSERT_TRUE((*started)->otlp()->AwaitIdleForTest(absl::Seconds(10)));
  EXPECT_EQ(receiver_.exports().size(), 2u);
}

TEST_F(MetricsExportTest, ServiceNameAndGzipFromConfig) {
  ObservableConfig config = OtlpConfig();
  config.otlp.service_name = " checkout ";
  config.otlp.compression = "gzip";
  config.instance.id = "pod-7";
  absl::StatusOr<std::unique_ptr<MetricsExport>> started =
      MetricsExport::Start(config, registry_, Deps());
  ASSERT_TRUE(started.ok()) << started.status();
  ASSERT_TRUE((*started)->otlp()->ForceFlush(absl::Seconds(10)));
  const std::vector<OtlpReceiver::Export> exports = receiver_.exports();
  ASSERT_EQ(exports.size(), 1u);
  EXPECT_EQ(exports[0].content_encoding, "gzip");
  const otlp::v1::ExportMetricsServiceRequest request = Parse(exports[0].body);
  ASSERT_EQ(request.resource_metrics_size(), 1);
  const auto& resource = request.resource_metrics(0).resource().attributes();
  EXPECT_EQ(Attribute(resource, "service.name"), "checkout");
  EXPECT_EQ(Attribute(resource, "service.instance.id"), "pod-7");
}

TEST_F(MetricsExportTest, ShutdownSendsAFinalExport) {
  absl::StatusOr<std::unique_ptr<MetricsExport>> started =
      MetricsExport::Start(OtlpConfig(), registry_, Deps());
  ASSERT_TRUE(started.ok()) << started.status();
  registry_.GetCounter("failover.call.total", {{"name", "quotes"}, {"result", "success"}})
      .Increment(2);
  (*started)->Shutdown();
  (*started)->Shutdown();
  const std::vector<OtlpReceiver::Export> exports = receiver_.exports();
  ASSERT_EQ(exports.size(), 1u);
  const otlp::v1::ExportMetricsServiceRequest request = Parse(exports[0].body);
  const otlp::v1::Metric* calls = FindMetric(request, "failover.call.total");
  ASSERT_NE(calls, nullptr);
  ASSERT_EQ(calls->sum().data_points_size(), 1);
  EXPECT_EQ(Value(calls->sum().data_points(0)), 5);
}

TEST_F(MetricsExportTest, BadHeaderIsRefusedByName) {
  ObservableConfig config = OtlpConfig();
  config.otlp.headers = {"Authorization=Bearer x", "no-equals-sign"};
  absl::StatusOr<std::unique_ptr<MetricsExport>> started =
      MetricsExport::Start(config, registry_, Deps());
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(started.status().message()),
              StartsWith("failover.observable.otlp.headers"));
  EXPECT_THAT(started.status().message(), HasSubstr("[1]"));
  EXPECT_THAT(started.status().message(), ::testing::Not(HasSubstr("Bearer")));  // a secret
}

TEST_F(MetricsExportTest, BadOtlpSettingsAreRefusedByName) {
  ObservableConfig config = OtlpConfig();
  config.otlp.endpoint = "ftp://collector/v1/metrics";
  absl::StatusOr<std::unique_ptr<MetricsExport>> started =
      MetricsExport::Start(config, registry_, Deps());
  ASSERT_FALSE(started.ok());
  EXPECT_THAT(std::string(started.status().message()),
              StartsWith("failover.observable.otlp.endpoint"));

  config = OtlpConfig();
  config.otlp.compression = "zstd";
  started = MetricsExport::Start(config, registry_, Deps());
  ASSERT_FALSE(started.ok());
  EXPECT_THAT(std::string(started.status().message()),
              StartsWith("failover.observable.otlp.compression: 'zstd'"));
}

TEST_F(MetricsExportTest, BadGrpcSettingsAreRefusedByName) {
  ObservableConfig config = OtlpConfig();
  config.otlp.protocol = "grpc";  // the endpoint is still the OTLP/HTTP URL, with a path
  absl::StatusOr<std::unique_ptr<MetricsExport>> started =
      MetricsExport::Start(config, registry_, Deps());
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(started.status().message()),
              StartsWith("failover.observable.otlp.endpoint: '" + receiver_.url() + "'"));
  EXPECT_THAT(started.status().message(), HasSubstr("must not have a path"));

  config.otlp.endpoint = "http://127.0.0.1:4317";
  config.otlp.headers = {"grpc-timeout=1S"};
  started = MetricsExport::Start(config, registry_, Deps());
  ASSERT_FALSE(started.ok());
  EXPECT_THAT(std::string(started.status().message()),
              StartsWith("failover.observable.otlp.headers[0] (grpc-timeout)"));

  config = OtlpConfig();
  config.otlp.protocol = "http/json";
  started = MetricsExport::Start(config, registry_, Deps());
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().message(),
            "failover.observable.otlp.protocol: 'http/json' must be http/protobuf or grpc");
  EXPECT_TRUE(receiver_.exports().empty());
}

// A blank endpoint is the protocol's local default (an OTLP/HTTP URL with a path would be refused
// under grpc, so the default cannot be one fixed string). Nothing listens there in the test, so
// the failure warning names where the final export went.
TEST_F(MetricsExportTest, BlankEndpointIsTheProtocolsDefault) {
  // (grpc's default is checked in metrics_export_grpc_test: a gRPC channel is not TSan-clean.)
  for (const auto& [protocol, destination] :
       {std::pair<std::string, std::string>{"http/protobuf", "http://localhost:4318/v1/metrics"}}) {
    ObservableConfig config = OtlpConfig();
    config.otlp.protocol = protocol;
    config.otlp.endpoint = "";
    config.otlp.timeout = absl::Milliseconds(300);
    auto warnings = std::make_shared<std::vector<std::string>>();
    MetricsExportDeps deps = Deps();
    deps.warnings = [warnings](absl::string_view message) { warnings->emplace_back(message); };
    absl::StatusOr<std::unique_ptr<MetricsExport>> started =
        MetricsExport::Start(config, registry_, std::move(deps));
    ASSERT_TRUE(started.ok()) << protocol << ": " << started.status();
    ASSERT_NE((*started)->otlp(), nullptr) << protocol;
    (*started)->Shutdown();  // The final export goes to the default endpoint and fails.
    ASSERT_FALSE(warnings->empty()) << protocol;
    EXPECT_THAT(warnings->front(), HasSubstr(destination)) << protocol;
  }
}

TEST_F(MetricsExportTest, ListenInUseIsRefusedByNameAndStartsNoExporter) {
  ObservableConfig config;
  config.prometheus.enabled = true;
  config.prometheus.listen = "127.0.0.1:0";
  absl::StatusOr<std::unique_ptr<MetricsExport>> first =
      MetricsExport::Start(config, registry_, Deps());
  ASSERT_TRUE(first.ok()) << first.status();

  ObservableConfig second_config = OtlpConfig();
  second_config.prometheus.enabled = true;
  second_config.prometheus.listen = absl::StrCat("127.0.0.1:", (*first)->prometheus()->port());
  absl::StatusOr<std::unique_ptr<MetricsExport>> second =
      MetricsExport::Start(second_config, registry_, Deps());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message(), absl::StrCat("failover.observable.prometheus.listen: ",
                                                    second_config.prometheus.listen, " is in use"));
  // An exporter that had been created would have sent a final export while being destroyed.
  EXPECT_TRUE(receiver_.exports().empty());
}

}  // namespace
}  // namespace failover
