#include "dashboard/grpc/dashboard_grpc_server.h"

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/config/dashboard_config.h"
#include "core/metrics/metrics_registry.h"
#include "core/random.h"
#include "core/simulated_clock.h"
#include "core/testing/warning_log.h"
#include "dashboard/grpc/testing/health.grpc.pb.h"
#include "dashboard/grpc/testing/recording_ingest_sink.h"
#include "dashboard/ingest_counters.h"
#include "dashboard/security/password_hash.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "naming-client/failover_data_store.h"
#include "proto/failover_data.grpc.pb.h"
#include "proto/metrics_snapshot.grpc.pb.h"
#include "proto/payload_store.grpc.pb.h"
#include "store-jdbc/call/key_generator.h"
#include "store-jdbc/testing/map_failover_store.h"

namespace failover {
namespace dashboard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kIngestToken[] = "ingest-token-1";

std::string Basic(absl::string_view user, absl::string_view password) {
  return absl::StrCat("Basic ", absl::Base64Escape(absl::StrCat(user, ":", password)));
}

v1::MetricsSnapshot Snapshot(std::string instance_id) {
  v1::MetricsSnapshot snapshot;
  snapshot.set_instance_id(std::move(instance_id));
  snapshot.set_sequence(1);
  v1::MetricSeries* series = snapshot.add_series();
  series->set_name("failover.calls");
  series->set_counter(3);
  return snapshot;
}

class DashboardGrpcServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    DashboardSecurityConfig security;
    SeededRandom random(7);
    security.users.push_back(
        {"admin", HashPassword("admin-pw", random, kMinPbkdf2Iterations), {"FAILOVER_ADMIN"}});
    security.users.push_back(
        {"pusher", HashPassword("pusher-pw", random, kMinPbkdf2Iterations), {"FAILOVER_INGEST"}});
    security.users.push_back(
        {"viewer", HashPassword("viewer-pw", random, kMinPbkdf2Iterations), {"VIEWER"}});
    security.ingest_tokens = {kIngestToken};
    absl::StatusOr<std::unique_ptr<Authenticator>> auth =
        Authenticator::Create(security, clock_, warning_sink_);
    ASSERT_TRUE(auth.ok()) << auth.status();
    auth_ = *std::move(auth);

    const absl::Time now = clock_.WallNow();
    payload_store_.Put({"quotes", "k-b", now, now + absl::Hours(1), R"({"px":2})", "acme.Quote"});
    payload_store_.Put({"quotes", "k-a", now, now + absl::Hours(1), R"({"px":1})", "acme.Quote"});
    payload_store_.Put({"quotes", DefaultFailoverKey("quotes", {"EURUSD", 2}), now,
                        now + absl::Hours(1), R"({"px":3})", "acme.Quote"});
    ASSERT_TRUE(naming_.SetSwitch("public", true, "drill").ok());

    services_.ingest = &sink_;
    services_.auth = auth_.get();
    services_.naming_data = &naming_;
    services_.payloads = &payloads_;
    services_.cluster_exposed = true;
    services_.warnings = &warning_sink_;
  }

  // Starts the server with services_ and connects to it.
  void Start() {
    absl::StatusOr<std::unique_ptr<DashboardGrpcServer>> server =
        DashboardGrpcServer::Start("127.0.0.1:0", services_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_GT(server_->port(), 0);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
    ingest_ = v1::ClusterIngest::NewStub(channel_);
    payload_stub_ = v1::FailoverPayloads::NewStub(channel_);
    failover_data_ = v1::FailoverData::NewStub(channel_);
  }

  // A client context with a deadline and, if not empty, an authorization entry.
  std::unique_ptr<grpc::ClientContext> Context(absl::string_view authorization = "") {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!authorization.empty()) context->AddMetadata("authorization", std::string(authorization));
    return context;
  }

  grpc::Status Push(const v1::MetricsSnapshot& snapshot, absl::string_view authorization) {
    v1::PushSnapshotResponse response;
    grpc::Status status = ingest_->PushSnapshot(Context(authorization).get(), snapshot, &response);
    EXPECT_EQ(response.accepted(), status.ok());
    return status;
  }

  grpc::Status Get(const v1::GetPayloadRequest& request, v1::GetPayloadResponse* response,
                   absl::string_view authorization = "") {
    return payload_stub_->GetPayload(Context(authorization.empty() ? admin_ : authorization).get(),
                                     request, response);
  }

  SimulatedClock clock_;
  WarningLog warnings_;
  WarningSink warning_sink_ = warnings_.Sink();
  std::unique_ptr<Authenticator> auth_;
  RecordingIngestSink sink_;
  MapFailoverStore payload_store_;
  PayloadReader payloads_{payload_store_, clock_};
  naming::FailoverDataStore naming_;
  DashboardGrpcServices services_;
  const std::string admin_ = Basic("admin", "admin-pw");

  std::unique_ptr<DashboardGrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ClusterIngest::Stub> ingest_;
  std::unique_ptr<v1::FailoverPayloads::Stub> payload_stub_;
  std::unique_ptr<v1::FailoverData::Stub> failover_data_;
};

TEST_F(DashboardGrpcServerTest, IngestsSnapshotsAndHeartbeatsWithATokenOrAnIngestUser) {
  Start();
  EXPECT_TRUE(Push(Snapshot("app-1"), absl::StrCat("Bearer ", kIngestToken)).ok());
  EXPECT_TRUE(Push(Snapshot("app-2"), Basic("pusher", "pusher-pw")).ok());
  EXPECT_TRUE(Push(Snapshot("app-3"), admin_).ok());  // The admin role may ingest too.

  v1::HeartbeatRequest heartbeat;
  heartbeat.set_instance_id("app-1");
  heartbeat.set_process_start_unix_nanos(42);
  v1::HeartbeatResponse response;
  grpc::Status status = ingest_->Heartbeat(Context(absl::StrCat("Bearer ", kIngestToken)).get(),
                                           heartbeat, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(response.accepted());

  std::vector<v1::MetricsSnapshot> got = sink_.snapshots();
  ASSERT_THAT(got, SizeIs(3));
  EXPECT_EQ(got[0].instance_id(), "app-1");
  EXPECT_EQ(got[0].series(0).counter(), 3);
  EXPECT_EQ(got[2].instance_id(), "app-3");
  ASSERT_THAT(sink_.heartbeats(), SizeIs(1));
  EXPECT_EQ(sink_.heartbeats()[0].process_start_unix_nanos(), 42);
}

TEST_F(DashboardGrpcServerTest, IngestWithoutGoodCredentialsIsUnauthenticated) {
  Start();
  EXPECT_EQ(Push(Snapshot("app-1"), "").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Push(Snapshot("app-1"), "Bearer wrong").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Push(Snapshot("app-1"), Basic("pusher", "wrong")).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::HeartbeatRequest heartbeat;
  heartbeat.set_instance_id("app-1");
  v1::HeartbeatResponse response;
  EXPECT_EQ(ingest_->Heartbeat(Context().get(), heartbeat, &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(sink_.snapshots(), IsEmpty());
  EXPECT_THAT(sink_.heartbeats(), IsEmpty());
}

TEST_F(DashboardGrpcServerTest, IngestByAUserWithoutTheIngestRoleIsPermissionDenied) {
  Start();
  EXPECT_EQ(Push(Snapshot("app-1"), Basic("viewer", "viewer-pw")).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(sink_.snapshots(), IsEmpty());
}

TEST_F(DashboardGrpcServerTest, RepeatedFailuresLockTheAddressOut) {
  Start();
  for (int i = 0; i < 5; ++i) Push(Snapshot("app-1"), "Bearer wrong");  // max-failures: 5.
  grpc::Status locked = Push(Snapshot("app-1"), absl::StrCat("Bearer ", kIngestToken));
  EXPECT_EQ(locked.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(locked.error_message(), HasSubstr("retry after"));
  clock_.Advance(absl::Minutes(2));  // Past the lockout.
  EXPECT_TRUE(Push(Snapshot("app-1"), absl::StrCat("Bearer ", kIngestToken)).ok());
}

TEST_F(DashboardGrpcServerTest, SnapshotsTheSinkRefusesAreInvalidArguments) {
  Start();
  grpc::Status status = Push(Snapshot(""), absl::StrCat("Bearer ", kIngestToken));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "snapshot: instance_id is blank");

  sink_.FailWith(absl::UnavailableError("snapshot repository down"));
  status = Push(Snapshot("app-1"), absl::StrCat("Bearer ", kIngestToken));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(status.error_message(), "snapshot repository down");
}

TEST_F(DashboardGrpcServerTest, IngestNotExposedIsNotFoundWithOneWarning) {
  services_.cluster_exposed = false;
  Start();
  const std::string token = absl::StrCat("Bearer ", kIngestToken);
  EXPECT_EQ(Push(Snapshot("app-1"), token).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Push(Snapshot("app-1"), "").error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(sink_.snapshots(), IsEmpty());
  EXPECT_THAT(warnings_.messages(), ElementsAre(HasSubstr("does not list 'cluster'")));
}

TEST_F(DashboardGrpcServerTest, IngestOutsideSharedStoreModeIsFailedPrecondition) {
  services_.ingest = nullptr;
  Start();
  grpc::Status status = Push(Snapshot("app-1"), absl::StrCat("Bearer ", kIngestToken));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("shared-store"));
  // Credentials are checked first: the mode is not told to strangers.
  EXPECT_EQ(Push(Snapshot("app-1"), "").error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(DashboardGrpcServerTest, IngestIsOpenWithoutIngestCredentialsConfigured) {
  DashboardSecurityConfig open;  // No users, no tokens.
  absl::StatusOr<std::unique_ptr<Authenticator>> auth =
      Authenticator::Create(open, clock_, warning_sink_);
  ASSERT_TRUE(auth.ok()) << auth.status();
  services_.auth = auth->get();
  Start();
  EXPECT_TRUE(Push(Snapshot("app-1"), "").ok());
  EXPECT_THAT(sink_.snapshots(), SizeIs(1));
}

TEST_F(DashboardGrpcServerTest, IngestCallsAreCountedByResult) {
  MetricsRegistry registry;
  IngestCounters counters(registry);
  services_.ingest_counters = &counters;
  Start();
  const std::string token = absl::StrCat("Bearer ", kIngestToken);
  EXPECT_TRUE(Push(Snapshot("app-1"), token).ok());
  EXPECT_TRUE(Push(Snapshot("app-2"), token).ok());
  v1::HeartbeatRequest heartbeat;
  heartbeat.set_instance_id("app-1");
  v1::HeartbeatResponse response;
  EXPECT_TRUE(ingest_->Heartbeat(Context(token).get(), heartbeat, &response).ok());
  EXPECT_FALSE(Push(Snapshot(""), token).ok());                              // The sink refuses it.
  EXPECT_FALSE(Push(Snapshot("app-1"), "Bearer wrong").ok());                // Bad credentials.
  EXPECT_FALSE(Push(Snapshot("app-1"), Basic("viewer", "viewer-pw")).ok());  // No ingest role.
  const auto count = [&registry](absl::string_view result) {
    return registry
        .GetCounter(IngestCounters::kMetricName, {{"result", result}, {"transport", "grpc"}})
        .Value();
  };
  EXPECT_EQ(count("accepted"), 3u);
  EXPECT_EQ(count("rejected"), 1u);
  EXPECT_EQ(count("unauthorized"), 2u);
  EXPECT_EQ(
      registry
          .GetCounter(IngestCounters::kMetricName, {{"result", "accepted"}, {"transport", "http"}})
          .Value(),
      0u);
}

TEST_F(DashboardGrpcServerTest, GetsPayloadsByKeyAndRawKey) {
  Start();
  v1::GetPayloadRequest request;
  request.set_name("quotes");
  request.set_key("k-a");
  v1::GetPayloadResponse response;
  grpc::Status status = Get(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.entry().name(), "quotes");
  EXPECT_EQ(response.entry().key(), "k-a");
  EXPECT_EQ(response.entry().payload(), R"({"px":1})");
  EXPECT_EQ(response.entry().payload_class(), "acme.Quote");
  EXPECT_EQ(response.entry().as_of_unix_nanos(), absl::ToUnixNanos(clock_.WallNow()));
  EXPECT_EQ(response.entry().expire_on_unix_nanos(),
            absl::ToUnixNanos(clock_.WallNow() + absl::Hours(1)));

  request.set_raw_key("EURUSD:2");  // The oneof: replaces the key.
  status = Get(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.entry().key(), DefaultFailoverKey("quotes", {"EURUSD", 2}));
  EXPECT_EQ(response.entry().payload(), R"({"px":3})");
}

TEST_F(DashboardGrpcServerTest, MissingExpiredAndBadPayloadRequests) {
  Start();
  v1::GetPayloadRequest request;
  request.set_name("quotes");
  request.set_key("k-missing");
  v1::GetPayloadResponse response;
  EXPECT_EQ(Get(request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  clock_.Advance(absl::Hours(2));
  request.set_key("k-a");
  EXPECT_EQ(Get(request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  request.clear_key();  // Neither key nor raw key.
  EXPECT_EQ(Get(request, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  payload_store_.FailFindsWith(absl::UnavailableError("db down"));
  request.set_key("k-a");
  EXPECT_EQ(Get(request, &response).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(DashboardGrpcServerTest, ListsPayloadsInPages) {
  Start();
  v1::ListPayloadsRequest request;
  request.set_name("quotes");
  request.set_page_size(2);
  v1::ListPayloadsResponse first;
  grpc::Status status = payload_stub_->ListPayloads(Context(admin_).get(), request, &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(first.entries(), SizeIs(2));
  ASSERT_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  v1::ListPayloadsResponse second;
  status = payload_stub_->ListPayloads(Context(admin_).get(), request, &second);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(second.entries(), SizeIs(1));
  EXPECT_TRUE(second.next_page_token().empty());
  std::vector<std::string> keys = {first.entries(0).key(), first.entries(1).key(),
                                   second.entries(0).key()};
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_THAT(keys, ::testing::Contains("k-a"));

  request.set_page_token("garbage!");
  EXPECT_EQ(payload_stub_->ListPayloads(Context(admin_).get(), request, &second).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.clear_page_token();
  request.set_page_size(-1);
  EXPECT_EQ(payload_stub_->ListPayloads(Context(admin_).get(), request, &second).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(DashboardGrpcServerTest, PayloadsNeedTheAdminRole) {
  Start();
  v1::GetPayloadRequest request;
  request.set_name("quotes");
  request.set_key("k-a");
  v1::GetPayloadResponse response;
  v1::ListPayloadsRequest list;
  list.set_name("quotes");
  v1::ListPayloadsResponse listed;
  EXPECT_EQ(payload_stub_->GetPayload(Context().get(), request, &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(payload_stub_->ListPayloads(Context().get(), list, &listed).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Get(request, &response, Basic("pusher", "pusher-pw")).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(Get(request, &response, absl::StrCat("Bearer ", kIngestToken)).error_code(),
            grpc::StatusCode::OK);  // Ingest tokens are for ingest only.
  EXPECT_EQ(payload_store_.find_calls(), 0);
}

TEST_F(DashboardGrpcServerTest, PayloadsWithoutAStoreAreFailedPrecondition) {
  services_.payloads = nullptr;
  Start();
  v1::GetPayloadRequest request;
  request.set_name("quotes");
  request.set_key("k-a");
  v1::GetPayloadResponse response;
  EXPECT_EQ(Get(request, &response).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(DashboardGrpcServerTest, ServesFailoverDataWithoutCredentials) {
  v1::ServiceInfo info;
  info.set_name("orders");
  info.set_group_name("DEFAULT_GROUP");
  info.add_hosts()->set_ip("10.0.0.1");
  ASSERT_TRUE(naming_.UpsertService("public", "DEFAULT_GROUP@@orders", info).ok());
  Start();

  v1::GetSwitchRequest get_switch;
  get_switch.set_namespace_("public");
  v1::GetSwitchResponse switch_state;
  grpc::Status status = failover_data_->GetSwitch(Context().get(), get_switch, &switch_state);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(switch_state.state().enabled());
  EXPECT_EQ(switch_state.state().reason(), "drill");
  EXPECT_EQ(switch_state.epoch(), naming_.epoch());

  v1::GetServiceRequest get_service;
  get_service.set_namespace_("public");
  get_service.set_key("DEFAULT_GROUP@@orders");
  v1::GetServiceResponse service;
  status = failover_data_->GetService(Context().get(), get_service, &service);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(service.service().info().hosts(0).ip(), "10.0.0.1");
  EXPECT_EQ(service.revision(), 2u);
}

TEST_F(DashboardGrpcServerTest, WatchSeesAChangeMadeAfterItStarted) {
  Start();
  v1::WatchRequest request;
  request.set_namespace_("public");
  std::unique_ptr<grpc::ClientContext> context = Context();
  std::unique_ptr<grpc::ClientReader<v1::WatchResponse>> stream =
      failover_data_->Watch(context.get(), request);
  v1::WatchResponse snapshot;
  ASSERT_TRUE(stream->Read(&snapshot));
  ASSERT_TRUE(snapshot.snapshot_begin() && snapshot.snapshot_end());
  EXPECT_TRUE(snapshot.events(0).switch_changed().enabled());

  const absl::Time changed_at = absl::Now();
  ASSERT_TRUE(naming_.SetSwitch("public", false, "registry back").ok());
  v1::WatchResponse change;
  ASSERT_TRUE(stream->Read(&change));
  EXPECT_LT(absl::Now() - changed_at, absl::Seconds(1));
  ASSERT_THAT(change.events(), SizeIs(1));
  EXPECT_FALSE(change.events(0).switch_changed().enabled());
  EXPECT_EQ(change.events(0).switch_changed().reason(), "registry back");
  context->TryCancel();
}

TEST_F(DashboardGrpcServerTest, ShutdownEndsOpenWatchesAtOnce) {
  Start();
  v1::WatchRequest request;
  request.set_namespace_("public");
  std::unique_ptr<grpc::ClientContext> context = Context();
  std::unique_ptr<grpc::ClientReader<v1::WatchResponse>> stream =
      failover_data_->Watch(context.get(), request);
  v1::WatchResponse response;
  ASSERT_TRUE(stream->Read(&response));

  const absl::Time start = absl::Now();
  server_->Shutdown(absl::Seconds(10));
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));  // Did not wait for the grace period.
  while (stream->Read(&response)) {
  }
  EXPECT_EQ(stream->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  server_->Shutdown(absl::Seconds(1));  // Again: returns at once.
}

TEST_F(DashboardGrpcServerTest, HealthIsServing) {
  Start();
  std::unique_ptr<grpc::health::v1::Health::Stub> health =
      grpc::health::v1::Health::NewStub(channel_);
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = health->Check(Context().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(DashboardGrpcServerTest, WithoutANamingStoreFailoverDataIsUnimplemented) {
  services_.naming_data = nullptr;
  Start();
  v1::GetSwitchRequest request;
  v1::GetSwitchResponse response;
  EXPECT_EQ(failover_data_->GetSwitch(Context().get(), request, &response).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(DashboardGrpcServerTest, BadListenAddresses) {
  EXPECT_EQ(DashboardGrpcServer::Start(" ", services_).status().code(),
            absl::StatusCode::kInvalidArgument);
  Start();
  absl::StatusOr<std::unique_ptr<DashboardGrpcServer>> taken =
      DashboardGrpcServer::Start(absl::StrCat("127.0.0.1:", server_->port()), services_);
  EXPECT_EQ(taken.status().code(), absl::StatusCode::kUnavailable) << taken.status();
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
