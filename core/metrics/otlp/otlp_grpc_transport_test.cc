// OtlpGrpcTransport against a real in-process gRPC server (OtlpGrpcTestServer) on 127.0.0.1.
#include "core/metrics/otlp/otlp_grpc_transport.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/metrics/otlp/testing/otlp_grpc_test_server.h"
#include "gmock/gmock.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gtest/gtest.h"
#include "proto/otlp_metrics.pb.h"

namespace failover {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using Outcome = OtlpSendResult::Outcome;
using Reply = OtlpGrpcTestServer::Reply;

std::unique_ptr<OtlpGrpcTestServer> StartServer(Reply reply) {
  absl::StatusOr<std::unique_ptr<OtlpGrpcTestServer>> server =
      OtlpGrpcTestServer::Start([reply](const OtlpGrpcTestServer::Call&) { return reply; });
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

std::unique_ptr<OtlpTransport> NewTransport(OtlpGrpcOptions options) {
  absl::StatusOr<std::unique_ptr<OtlpTransport>> transport = NewOtlpGrpcTransport(options);
  EXPECT_TRUE(transport.ok()) << transport.status();
  return transport.ok() ? *std::move(transport) : nullptr;
}

std::string Metadata(const OtlpGrpcTestServer::Call& call, const std::string& name) {
  auto it = call.metadata.find(name);
  return it == call.metadata.end() ? "<absent>" : it->second;
}

// Bytes no text path would keep: NULs, high bytes, a CR LF.
std::string BinaryBody() { return std::string("\x0a\x00\xff\r\nexport\x80", 11); }

TEST(OtlpGrpcTransportTest, SendsTheBytesUnchangedToTheExportMethodWithMetadata) {
  otlp::v1::ExportMetricsServiceResponse response;
  response.mutable_partial_success()->set_rejected_data_points(2);
  response.mutable_partial_success()->set_error_message("2 points too old");
  Reply reply;
  reply.response = response.SerializeAsString();
  std::unique_ptr<OtlpGrpcTestServer> server = StartServer(reply);
  ASSERT_NE(server, nullptr);
  OtlpGrpcOptions options;
  options.endpoint = server->endpoint();
  options.headers = {{"Authorization", "Bearer test-token"}, {"X-Tenant", "acme"}};
  std::unique_ptr<OtlpTransport> transport = NewTransport(options);
  ASSERT_NE(transport, nullptr);

  const OtlpSendResult result = transport->Send(BinaryBody());
  EXPECT_EQ(result.outcome, Outcome::kSuccess) << result.detail;
  EXPECT_EQ(result.detail, "");
  EXPECT_EQ(result.rejected_data_points, 2);
  EXPECT_EQ(result.partial_error, "2 points too old");
  EXPECT_FALSE(result.retry_after.has_value());

  const std::vector<OtlpGrpcTestServer::Call> calls = server->calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export");
  EXPECT_EQ(calls[0].request, BinaryBody());
  EXPECT_EQ(Metadata(calls[0], "authorization"), "Bearer test-token");
  EXPECT_EQ(Metadata(calls[0], "x-tenant"), "acme");
  EXPECT_THAT(Metadata(calls[0], "user-agent"), StartsWith("failover-toolkit-otlp/1 "));
}

TEST(OtlpGrpcTransportTest, ReusesOneConnection) {
  std::unique_ptr<OtlpGrpcTestServer> server = StartServer(Reply{});
  ASSERT_NE(server, nullptr);
  OtlpGrpcOptions options;
  options.endpoint = server->endpoint();
  std::unique_ptr<OtlpTransport> transport = NewTransport(options);
  ASSERT_NE(transport, nullptr);
  EXPECT_EQ(transport->Send("first").outcome, Outcome::kSuccess);
  EXPECT_EQ(transport->Send("second").outcome, Outcome::kSuccess);
  const std::vector<OtlpGrpcTestServer::Call> calls = server->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].request, "second");
  EXPECT_EQ(calls[0].peer, calls[1].peer);  // the same client port: one connection
}

TEST(OtlpGrpcTransportTest, GzipCompresses) {
  // A server that refuses gzip tells whether the request was compressed.
  absl::StatusOr<std::unique_ptr<OtlpGrpcTestServer>> no_gzip = OtlpGrpcTestServer::Start(
      [](const OtlpGrpcTestServer::Call&) { return Reply{}; }, /*accept_gzip=*/false);
  ASSERT_TRUE(no_gzip.ok()) << no_gzip.status();
  std::unique_ptr<OtlpGrpcTestServer> server = StartServer(Reply{});
  ASSERT_NE(server, nullptr);
  const std::string body(4096, 'a');
  for (bool gzip : {false, true}) {
    OtlpGrpcOptions options;
    options.gzip = gzip;
    options.endpoint = (*no_gzip)->endpoint();
    std::unique_ptr<OtlpTransport> refused = NewTransport(options);
    ASSERT_NE(refused, nullptr);
    const OtlpSendResult result = refused->Send(body);
    if (gzip) {
      EXPECT_EQ(result.outcome, Outcome::kPermanent);
      EXPECT_THAT(result.detail, StartsWith("gRPC UNIMPLEMENTED"));
    } else {
      EXPECT_EQ(result.outcome, Outcome::kSuccess) << result.detail;
    }
    options.endpoint = server->endpoint();
    std::unique_ptr<OtlpTransport> accepted = NewTransport(options);
    ASSERT_NE(accepted, nullptr);
    EXPECT_EQ(accepted->Send(body).outcome, Outcome::kSuccess) << gzip;
  }
  EXPECT_EQ((*no_gzip)->calls().size(), 1u);  // only the uncompressed one
  const std::vector<OtlpGrpcTestServer::Call> calls = server->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].request, body);  // decompressed by the server as it was
}

TEST(OtlpGrpcTransportTest, AConfiguredUserAgentLeads) {
  std::unique_ptr<OtlpGrpcTestServer> server = StartServer(Reply{});
  ASSERT_NE(server, nullptr);
  OtlpGrpcOptions options;
  options.endpoint = server->endpoint() + "/";  // a lone "/" is no path
  options.headers = {{"User-Agent", "orders/2.1"}};
  std::unique_ptr<OtlpTransport> transport = NewTransport(options);
  ASSERT_NE(transport, nullptr);
  EXPECT_EQ(transport->Send("body").outcome, Outcome::kSuccess);
  const std::vector<OtlpGrpcTestServer::Call> calls = server->calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_THAT(Metadata(calls[0], "user-agent"), StartsWith("orders/2.1 "));
  EXPECT_THAT(Metadata(calls[0], "user-agent"), Not(HasSubstr("failover-toolkit")));
}

struct StatusCase {
  absl::StatusCode code;
  Outcome outcome;
};

TEST(OtlpGrpcTransportTest, MapsStatusCodesAsTheSpecificationSays) {
  const StatusCase cases[] = {
      {absl::StatusCode::kCancelled, Outcome::kRetryable},
      {absl::StatusCode::kDeadlineExceeded, Outcome::kRetryable},
      {absl::StatusCode::kAborted, Outcome::kRetryable},
      {absl::StatusCode::kOutOfRange, Outcome::kRetryable},
      {absl::StatusCode::kUnavailable, Outcome::kRetryable},
      {absl::StatusCode::kDataLoss, Outcome::kRetryable},
      {absl::StatusCode::kResourceExhausted, Outcome::kRetryable},
      {absl::StatusCode::kInvalidArgument, Outcome::kPermanent},
      {absl::StatusCode::kUnauthenticated, Outcome::kPermanent},
      {absl::StatusCode::kPermissionDenied, Outcome::kPermanent},
      {absl::StatusCode::kUnimplemented, Outcome::kPermanent},
      {absl::StatusCode::kInternal, Outcome::kPermanent},
  };
  for (const StatusCase& c : cases) {
    Reply reply;
    reply.code = c.code;
    reply.message = "collector says no";
    std::unique_ptr<OtlpGrpcTestServer> server = StartServer(reply);
    ASSERT_NE(server, nullptr);
    OtlpGrpcOptions options;
    options.endpoint = server->endpoint();
    std::unique_ptr<OtlpTransport> transport = NewTransport(options);
    ASSERT_NE(transport, nullptr);
    const OtlpSendResult result = transport->Send("body");
    const std::string name = absl::StatusCodeToString(c.code);
    EXPECT_EQ(result.outcome, c.outcome) << name;
    EXPECT_EQ(result.detail, absl::StrCat("gRPC ", name, ": collector says no"));
    EXPECT_EQ(server->calls().size(), 1u) << name;
  }
}

// A google.rpc.Status (not installed as a .proto) with `details`, encoded field by field.
std::string RpcStatus(int code, const std::vector<google::protobuf::Any>& details) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream out(&stream);
  out.WriteTag(1 << 3);  // code, varint
  out.WriteVarint32(code);
  for (const google::protobuf::Any& detail : details) {
    const std::string any = detail.SerializeAsString();
    out.WriteTag((3 << 3) | 2);  // details, length-delimited
    out.WriteVarint32(any.size());
    out.WriteString(any);
  }
  out.Trim();
  return bytes;
}

google::protobuf::Any RetryInfo(int64_t seconds, int32_t nanos) {
  google::protobuf::Duration delay;
  delay.set_seconds(seconds);
  delay.set_nanos(nanos);
  const std::string duration = delay.SerializeAsString();
  google::protobuf::Any any;
  any.set_type_url("type.googleapis.com/google.rpc.RetryInfo");
  // RetryInfo { Duration retry_delay = 1; }
  any.set_value(absl::StrCat(std::string(1, '\x0a'),
                             std::string(1, static_cast<char>(duration.size())), duration));
  return any;
}

TEST(OtlpGrpcTransportTest, RetryInfoInTheStatusDetailsSetsRetryAfter) {
  google::protobuf::Any other;
  other.set_type_url("type.googleapis.com/google.rpc.ErrorInfo");
  other.set_value("\x0a\x03why");
  const std::pair<std::string, std::optional<absl::Duration>> cases[] = {
      {RpcStatus(8, {other, RetryInfo(3, 500000000)}), absl::Milliseconds(3500)},
      {RpcStatus(8, {other}), std::nullopt},
      {"", std::nullopt},
      {"\xff\xff not a status", std::nullopt},
  };
  for (const auto& [details, expected] : cases) {
    Reply reply;
    reply.code = absl::StatusCode::kResourceExhausted;
    reply.message = "slow down";
    reply.status_details = details;
    std::unique_ptr<OtlpGrpcTestServer> server = StartServer(reply);
    ASSERT_NE(server, nullptr);
    OtlpGrpcOptions options;
    options.endpoint = server->endpoint();
    std::unique_ptr<OtlpTransport> transport = NewTransport(options);
    ASSERT_NE(transport, nullptr);
    const OtlpSendResult result = transport->Send("body");
    EXPECT_EQ(result.outcome, Outcome::kRetryable);
    EXPECT_EQ(result.detail, "gRPC RESOURCE_EXHAUSTED: slow down");
    EXPECT_EQ(result.retry_after, expected) << details.size() << " bytes of details";
  }
}

TEST(OtlpGrpcTransportTest, ACollectorThatDoesNotAnswerInTimeIsRetryable) {
  Reply reply;
  reply.hang = true;
  std::unique_ptr<OtlpGrpcTestServer> server = StartServer(reply);
  ASSERT_NE(server, nullptr);
  OtlpGrpcOptions options;
  options.endpoint = server->endpoint();
  options.timeout = absl::Milliseconds(200);
  std::unique_ptr<OtlpTransport> transport = NewTransport(options);
  ASSERT_NE(transport, nullptr);
  const absl::Time started = absl::Now();
  const OtlpSendResult result = transport->Send("body");
  EXPECT_EQ(result.outcome, Outcome::kRetryable);
  EXPECT_THAT(result.detail, StartsWith("gRPC DEADLINE_EXCEEDED"));
  EXPECT_LT(absl::Now() - started, absl::Seconds(5));
  EXPECT_EQ(server->calls().size(), 1u);
}

TEST(OtlpGrpcTransportTest, AnUnreachableCollectorIsRetryable) {
  int port = 0;
  {
    std::unique_ptr<OtlpGrpcTestServer> server = StartServer(Reply{});
    ASSERT_NE(server, nullptr);
    port = server->port();
  }  // closed: nothing listens on the port now
  OtlpGrpcOptions options;
  options.endpoint = absl::StrCat("http://127.0.0.1:", port);
  options.timeout = absl::Seconds(5);
  std::unique_ptr<OtlpTransport> transport = NewTransport(options);
  ASSERT_NE(transport, nullptr);
  const OtlpSendResult result = transport->Send("body");
  EXPECT_EQ(result.outcome, Outcome::kRetryable);
  EXPECT_THAT(result.detail, StartsWith("gRPC UNAVAILABLE"));
}

TEST(OtlpGrpcTransportTest, TlsToAPlaintextCollectorIsRetryable) {
  std::unique_ptr<OtlpGrpcTestServer> server = StartServer(Reply{});
  ASSERT_NE(server, nullptr);
  OtlpGrpcOptions options;
  options.endpoint = absl::StrCat("https://127.0.0.1:", server->port());
  options.timeout = absl::Seconds(5);
  std::unique_ptr<OtlpTransport> transport = NewTransport(options);
  ASSERT_NE(transport, nullptr);
  const OtlpSendResult result = transport->Send("body");
  EXPECT_EQ(result.outcome, Outcome::kRetryable);
  EXPECT_THAT(result.detail, StartsWith("gRPC UNAVAILABLE"));
  EXPECT_TRUE(server->calls().empty());
}

TEST(OtlpGrpcTransportTest, AcceptsEndpointsWithoutPortOrWithIpv6) {
  for (const char* endpoint : {"http://collector", "https://collector.example:443",
                               "http://[::1]:4317", "http://[::1]", "http://127.0.0.1:4317/"}) {
    OtlpGrpcOptions options;
    options.endpoint = endpoint;
    EXPECT_TRUE(NewOtlpGrpcTransport(options).ok()) << endpoint;
  }
}

TEST(OtlpGrpcTransportTest, RefusesBadEndpointsByName) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "must start with http:// or https://"},
      {"grpc://collector:4317", "must start with http:// or https://"},
      {"collector:4317", "must start with http:// or https://"},
      {"http://collector:4318/v1/metrics", "must not have a path"},
      {"http://collector:4317?x=1", "must not have a path, query or fragment"},
      {"http://collector:4317#top", "must not have a path, query or fragment"},
      {"http://user:pw@collector:4317", "must not have user info"},
      {"http://:4317", "must name a host"},
      {"http://collector:", "invalid port"},
      {"http://collector:0", "invalid port"},
      {"http://collector:65536", "invalid port"},
      {"http://collector:+80", "invalid port"},
      {"http://[::1", "unclosed '['"},
      {"http://[::1]x", "text after its IPv6 address"},
      {"http://collector :4317", "must not contain spaces"},
  };
  for (const auto& [endpoint, problem] : cases) {
    OtlpGrpcOptions options;
    options.endpoint = endpoint;
    absl::StatusOr<std::unique_ptr<OtlpTransport>> transport = NewOtlpGrpcTransport(options);
    ASSERT_FALSE(transport.ok()) << endpoint;
    EXPECT_EQ(transport.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(transport.status().message()),
                StartsWith("failover.observable.otlp.endpoint: "))
        << endpoint;
    EXPECT_THAT(transport.status().message(), HasSubstr(problem)) << endpoint;
  }
}

TEST(OtlpGrpcTransportTest, RefusesHeadersGrpcCannotSendByIndexWithoutTheirValue) {
  const std::pair<std::pair<const char*, const char*>, const char*> cases[] = {
      {{"grpc-timeout", "1S"}, "set by gRPC itself"},
      {{"Content-Type", "text/plain"}, "set by gRPC itself"},
      {{"TE", "trailers"}, "set by gRPC itself"},
      {{"X!Tenant", "secret-1"}, "may have only letters, digits"},
      {{"", "secret-1"}, "must name a header"},
      {{"x-tenant", "caf\xc3\xa9-secret"}, "only printable ASCII"},
      {{"User-Agent", "ua\x01secret"}, "only printable ASCII"},
  };
  for (const auto& [header, problem] : cases) {
    OtlpGrpcOptions options;
    options.endpoint = "http://127.0.0.1:4317";
    options.headers = {{"authorization", "Bearer ok"}, {header.first, header.second}};
    absl::StatusOr<std::unique_ptr<OtlpTransport>> transport = NewOtlpGrpcTransport(options);
    ASSERT_FALSE(transport.ok()) << header.first;
    EXPECT_EQ(transport.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(transport.status().message()),
                StartsWith("failover.observable.otlp.headers[1]"));
    EXPECT_THAT(transport.status().message(), HasSubstr(problem)) << header.first;
    EXPECT_THAT(transport.status().message(), Not(HasSubstr("secret"))) << header.first;
  }
  OtlpGrpcOptions binary;
  binary.endpoint = "http://127.0.0.1:4317";
  binary.headers = {{"x-trace-bin", std::string("\x00\xff", 2)}};
  EXPECT_TRUE(NewOtlpGrpcTransport(binary).ok());
}

}  // namespace
}  // namespace failover
