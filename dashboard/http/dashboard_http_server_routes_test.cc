#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "dashboard/http/dashboard_http_server.h"
#include "dashboard/http/testing/server_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/failover_data_store.h"
#include "proto/metrics_snapshot.pb.h"
#include "store-jdbc/failover_store.h"

namespace failover {
namespace dashboard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST_F(DashboardHttpServerTest, IngestAcceptsBinaryAndJson) {
  v1::MetricsSnapshot snapshot;
  snapshot.set_instance_id("peer-1");
  const auto binary = Post("/api/cluster/snapshot", snapshot.SerializeAsString(),
                           "application/x-protobuf", Basic("pusher", "pusher-pw"));
  ASSERT_TRUE(binary);
  EXPECT_EQ(binary->status, 202);
  EXPECT_EQ(binary->body, R"({"accepted":true})");
  EXPECT_EQ(Post("/api/cluster/snapshot", R"({"instanceId":"peer-2","unknownField":1})",
                 "application/json; charset=utf-8", {{"Authorization", "Bearer push-token"}})
                ->status,
            202);
  EXPECT_EQ(
      Post("/api/cluster/heartbeat", R"({"instanceId":"peer-3"})", "application/json")->status,
      202);
  EXPECT_THAT(ingest_.snapshots(), ElementsAre("peer-1", "peer-2"));
  EXPECT_THAT(ingest_.heartbeats(), ElementsAre("peer-3"));
}

TEST_F(DashboardHttpServerTest, IngestRefusals) {
  const httplib::Headers token = {{"Authorization", "Bearer push-token"}};
  const auto bad_json = Post("/api/cluster/snapshot", "{not json", "application/json", token);
  EXPECT_EQ(bad_json->status, 400);
  EXPECT_THAT(bad_json->body, HasSubstr("not failover.v1.MetricsSnapshot protobuf JSON"));
  const auto bad_binary =
      Post("/api/cluster/heartbeat", "\xff\xff\xff", "application/x-protobuf", token);
  EXPECT_EQ(bad_binary->status, 400);
  EXPECT_THAT(bad_binary->body, HasSubstr("not a binary failover.v1.HeartbeatRequest"));
  const auto text = Post("/api/cluster/snapshot", "x", "text/plain", token);
  EXPECT_EQ(text->status, 415);
  EXPECT_THAT(text->body, HasSubstr("application/x-protobuf"));

  ingest_.Answer(absl::InvalidArgumentError("instance_id: blank"));
  const auto invalid = Post("/api/cluster/snapshot", "{}", "application/json", token);
  EXPECT_EQ(invalid->status, 400);
  EXPECT_THAT(invalid->body, HasSubstr("instance_id: blank"));
  ingest_.Answer(absl::UnavailableError("shutting down"));
  EXPECT_EQ(Post("/api/cluster/snapshot", "{}", "application/json", token)->status, 503);

  EXPECT_EQ(Post("/api/cluster/snapshot", "{}", "application/json", {})->status, 401);
  EXPECT_EQ(
      Post("/api/cluster/snapshot", "{}", "application/json", Basic("viewer", "viewer-pw"))->status,
      403);
}

TEST_F(DashboardHttpServerTest, IngestOutsideSharedStoreModeIs409) {
  Start(BaseConfig(), /*with_ingest=*/false);
  const auto res = Post("/api/cluster/snapshot", "{}", "application/json");
  EXPECT_EQ(res->status, 409);
  EXPECT_THAT(res->body, HasSubstr("failover.dashboard.cluster.mode is not shared-store"));
}

TEST_F(DashboardHttpServerTest, TooLargeBodyIs413) {
  Start(BaseConfig(), true, /*max_body=*/1024);
  const auto res = Post("/api/cluster/snapshot", std::string(4096, 'x'), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_THAT(res->body, HasSubstr("too large"));
  ExpectSecurityHeaders(res);
  EXPECT_THAT(ingest_.snapshots(), IsEmpty());
}

TEST_F(DashboardHttpServerTest, NamingSwitchRecordsWhoChangedIt) {
  const auto put = Put("/api/naming/switch?namespace=dev",
                       R"({"enabled":true,"reason":"registry maintenance"})");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 200);
  const auto get = Get("/api/naming/switch?namespace=dev");
  EXPECT_EQ(get->status, 200);
  EXPECT_THAT(get->body, HasSubstr(R"("enabled":true)"));
  EXPECT_THAT(get->body, HasSubstr(R"("reason":"admin: registry maintenance")"));
  EXPECT_TRUE(naming_.GetSwitch("dev")->enabled);
  EXPECT_FALSE(naming_.GetSwitch("public")->enabled);
  const auto bad = Put("/api/naming/switch", R"({"enabled":"yes"})");
  EXPECT_EQ(bad->status, 400);
  EXPECT_THAT(bad->body, HasSubstr("enabled"));
}

TEST_F(DashboardHttpServerTest, NamingServicesPutGetListDelete) {
  const std::string key = "DEFAULT_GROUP@@orders";
  const auto put = Put(absl::StrCat("/api/naming/services/", key),
                       R"({"name":"orders","groupName":"DEFAULT_GROUP",)"
                       R"("hosts":[{"ip":"10.0.0.1","port":8080}]})");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 200) << put->body;
  const auto get = Get(absl::StrCat("/api/naming/services/", key));
  EXPECT_EQ(get->status, 200);
  EXPECT_THAT(get->body, HasSubstr("\"ip\":\"10.0.0.1\""));
  EXPECT_THAT(get->body, HasSubstr(absl::StrCat("\"key\":\"", key, "\"")));
  const auto list = Get("/api/naming/services");
  EXPECT_THAT(list->body, HasSubstr(absl::StrCat("\"key\":\"", key, "\"")));
  EXPECT_THAT(list->body, HasSubstr("\"hosts\":1"));
  EXPECT_EQ(Put(absl::StrCat("/api/naming/services/", key), "{broken")->status, 400);
  EXPECT_EQ(client_->Delete(absl::StrCat(kBase, "/api/naming/services/", key), kAdmin)->status,
            200);
  EXPECT_EQ(Get(absl::StrCat("/api/naming/services/", key))->status, 404);
  EXPECT_EQ(Get("/api/naming/services?pageSize=-1")->status, 400);
}

TEST_F(DashboardHttpServerTest, ReadsPayloads) {
  const absl::Time now = clock_.WallNow();
  store_.Put(
      FailoverStoreEntry{"quotes", "k1", now, now + absl::Hours(1), R"({"px":1.5})", "acme.Quote"});
  const auto one = Get("/api/payloads?name=quotes&key=k1");
  EXPECT_EQ(one->status, 200);
  EXPECT_THAT(one->body, HasSubstr(R"("payloadClass":"acme.Quote")"));
  EXPECT_THAT(one->body, HasSubstr(R"("payload":"{\"px\":1.5}")"));
  const auto page = Get("/api/payloads?name=quotes");
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr(R"("key":"k1")"));
  EXPECT_EQ(Get("/api/payloads?name=quotes&key=nope")->status, 404);
  EXPECT_EQ(Get("/api/payloads?name=quotes&pageSize=x")->status, 400);
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
