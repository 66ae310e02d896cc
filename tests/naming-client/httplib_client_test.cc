// The httplib HttpClient against a real HTTP server (FakeNacosServer) on loopback: answers pass
// through whatever their status, and the absence of an answer maps to UNAVAILABLE or
// DEADLINE_EXCEEDED.
#include "naming-client/httplib_client.h"

#include <memory>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/testing/fake_nacos_server.h"

namespace failover {
namespace naming {
namespace {

using ::testing::HasSubstr;

class HttplibClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = FakeNacosServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  std::unique_ptr<FakeNacosServer> server_;
  std::unique_ptr<HttpClient> http_ = NewHttplibClient();
};

TEST_F(HttplibClientTest, QueryIsEncodedAndTheAnswerPassesThrough) {
  v1::ServiceInfo info;
  info.set_name("a b,c");
  info.set_group_name("G&1");
  info.add_hosts()->set_ip("10.0.0.1");
  server_->SetService("ns=1", info);
  absl::StatusOr<HttpResponse> response =
      http_->Get(server_->address(), "/nacos/v1/ns/instance/list",
                 {{"serviceName", "G&1@@a b,c"}, {"namespaceId", "ns=1"}, {"clusters", "é,x"}},
                 HttpRequestOptions());
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_THAT(response->content_type, HasSubstr("application/json"));
  EXPECT_THAT(response->body, HasSubstr(R"("name":"G&1@@a b,c")"));
  ASSERT_EQ(server_->Requests().size(), 1u);
  const FakeNacosRequest request = server_->Requests()[0];
  EXPECT_EQ(request.params.at("serviceName"), "G&1@@a b,c");
  EXPECT_EQ(request.params.at("namespaceId"), "ns=1");
  EXPECT_EQ(request.params.at("clusters"), "é,x");
}

TEST_F(HttplibClientTest, ErrorStatusesAreResponses) {
  absl::StatusOr<HttpResponse> missing =
      http_->Get(server_->address(), "/nacos/v1/ns/instance/list", {}, HttpRequestOptions());
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(missing->body, "caused: Param 'serviceName' is required.;");
  server_->SetFault(FakeNacosFault::kHttp500);
  absl::StatusOr<HttpResponse> failed =
      http_->Get(server_->address(), "/nacos/v2/ns/instance/list", {{"serviceName", "x"}}, {});
  ASSERT_TRUE(failed.ok()) << failed.status();
  EXPECT_EQ(failed->status, 500);
  EXPECT_THAT(failed->body, HasSubstr(R"("code":30000)"));
}

TEST_F(HttplibClientTest, RefusedConnectionIsUnavailable) {
  server_->Stop();
  absl::StatusOr<HttpResponse> response =
      http_->Get(server_->address(), "/nacos/v1/ns/instance/list", {}, HttpRequestOptions());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(response.status().message(), HasSubstr(server_->address()));
  ASSERT_TRUE(server_->Restart().ok());
  EXPECT_TRUE(
      http_->Get(server_->address(), "/nacos/v1/ns/instance/list", {}, HttpRequestOptions()).ok());
}

TEST_F(HttplibClientTest, NoAnswerWithinTheTimeoutIsDeadlineExceeded) {
  server_->SetFault(FakeNacosFault::kHang, absl::Seconds(30));
  HttpRequestOptions options;
  options.timeout = absl::Milliseconds(200);
  const absl::Time start = absl::Now();
  absl::StatusOr<HttpResponse> response = http_->Get(
      server_->address(), "/nacos/v1/ns/instance/list", {{"serviceName", "g@@s"}}, options);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kDeadlineExceeded) << response.status();
  EXPECT_THAT(response.status().message(), HasSubstr("no response within 200ms"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  server_->SetFault(FakeNacosFault::kNone);
}

TEST_F(HttplibClientTest, MalformedServerAddressIsInvalidArgument) {
  EXPECT_EQ(http_->Get("no-port", "/", {}, {}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace naming
}  // namespace failover
