// The HTTP transport (and a PeerPublisher over it) against a cpp-httplib server on 127.0.0.1.
#include "dashboard/publisher/http_snapshot_transport.h"

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/simulated_clock.h"
#include "core/sync.h"
#include "core/testing/warning_log.h"
#include "dashboard/publisher/peer_publisher.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

struct Received {
  std::string path;
  std::string content_type;
  std::string authorization;
  std::string body;
};

// Answers every POST with `status` and records it.
class IngestServer {
 public:
  IngestServer() {
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      MutexLock lock(&mu_);
      received_.push_back({req.path, req.get_header_value("Content-Type"),
                           req.get_header_value("Authorization"), req.body});
      res.status = status_;
      res.set_content(status_ == 202 ? "" : "bad credentials for ingest", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~IngestServer() {
    server_.stop();
    thread_.join();
  }

  std::string url(absl::string_view base = "/failover-dashboard") const {
    return absl::StrCat("http://127.0.0.1:", port_, base);
  }
  void set_status(int status) {
    MutexLock lock(&mu_);
    status_ = status;
  }
  std::vector<Received> received() {
    MutexLock lock(&mu_);
    return received_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  Mutex mu_;
  int status_ ABSL_GUARDED_BY(mu_) = 202;
  std::vector<Received> received_ ABSL_GUARDED_BY(mu_);
};

std::unique_ptr<SnapshotTransport> Transport(const std::string& url, PublisherAuth auth) {
  HttpSnapshotTransportOptions options;
  options.publish_url = url;
  options.auth = std::move(auth);
  options.timeout = absl::Seconds(5);
  absl::StatusOr<std::unique_ptr<SnapshotTransport>> transport =
      NewHttpSnapshotTransport(std::move(options));
  EXPECT_TRUE(transport.ok()) << transport.status();
  return *std::move(transport);
}

TEST(HttpSnapshotTransportTest, PostsBinaryProtobufWithBasicAuth) {
  IngestServer server;
  PublisherAuth auth;
  auth.kind = PublisherAuth::Kind::kBasic;
  auth.username = "peer";
  auth.password = "pw";
  std::unique_ptr<SnapshotTransport> transport =
      Transport(server.url("/failover-dashboard/"), auth);
  v1::MetricsSnapshot snapshot;
  snapshot.set_instance_id("orders-1");
  snapshot.set_sequence(7);
  v1::MetricSeries* series = snapshot.add_series();
  series->set_name("failover.call.total");
  series->set_counter(12);
  ASSERT_TRUE(transport->Push(snapshot).ok());
  v1::HeartbeatRequest heartbeat;
  heartbeat.set_instance_id("orders-1");
  ASSERT_TRUE(transport->Heartbeat(heartbeat).ok());

  std::vector<Received> received = server.received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].path, "/failover-dashboard/api/cluster/snapshot");
  EXPECT_EQ(received[0].content_type, "application/x-protobuf");
  EXPECT_EQ(received[0].authorization, "Basic " + absl::Base64Escape("peer:pw"));
  v1::MetricsSnapshot decoded;
  ASSERT_TRUE(decoded.ParseFromString(received[0].body));
  EXPECT_EQ(decoded.instance_id(), "orders-1");
  EXPECT_EQ(decoded.sequence(), 7u);
  ASSERT_EQ(decoded.series_size(), 1);
  EXPECT_EQ(decoded.series(0).counter(), 12);
  EXPECT_EQ(received[1].path, "/failover-dashboard/api/cluster/heartbeat");
  v1::HeartbeatRequest decoded_heartbeat;
  ASSERT_TRUE(decoded_heartbeat.ParseFromString(received[1].body));
  EXPECT_EQ(decoded_heartbeat.instance_id(), "orders-1");
}

TEST(HttpSnapshotTransportTest, SendsTheProvidersBearerTokenAndNoHeaderWithoutAuth) {
  IngestServer server;
  PublisherAuth bearer;
  bearer.kind = PublisherAuth::Kind::kBearer;
  bearer.token_provider = []() -> absl::StatusOr<std::string> { return std::string("tok-9"); };
  ASSERT_TRUE(Transport(server.url(""), bearer)->Heartbeat(v1::HeartbeatRequest()).ok());
  ASSERT_TRUE(Transport(server.url(""), PublisherAuth())->Heartbeat(v1::HeartbeatRequest()).ok());
  std::vector<Received> received = server.received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].path, "/api/cluster/heartbeat");
  EXPECT_EQ(received[0].authorization, "Bearer tok-9");
  EXPECT_EQ(received[1].authorization, "");
}

TEST(HttpSnapshotTransportTest, ErrorsNameTheStatusAndUrlButNeverThePassword) {
  IngestServer server;
  PublisherAuth auth;
  auth.kind = PublisherAuth::Kind::kBasic;
  auth.username = "peer";
  auth.password = "hunter2";
  std::unique_ptr<SnapshotTransport> transport = Transport(server.url(), auth);
  const std::string where = absl::StrCat("POST ", server.url(), "/api/cluster/snapshot");
  const struct {
    int http;
    absl::StatusCode code;
  } cases[] = {{401, absl::StatusCode::kUnauthenticated},
               {403, absl::StatusCode::kPermissionDenied},
               {404, absl::StatusCode::kNotFound},
               {400, absl::StatusCode::kInvalidArgument},
               {503, absl::StatusCode::kUnavailable}};
  for (const auto& c : cases) {
    server.set_status(c.http);
    absl::Status status = transport->Push(v1::MetricsSnapshot());
    EXPECT_EQ(status.code(), c.code) << status;
    EXPECT_TRUE(absl::StrContains(status.message(), absl::StrCat(where, ": HTTP ", c.http)))
        << status;
    EXPECT_FALSE(absl::StrContains(status.message(), "hunter2"));
  }
}

TEST(HttpSnapshotTransportTest, UnreachableServerIsUnavailable) {
  int port;
  {
    IngestServer gone;
    port = std::stoi(gone.url("").substr(gone.url("").rfind(':') + 1));
  }
  std::unique_ptr<SnapshotTransport> transport =
      Transport(absl::StrCat("http://127.0.0.1:", port), PublisherAuth());
  absl::Status status = transport->Push(v1::MetricsSnapshot());
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), absl::StrCat("127.0.0.1:", port))) << status;
}

TEST(HttpSnapshotTransportTest, BadUrlsAreRefusedNamingTheKey) {
  for (const char* url :
       {"dash:8080", "http://", "http://u:p@dash", "http://dash:99999", "http://dash/x?y=1"}) {
    HttpSnapshotTransportOptions options;
    options.publish_url = url;
    absl::StatusOr<std::unique_ptr<SnapshotTransport>> transport =
        NewHttpSnapshotTransport(options);
    EXPECT_EQ(transport.status().code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_TRUE(absl::StrContains(transport.status().message(),
                                  "failover.dashboard.cluster.snapshot.publish-url"))
        << transport.status();
    EXPECT_FALSE(absl::StrContains(transport.status().message(), ":p@")) << url;
  }
}

TEST(PeerPublisherOverHttpTest, CreateFromConfigPushesToTheServer) {
  IngestServer server;
  SnapshotConfig config;
  config.publish_url = server.url();
  config.username = "peer";
  config.password = "pw";
  config.heartbeat.enabled = true;
  SimulatedClock clock;
  MetricsRegistry registry;
  registry.GetCounter("failover.call.total", {{"name", "quotes"}}).Increment(4);
  WarningLog log;
  PeerPublisherOptions options;
  options.instance_id = "orders-1";
  options.warnings = log.Sink();
  absl::StatusOr<std::unique_ptr<PeerPublisher>> publisher =
      PeerPublisher::Create(config, registry, clock, options);
  ASSERT_TRUE(publisher.ok()) << publisher.status();
  (*publisher)->AwaitIdleForTest();
  publisher->reset();  // + the final snapshot
  std::vector<Received> received = server.received();
  ASSERT_EQ(received.size(), 3u);  // snapshot and heartbeat at start, final snapshot
  int snapshots = 0;
  for (const Received& r : received) {
    EXPECT_EQ(r.authorization, "Basic " + absl::Base64Escape("peer:pw"));
    if (r.path != "/failover-dashboard/api/cluster/snapshot") continue;
    v1::MetricsSnapshot decoded;
    ASSERT_TRUE(decoded.ParseFromString(r.body));
    EXPECT_EQ(decoded.instance_id(), "orders-1");
    EXPECT_EQ(decoded.sequence(), static_cast<uint64_t>(++snapshots));
  }
  EXPECT_EQ(snapshots, 2);
  EXPECT_TRUE(log.messages().empty());
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
