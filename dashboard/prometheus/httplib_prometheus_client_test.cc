// The httplib client against a small loopback HTTP server standing in for Prometheus's API.
#include "dashboard/prometheus/httplib_prometheus_client.h"

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "core/sync.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

constexpr char kVector[] = R"({"status":"success","data":{"resultType":"vector","result":[)"
                           R"({"metric":{"instance":"h:1"},"value":[1700000000,"1"]}]}})";

class FakePrometheusServer {
 public:
  FakePrometheusServer() {
    server_.Get(
        "/prefix/api/v1/query", [this](const httplib::Request& req, httplib::Response& res) {
          {
            MutexLock lock(&mu_);
            query_ = req.get_param_value("query");
            authorization_ = req.get_header_value("Authorization");
          }
          if (req.get_param_value("query") == "slow") {
            std::this_thread::sleep_for(std::chrono::milliseconds(1500));
          }
          if (req.get_param_value("query") == "bad(") {
            res.status = 400;
            res.set_content(R"({"status":"error","errorType":"bad_data","error":"parse error"})",
                            "application/json");
            return;
          }
          res.set_content(kVector, "application/json");
        });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakePrometheusServer() {
    server_.stop();
    thread_.join();
  }
  std::string base_url() const { return absl::StrCat("http://127.0.0.1:", port_, "/prefix/"); }
  std::string query() {
    MutexLock lock(&mu_);
    return query_;
  }
  std::string authorization() {
    MutexLock lock(&mu_);
    return authorization_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  Mutex mu_;
  std::string query_ ABSL_GUARDED_BY(mu_);
  std::string authorization_ ABSL_GUARDED_BY(mu_);
};

TEST(HttplibPrometheusClientTest, QueryEncodedAndBearerTokenSent) {
  FakePrometheusServer server;
  PrometheusClusterConfig config;
  config.base_url = server.base_url();
  config.token = "s3cret";
  auto client = NewHttplibPrometheusClient(config);
  ASSERT_TRUE(client.ok()) << client.status();
  const std::string promql = R"(sum by (name) (x{a="b c",d=~"e|f"}) + 1 & 2)";
  const auto samples = (*client)->Query(promql);
  ASSERT_TRUE(samples.ok()) << samples.status();
  ASSERT_EQ(samples->size(), 1u);
  EXPECT_EQ((*samples)[0].labels.at("instance"), "h:1");
  EXPECT_EQ(server.query(), promql);
  EXPECT_EQ(server.authorization(), "Bearer s3cret");
}

TEST(HttplibPrometheusClientTest, NoTokenNoAuthorization) {
  FakePrometheusServer server;
  PrometheusClusterConfig config;
  config.base_url = server.base_url();
  auto client = NewHttplibPrometheusClient(config);
  ASSERT_TRUE(client.ok()) << client.status();
  ASSERT_TRUE((*client)->Query("up").ok());
  EXPECT_EQ(server.authorization(), "");
}

TEST(HttplibPrometheusClientTest, RejectedQuery) {
  FakePrometheusServer server;
  PrometheusClusterConfig config;
  config.base_url = server.base_url();
  const auto samples = (*NewHttplibPrometheusClient(config))->Query("bad(");
  EXPECT_EQ(samples.status().code(), absl::StatusCode::kInvalidArgument) << samples.status();
}

TEST(HttplibPrometheusClientTest, ReadTimeout) {
  FakePrometheusServer server;
  PrometheusClusterConfig config;
  config.base_url = server.base_url();
  config.timeout_seconds = 1;
  const auto samples = (*NewHttplibPrometheusClient(config))->Query("slow");
  EXPECT_EQ(samples.status().code(), absl::StatusCode::kDeadlineExceeded) << samples.status();
}

TEST(HttplibPrometheusClientTest, NothingListening) {
  int port = 0;
  {
    FakePrometheusServer server;  // a port that was free a moment ago and is closed now
    port = std::stoi(server.base_url().substr(17));
  }
  PrometheusClusterConfig config;
  config.base_url = absl::StrCat("http://127.0.0.1:", port);
  const auto samples = (*NewHttplibPrometheusClient(config))->Query("up");
  EXPECT_EQ(samples.status().code(), absl::StatusCode::kUnavailable) << samples.status();
  EXPECT_EQ(samples.status().message().find("s3cret"), std::string::npos);
}

TEST(HttplibPrometheusClientTest, BadConfigNamesTheKey) {
  PrometheusClusterConfig config;
  for (const char* url : {"", "localhost:9090", "http://", "http://h:1/?x=1"}) {
    config.base_url = url;
    const auto client = NewHttplibPrometheusClient(config);
    EXPECT_EQ(client.status().code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_NE(client.status().message().find("failover.dashboard.cluster.prometheus.base-url"),
              std::string::npos)
        << client.status();
  }
  config.base_url = "http://h:1";
  config.timeout_seconds = 0;
  const auto client = NewHttplibPrometheusClient(config);
  EXPECT_NE(client.status().message().find("timeout-seconds"), std::string::npos)
      << client.status();
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
