#include "naming-client/nacos_http_upstream.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "core/random.h"
#include "core/simulated_clock.h"
#include "core/sync.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace failover {
namespace naming {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

constexpr char kV1Body[] =
    R"({"name":"DEFAULT_GROUP@@orders","groupName":"DEFAULT_GROUP","clusters":"","cacheMillis":3000,)"
    R"("hosts":[{"ip":"10.0.0.1","port":8080,"weight":1.0,"healthy":true,"enabled":true,)"
    R"("ephemeral":true,"clusterName":"DEFAULT","serviceName":"DEFAULT_GROUP@@orders"}],)"
    R"("lastRefTime":1700000000000,"checksum":"","allIPs":false,"reachProtectionThreshold":false,)"
    R"("valid":true})";

std::string V2Body(absl::string_view data) {
  return absl::StrCat(R"({"code":0,"message":"success","data":)", data, "}");
}

HttpResponse Response(int status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

// An HttpClient whose answers the test scripts per server; records every call. Thread-safe.
class ScriptedHttpClient final : public HttpClient {
 public:
  using Handler = std::function<absl::StatusOr<HttpResponse>(const HttpRequestOptions&)>;
  struct Call {
    std::string server;
    std::string path;
    HttpQuery query;
  };

  void Answer(const std::string& server, Handler handler) {
    MutexLock lock(&mu_);
    handlers_[server] = std::move(handler);
  }
  void AnswerAlways(const std::string& server, absl::StatusOr<HttpResponse> response) {
    Answer(server, [response](const HttpRequestOptions&) { return response; });
  }
  std::vector<Call> calls() {
    MutexLock lock(&mu_);
    return calls_;
  }
  int CallsTo(const std::string& server) {
    int n = 0;
    for (const Call& call : calls()) n += call.server == server ? 1 : 0;
    return n;
  }

  absl::StatusOr<HttpResponse> Get(absl::string_view server, absl::string_view path,
                                   const HttpQuery& query,
                                   const HttpRequestOptions& options) override {
    Handler handler;
    {
      MutexLock lock(&mu_);
      calls_.push_back({std::string(server), std::string(path), query});
      const auto it = handlers_.find(std::string(server));
      if (it == handlers_.end()) return absl::UnavailableError("connection refused");
      handler = it->second;
    }
    return handler(options);
  }

 private:
  Mutex mu_;
  std::map<std::string, Handler> handlers_ ABSL_GUARDED_BY(mu_);
  std::vector<Call> calls_ ABSL_GUARDED_BY(mu_);
};

class NacosHttpUpstreamTest : public ::testing::Test {
 protected:
  std::unique_ptr<NacosHttpUpstream> Make(NacosHttpUpstreamOptions options) {
    auto http = std::make_unique<ScriptedHttpClient>();
    http_ = http.get();
    for (const auto& [server, handler] : pending_) http_->Answer(server, handler);
    auto upstream = NacosHttpUpstream::Create(std::move(options), std::move(http), clock_, random_);
    EXPECT_TRUE(upstream.ok()) << upstream.status();
    return upstream.ok() ? *std::move(upstream) : nullptr;
  }
  static NacosHttpUpstreamOptions TwoServers(NacosApiVersion version = NacosApiVersion::kV1) {
    NacosHttpUpstreamOptions options;
    options.server_addresses = {"a:8848", "b:8848"};
    options.api_version = version;
    options.retry.max_attempts = 1;
    return options;
  }
  void Answer(const std::string& server, absl::StatusOr<HttpResponse> response) {
    pending_[server] = [response](const HttpRequestOptions&) { return response; };
  }

  SimulatedClock clock_;
  SeededRandom random_{7};
  ScriptedHttpClient* http_ = nullptr;
  std::map<std::string, ScriptedHttpClient::Handler> pending_;
};

const ServiceKey kOrders{"DEFAULT_GROUP", "orders", ""};

TEST_F(NacosHttpUpstreamTest, V1SendsJavaClientParamsAndNormalisesTheIdentity) {
  Answer("a:8848", Response(200, kV1Body));
  Answer("b:8848", Response(200, kV1Body));
  NacosHttpUpstreamOptions options = TwoServers();
  options.nacos_namespace = "dev";
  auto upstream = Make(options);
  absl::StatusOr<v1::ServiceInfo> info =
      upstream->Query({"DEFAULT_GROUP", "orders", "c1,c2"}, /*healthy_only=*/true);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->name(), "orders");
  EXPECT_EQ(info->group_name(), "DEFAULT_GROUP");
  EXPECT_EQ(info->clusters(), "c1,c2");
  EXPECT_EQ(info->cache_millis(), 3000);
  ASSERT_EQ(info->hosts_size(), 1);
  EXPECT_EQ(info->hosts(0).ip(), "10.0.0.1");
  ASSERT_EQ(http_->calls().size(), 1u);
  const ScriptedHttpClient::Call call = http_->calls()[0];
  EXPECT_EQ(call.path, "/nacos/v1/ns/instance/list");
  EXPECT_THAT(call.query,
              ElementsAre(Pair("serviceName", "DEFAULT_GROUP@@orders"),
                          Pair("groupName", "DEFAULT_GROUP"), Pair("namespaceId", "dev"),
                          Pair("clusters", "c1,c2"), Pair("healthyOnly", "true")));
}

TEST_F(NacosHttpUpstreamTest, V2SendsItsParamsAndReadsTheResultEnvelope) {
  const std::string body = V2Body(kV1Body);
  Answer("a:8848", Response(200, body));
  Answer("b:8848", Response(200, body));
  NacosHttpUpstreamOptions options = TwoServers(NacosApiVersion::kV2);
  options.nacos_namespace = "  ";  // Blank: public.
  options.context_path = "/registry/";
  auto upstream = Make(options);
  absl::StatusOr<v1::ServiceInfo> info = upstream->Query({"g1", "orders", "c1"}, false);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->name(), "orders");
  EXPECT_EQ(info->group_name(), "g1");
  EXPECT_EQ(info->clusters(), "c1");
  EXPECT_EQ(info->last_ref_time(), 1700000000000);
  ASSERT_EQ(info->hosts_size(), 1);
  const ScriptedHttpClient::Call call = http_->calls()[0];
  EXPECT_EQ(call.path, "/registry/v2/ns/instance/list");
  EXPECT_THAT(call.query, ElementsAre(Pair("namespaceId", "public"), Pair("groupName", "g1"),
                                      Pair("serviceName", "orders"), Pair("clusterName", "c1"),
                                      Pair("healthyOnly", "false")));
}

TEST_F(NacosHttpUpstreamTest, V2ResourceNotFoundIsNotFoundWithNacosMessageAndNotAServerFailure) {
  const std::string body =
      R"({"code":20004,"message":"resource not found","data":"service not found: DEFAULT_GROUP@@orders@public"})";
  Answer("a:8848", Response(404, body));
  Answer("b:8848", Response(404, body));
  auto upstream = Make(TwoServers(NacosApiVersion::kV2));
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<v1::ServiceInfo> info = upstream->Query(kOrders, false);
    ASSERT_EQ(info.status().code(), absl::StatusCode::kNotFound) << info.status();
    EXPECT_THAT(info.status().message(), HasSubstr("refused by Nacos (HTTP 404, code 20004)"));
    EXPECT_THAT(info.status().message(),
                HasSubstr("resource not found: service not found: DEFAULT_GROUP@@orders@public"));
    const std::optional<NacosError> error = GetNacosError(info.status());
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->http_status, 404);
    EXPECT_EQ(error->code, 20004);
  }
  EXPECT_EQ(http_->calls().size(), 5u);  // One server per query: no rotation on a refusal.
  for (const NacosServerState& server : upstream->Servers()) {
    EXPECT_EQ(server.failures, 0);
    EXPECT_EQ(server.breaker_state, CircuitBreakerState::kClosed);
  }
}

TEST_F(NacosHttpUpstreamTest, V2NonZeroCodeWithHttp200IsARefusal) {
  Answer("a:8848", Response(200, R"({"code":21000,"message":"service name error","data":null})"));
  Answer("b:8848", Response(200, R"({"code":21000,"message":"service name error","data":null})"));
  auto upstream = Make(TwoServers(NacosApiVersion::kV2));
  absl::StatusOr<v1::ServiceInfo> info = upstream->Query(kOrders, false);
  EXPECT_EQ(info.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(info.status().message(), HasSubstr("(HTTP 200, code 21000): service name error"));
}

TEST_F(NacosHttpUpstreamTest, V2MissingParameterBodyIsInvalidArgument) {
  const std::string body =
      R"({"code":10000,"message":"parameter missing","data":"Required request parameter 'serviceName' for method parameter type String is not present"})";
  Answer("a:8848", Response(400, body));
  Answer("b:8848", Response(400, body));
  auto upstream = Make(TwoServers(NacosApiVersion::kV2));
  absl::StatusOr<v1::ServiceInfo> info = upstream->Query(kOrders, false);
  EXPECT_EQ(info.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(info.status().message(), HasSubstr("parameter missing: Required request parameter"));
}

TEST_F(NacosHttpUpstreamTest, V1ClientErrorsAreRefusalsCarryingTheTextAndNeverTripTheBreaker) {
  Answer("a:8848", Response(400, "caused: Param 'serviceName' is illegal;"));
  Answer("b:8848", Response(403, "unknown user!"));
  auto upstream = Make(TwoServers());
  std::map<absl::StatusCode, int> codes;
  for (int i = 0; i < 20; ++i) {
    absl::StatusOr<v1::ServiceInfo> info = upstream->Query(kOrders, false);
    ASSERT_FALSE(info.ok());
    ++codes[info.status().code()];
    ASSERT_TRUE(GetNacosError(info.status()).has_value());
  }
  EXPECT_EQ(codes[absl::StatusCode::kInvalidArgument], 10);
  EXPECT_EQ(codes[absl::StatusCode::kPermissionDenied], 10);
  for (const NacosServerState& server : upstream->Servers()) {
    EXPECT_EQ(server.failures, 0);
    EXPECT_EQ(server.breaker_state, CircuitBreakerState::kClosed);
  }
}

TEST_F(NacosHttpUpstreamTest, ServerFailureMovesOnToTheNextServer) {
  Answer("a:8848", absl::UnavailableError("connection refused"));
  Answer("b:8848", Response(200, kV1Body));
  auto upstream = Make(TwoServers());
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<v1::ServiceInfo> info = upstream->Query(kOrders, false);
    ASSERT_TRUE(info.ok()) << info.status();
  }
  // Each query started at a different server; the one that started at a went on to b.
  EXPECT_EQ(http_->CallsTo("a:8848"), 1);
  EXPECT_EQ(http_->CallsTo("b:8848"), 2);
  const std::vector<NacosServerState> servers = upstream->Servers();
  EXPECT_EQ(servers[0].address, "a:8848");
  EXPECT_EQ(servers[0].failures, 1);
  EXPECT_EQ(servers[1].failures, 0);
}

TEST_F(NacosHttpUpstreamTest, Http5xxTimeoutAndUnreadableBodiesAreServerFailures) {
  Answer("b:8848", Response(200, kV1Body));
  auto n = std::make_shared<int>(0);
  pending_["a:8848"] = [this,
                        n](const HttpRequestOptions& options) -> absl::StatusOr<HttpResponse> {
    switch ((*n)++ % 3) {
      case 0:
        return Response(503, "server is DOWN now, please try again later!");
      case 1:
        clock_.Advance(options.timeout);
        return absl::DeadlineExceededError("no response within 5s");
      default:
        return Response(200, R"({"name":"DEFAULT_GROUP@@orders","hosts":[{"ip":)");
    }
  };
  NacosHttpUpstreamOptions options = TwoServers();
  options.server_addresses = {"a:8848"};
  options.breaker.consecutive_failures_threshold = 0;  // Keep it closed for this test.
  auto upstream = Make(options);
  absl::StatusOr<v1::ServiceInfo> first = upstream->Query(kOrders, false);
  EXPECT_EQ(first.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(first.status().message(), HasSubstr("HTTP 503: server is DOWN now"));
  absl::StatusOr<v1::ServiceInfo> second = upstream->Query(kOrders, false);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kDeadlineExceeded);
  absl::StatusOr<v1::ServiceInfo> third = upstream->Query(kOrders, false);
  EXPECT_EQ(third.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(third.status().message(), HasSubstr("unreadable ServiceInfo"));
  EXPECT_EQ(upstream->Servers()[0].failures, 3);
  EXPECT_EQ(GetNacosError(third.status()), std::nullopt);
}

TEST_F(NacosHttpUpstreamTest,
       BreakerOpensAfterConsecutiveFailuresThenTheServerIsSkippedUntilItsWait) {
  Answer("a:8848", absl::UnavailableError("connection refused"));
  Answer("b:8848", Response(200, kV1Body));
  auto upstream = Make(TwoServers());  // Default breaker: 3 in a row, 10 s open.
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(upstream->Query(kOrders, false).ok());
  EXPECT_EQ(http_->CallsTo("a:8848"), 3);
  EXPECT_EQ(upstream->Servers()[0].breaker_state, CircuitBreakerState::kOpen);
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(upstream->Query(kOrders, false).ok());
  EXPECT_EQ(http_->CallsTo("a:8848"), 3);  // Skipped while open.

  // a recovers; after the open wait one trial call closes its breaker again.
  Answer("a:8848", Response(200, kV1Body));
  http_->Answer("a:8848", pending_["a:8848"]);
  clock_.Advance(absl::Seconds(10));
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(upstream->Query(kOrders, false).ok());
  EXPECT_EQ(http_->CallsTo("a:8848"), 4);
  EXPECT_EQ(upstream->Servers()[0].breaker_state, CircuitBreakerState::kClosed);
}

TEST_F(NacosHttpUpstreamTest, AllServersFailingIsRetriedThenReportedWithEveryServerTried) {
  Answer("a:8848", absl::UnavailableError("connection refused"));
  Answer("b:8848", Response(500, "oops"));
  NacosHttpUpstreamOptions options = TwoServers();
  options.retry = DefaultNacosRetryOptions();  // Two passes, 500 ms apart.
  options.breaker.consecutive_failures_threshold = 0;
  auto upstream = Make(options);
  const MonotonicTime start = clock_.Now();
  absl::StatusOr<v1::ServiceInfo> info = upstream->Query(kOrders, false);
  EXPECT_EQ(info.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(info.status().message(), HasSubstr("gave up after 2 attempts"));
  EXPECT_EQ(http_->calls().size(), 4u);
  EXPECT_EQ(clock_.Now() - start, absl::Milliseconds(500));
}

TEST_F(NacosHttpUpstreamTest, AllBreakersOpenIsUnavailableWithoutARequest) {
  Answer("a:8848", absl::UnavailableError("connection refused"));
  Answer("b:8848", absl::UnavailableError("connection refused"));
  auto upstream = Make(TwoServers());
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(upstream->Query(kOrders, false).ok());
  const size_t calls = http_->calls().size();
  absl::StatusOr<v1::ServiceInfo> info = upstream->Query(kOrders, false);
  EXPECT_EQ(info.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(info.status().message(), HasSubstr("2 of 2 servers skipped, circuit breaker open"));
  EXPECT_EQ(http_->calls().size(), calls);
}

TEST_F(NacosHttpUpstreamTest, EmptyV1BodyIsAServiceWithNoHostsAsInJava) {
  Answer("a:8848", Response(200, ""));
  Answer("b:8848", Response(200, ""));
  auto upstream = Make(TwoServers());
  absl::StatusOr<v1::ServiceInfo> info = upstream->Query(kOrders, false);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->hosts_size(), 0);
  EXPECT_EQ(info->name(), "orders");
}

TEST_F(NacosHttpUpstreamTest, V2NotFoundWithoutAResultBodyHintsAtTheApiVersion) {
  Answer("a:8848", Response(404, R"({"timestamp":1,"status":404,"error":"Not Found"})"));
  Answer("b:8848", Response(404, R"({"timestamp":1,"status":404,"error":"Not Found"})"));
  auto upstream = Make(TwoServers(NacosApiVersion::kV2));
  absl::StatusOr<v1::ServiceInfo> info = upstream->Query(kOrders, false);
  EXPECT_EQ(info.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(info.status().message(), HasSubstr("does this server serve the v2 Open API?"));
}

TEST_F(NacosHttpUpstreamTest, RequestTimeoutsArePassedToTheHttpClient) {
  HttpRequestOptions seen;
  pending_["a:8848"] = [&seen](const HttpRequestOptions& options) -> absl::StatusOr<HttpResponse> {
    seen = options;
    return Response(200, kV1Body);
  };
  NacosHttpUpstreamOptions options = TwoServers();
  options.server_addresses = {"a:8848"};
  options.connect_timeout = absl::Milliseconds(300);
  options.request_timeout = absl::Milliseconds(700);
  auto upstream = Make(options);
  ASSERT_TRUE(upstream->Query(kOrders, false).ok());
  EXPECT_EQ(seen.connect_timeout, absl::Milliseconds(300));
  EXPECT_EQ(seen.timeout, absl::Milliseconds(700));
}

TEST(NacosHttpUpstreamCreateTest, AddressesAreNormalisedAndBadOnesNamed) {
  SimulatedClock clock;
  SeededRandom random(1);
  NacosHttpUpstreamOptions options;
  options.server_addresses = {"http://10.0.0.1:8848/", "nacos.local", "[::1]:9848", " h:1 "};
  auto upstream =
      NacosHttpUpstream::Create(options, std::make_unique<ScriptedHttpClient>(), clock, random);
  ASSERT_TRUE(upstream.ok()) << upstream.status();
  std::vector<std::string> addresses;
  for (const NacosServerState& s : (*upstream)->Servers()) addresses.push_back(s.address);
  EXPECT_THAT(addresses, ElementsAre("10.0.0.1:8848", "nacos.local:8848", "[::1]:9848", "h:1"));

  const auto error = [&](std::vector<std::string> addresses) {
    NacosHttpUpstreamOptions bad;
    bad.server_addresses = std::move(addresses);
    return NacosHttpUpstream::Create(bad, std::make_unique<ScriptedHttpClient>(), clock, random)
        .status();
  };
  EXPECT_THAT(error({}).message(), HasSubstr("no server addresses"));
  EXPECT_THAT(error({"https://h:8848"}).message(), HasSubstr("https is not supported"));
  EXPECT_THAT(error({"h:99999"}).message(), HasSubstr("'99999' is not a number in 1..65535"));
  EXPECT_THAT(error({"::1"}).message(), HasSubstr("IPv6 hosts must be in brackets"));
  EXPECT_EQ(error({"h:x"}).code(), absl::StatusCode::kInvalidArgument);

  NacosHttpUpstreamOptions bad_retry;
  bad_retry.server_addresses = {"h:1"};
  bad_retry.retry.max_attempts = 0;
  EXPECT_THAT(
      NacosHttpUpstream::Create(bad_retry, std::make_unique<ScriptedHttpClient>(), clock, random)
          .status()
          .message(),
      HasSubstr("max_attempts"));
}

TEST(NacosHttpUpstreamCreateTest, QueryNeedsAGroupAndAService) {
  SimulatedClock clock;
  SeededRandom random(1);
  NacosHttpUpstreamOptions options;
  options.server_addresses = {"h:1"};
  auto upstream =
      NacosHttpUpstream::Create(options, std::make_unique<ScriptedHttpClient>(), clock, random);
  ASSERT_TRUE(upstream.ok());
  EXPECT_EQ((*upstream)->Query({"", "orders", ""}, false).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*upstream)->Query({"g", "", ""}, false).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace naming
}  // namespace failover
