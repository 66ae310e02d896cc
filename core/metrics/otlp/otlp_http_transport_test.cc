// The OTLP/HTTP transport against real cpp-httplib servers on 127.0.0.1 (free ports).
#include "core/metrics/otlp/otlp_http_transport.h"

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/sync.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/otlp_metrics.pb.h"

namespace failover {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using Outcome = OtlpSendResult::Outcome;

struct Received {
  std::string path;
  std::string target;  // path and query as sent
  httplib::Headers headers;
  std::string body;  // after httplib's own gzip decoding
};

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/x-protobuf";
  httplib::Headers headers;
  absl::Duration delay;  // before answering
};

// Records every POST and answers with the current Reply.
class Collector {
 public:
  explicit Collector(std::unique_ptr<httplib::Server> server = std::make_unique<httplib::Server>())
      : server_(std::move(server)) {
    server_->Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
      Reply reply;
      {
        MutexLock lock(&mu_);
        received_.push_back({request.path, request.target, request.headers, request.body});
        reply = reply_;
      }
      std::this_thread::sleep_for(absl::ToChronoMilliseconds(reply.delay));
      response.status = reply.status;
      for (const auto& [name, value] : reply.headers) response.set_header(name, value);
      response.set_content(reply.body, reply.content_type);
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Collector() { Stop(); }

  void Stop() {
    if (!thread_.joinable()) return;
    server_->stop();
    thread_.join();
  }
  std::string url(absl::string_view path = "/v1/metrics") const {
    return absl::StrCat("http://127.0.0.1:", port_, path);
  }
  void Answer(Reply reply) {
    MutexLock lock(&mu_);
    reply_ = std::move(reply);
  }
  std::vector<Received> received() {
    MutexLock lock(&mu_);
    return received_;
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
  Mutex mu_;
  Reply reply_ ABSL_GUARDED_BY(mu_);
  std::vector<Received> received_ ABSL_GUARDED_BY(mu_);
};

// A key and a self-signed certificate for 127.0.0.1 that no trust store knows.
struct SelfSigned {
  SelfSigned() {
    key = EVP_EC_gen("P-256");
    certificate = X509_new();
    X509_set_version(certificate, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
    X509_gmtime_adj(X509_getm_notBefore(certificate), 0);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
    X509_set_pubkey(certificate, key);
    X509_NAME* name = X509_get_subject_name(certificate);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(certificate, name);
    X509_sign(certificate, key, EVP_sha256());
  }
  ~SelfSigned() {
    X509_free(certificate);
    EVP_PKEY_free(key);
  }
  EVP_PKEY* key = nullptr;
  X509* certificate = nullptr;
};

std::unique_ptr<OtlpTransport> Transport(OtlpHttpOptions options) {
  absl::StatusOr<std::unique_ptr<OtlpTransport>> transport = NewOtlpHttpTransport(options);
  EXPECT_TRUE(transport.ok()) << transport.status();
  return transport.ok() ? *std::move(transport) : nullptr;
}

std::unique_ptr<OtlpTransport> Transport(const std::string& endpoint) {
  OtlpHttpOptions options;
  options.endpoint = endpoint;
  options.timeout = absl::Seconds(5);
  return Transport(options);
}

// A request whose body is `padding` long (plus framing), compressible when it repeats.
std::string RequestBody(const std::string& service, const std::string& padding = "") {
  otlp::v1::ExportMetricsServiceRequest request;
  otlp::v1::Resource* resource = request.add_resource_metrics()->mutable_resource();
  otlp::v1::KeyValue* name = resource->add_attributes();
  name->set_key("service.name");
  name->mutable_value()->set_string_value(service);
  if (!padding.empty()) {
    otlp::v1::KeyValue* extra = resource->add_attributes();
    extra->set_key("padding");
    extra->mutable_value()->set_string_value(padding);
  }
  return request.SerializeAsString();
}

std::string Header(const Received& received, const std::string& name) {
  auto it = received.headers.find(name);
  return it == received.headers.end() ? "<none>" : it->second;
}

TEST(OtlpHttpTransportTest, PostsTheProtobufBodyWithContentTypeUserAgentAndHeaders) {
  Collector collector;
  OtlpHttpOptions options;
  options.endpoint = collector.url();
  options.headers = {{"Authorization", "Bearer t0k"}, {"X-Scope-OrgID", "tenant-1"}};
  const std::string body = RequestBody("orders");
  const OtlpSendResult result = Transport(options)->Send(body);
  EXPECT_EQ(result.outcome, Outcome::kSuccess) << result.detail;
  EXPECT_EQ(result.detail, "");
  EXPECT_EQ(result.rejected_data_points, 0);

  const std::vector<Received> received = collector.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].path, "/v1/metrics");
  EXPECT_EQ(Header(received[0], "Content-Type"), "application/x-protobuf");
  EXPECT_EQ(Header(received[0], "User-Agent"), "failover-toolkit-otlp/1");
  EXPECT_EQ(Header(received[0], "Authorization"), "Bearer t0k");
  EXPECT_EQ(Header(received[0], "X-Scope-OrgID"), "tenant-1");
  EXPECT_EQ(Header(received[0], "Content-Encoding"), "<none>");
  otlp::v1::ExportMetricsServiceRequest decoded;
  ASSERT_TRUE(decoded.ParseFromString(received[0].body));
  EXPECT_EQ(decoded.resource_metrics(0).resource().attributes(0).value().string_value(), "orders");
}

TEST(OtlpHttpTransportTest, AConfiguredUserAgentReplacesOursAndThePathIsUsedAsGiven) {
  Collector collector;
  OtlpHttpOptions options;
  options.endpoint = collector.url("/otlp/v1/metrics?tenant=a");
  options.headers = {{"user-agent", "my-app/2"}};
  EXPECT_EQ(Transport(options)->Send(RequestBody("a")).outcome, Outcome::kSuccess);
  const std::vector<Received> received = collector.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].target, "/otlp/v1/metrics?tenant=a");
  EXPECT_EQ(received[0].headers.count("User-Agent"), 1u);
  EXPECT_EQ(Header(received[0], "User-Agent"), "my-app/2");
}

TEST(OtlpHttpTransportTest, GzipCompressesTheBodyOnTheWire) {
  Collector collector;
  OtlpHttpOptions options;
  options.endpoint = collector.url();
  options.gzip = true;
  const std::string body = RequestBody("orders", std::string(20000, 'x'));
  EXPECT_EQ(Transport(options)->Send(body).outcome, Outcome::kSuccess);
  const std::vector<Received> received = collector.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(Header(received[0], "Content-Encoding"), "gzip");
  // The wire length is the compressed one; httplib's server decompressed the body it handed us.
  EXPECT_LT(std::stoul(Header(received[0], "Content-Length")), body.size() / 10);
  EXPECT_EQ(received[0].body, body);
}

TEST(OtlpHttpTransportTest, PartialSuccessFromAProtobufResponse) {
  Collector collector;
  otlp::v1::ExportMetricsServiceResponse response;
  response.mutable_partial_success()->set_rejected_data_points(4);
  response.mutable_partial_success()->set_error_message("duplicate series");
  collector.Answer({200, response.SerializeAsString()});
  std::unique_ptr<OtlpTransport> transport = Transport(collector.url());
  OtlpSendResult result = transport->Send(RequestBody("a"));
  EXPECT_EQ(result.outcome, Outcome::kSuccess);
  EXPECT_EQ(result.rejected_data_points, 4);
  EXPECT_EQ(result.partial_error, "duplicate series");

  // Bodies that are not a protobuf response are no error.
  collector.Answer({200, "\xff\xff\xff garbage"});
  result = transport->Send(RequestBody("a"));
  EXPECT_EQ(result.outcome, Outcome::kSuccess);
  EXPECT_EQ(result.rejected_data_points, 0);
  collector.Answer({202, response.SerializeAsString(), "application/json"});
  result = transport->Send(RequestBody("a"));
  EXPECT_EQ(result.outcome, Outcome::kSuccess);
  EXPECT_EQ(result.rejected_data_points, 0);
}

TEST(OtlpHttpTransportTest, MapsStatusesToOutcomesWithRetryAfterAndTheBodyHead) {
  Collector collector;
  std::unique_ptr<OtlpTransport> transport = Transport(collector.url());
  const struct {
    int status;
    Outcome outcome;
  } cases[] = {{400, Outcome::kPermanent}, {401, Outcome::kPermanent}, {404, Outcome::kPermanent},
               {413, Outcome::kPermanent}, {500, Outcome::kPermanent}, {429, Outcome::kRetryable},
               {502, Outcome::kRetryable}, {503, Outcome::kRetryable}, {504, Outcome::kRetryable}};
  for (const auto& c : cases) {
    collector.Answer({c.status, "went\r\nwrong \x01", "text/plain"});
    const OtlpSendResult result = transport->Send(RequestBody("a"));
    EXPECT_EQ(result.outcome, c.outcome) << c.status;
    EXPECT_EQ(result.detail, absl::StrCat("HTTP ", c.status, ": went  wrong ?")) << c.status;
    EXPECT_FALSE(result.retry_after.has_value());
  }

  collector.Answer({429, "", "text/plain", {{"Retry-After", "17"}}});
  OtlpSendResult result = transport->Send(RequestBody("a"));
  EXPECT_EQ(result.outcome, Outcome::kRetryable);
  EXPECT_EQ(result.retry_after, absl::Seconds(17));
  EXPECT_EQ(result.detail, "HTTP 429");
  // The HTTP-date form is ignored (the exporter's own back-off applies).
  collector.Answer({503, "", "text/plain", {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}}});
  EXPECT_FALSE(transport->Send(RequestBody("a")).retry_after.has_value());

  collector.Answer({400, std::string(300, 'e'), "text/plain"});
  result = transport->Send(RequestBody("a"));
  EXPECT_EQ(result.detail, absl::StrCat("HTTP 400: ", std::string(200, 'e'), "..."));

  // A protobuf google.rpc.Status body (what OTLP/HTTP receivers send): its message is quoted.
  otlp::v1::Status status;
  status.set_code(3);
  status.set_message("metric name must not be empty");
  collector.Answer({400, status.SerializeAsString(), "application/x-protobuf"});
  EXPECT_EQ(transport->Send(RequestBody("a")).detail, "HTTP 400: metric name must not be empty");
}

TEST(OtlpHttpTransportTest, ConnectionRefusedIsRetryable) {
  Collector collector;
  const std::string url = collector.url();
  collector.Stop();  // nothing listens on the port any more
  const OtlpSendResult result = Transport(url)->Send(RequestBody("a"));
  EXPECT_EQ(result.outcome, Outcome::kRetryable);
  EXPECT_EQ(result.detail, absl::StrCat("POST ", url, ": connection failed"));
}

TEST(OtlpHttpTransportTest, AnAnswerSlowerThanTheTimeoutIsARetryableFailure) {
  Collector collector;
  collector.Answer({200, "", "application/x-protobuf", {}, absl::Seconds(1)});
  OtlpHttpOptions options;
  options.endpoint = collector.url();
  options.timeout = absl::Milliseconds(200);
  std::unique_ptr<OtlpTransport> transport = Transport(options);
  const auto start = std::chrono::steady_clock::now();
  const OtlpSendResult result = transport->Send(RequestBody("a"));
  const absl::Duration took = absl::FromChrono(std::chrono::steady_clock::now() - start);
  EXPECT_EQ(result.outcome, Outcome::kRetryable);
  EXPECT_THAT(result.detail, AllOf(HasSubstr("POST http://127.0.0.1:"),
                                   HasSubstr("no complete response"), HasSubstr("200ms")));
  EXPECT_LT(took, absl::Milliseconds(900));
}

TEST(OtlpHttpTransportTest, HttpsToAPlainHttpServerFailsTheHandshakeRetryably) {
  Collector collector;
  std::string url = collector.url();
  url.replace(0, 4, "https");
  const OtlpSendResult result = Transport(url)->Send(RequestBody("a"));
  EXPECT_EQ(result.outcome, Outcome::kRetryable);
  EXPECT_THAT(result.detail, HasSubstr("TLS"));
  EXPECT_TRUE(collector.received().empty());
}

TEST(OtlpHttpTransportTest, HttpsVerifiesTheServerCertificate) {
  SelfSigned self_signed;  // SSLServer takes its own references
  Collector collector(
      std::make_unique<httplib::SSLServer>(self_signed.certificate, self_signed.key));
  std::string url = collector.url();
  url.replace(0, 4, "https");
  const OtlpSendResult result = Transport(url)->Send(RequestBody("a"));
  EXPECT_EQ(result.outcome, Outcome::kRetryable);
  EXPECT_EQ(result.detail,
            absl::StrCat("POST ", url, ": the server's TLS certificate did not verify"));
  EXPECT_TRUE(collector.received().empty());
}

TEST(OtlpHttpTransportTest, RefusesMalformedEndpoints) {
  for (const char* bad :
       {"localhost:4318/v1/metrics", "ftp://collector/v1/metrics", "http:///v1/metrics",
        "http://user:pw@collector/v1/metrics", "http://collector:0/v1", "http://collector:99999/",
        "http://collector:abc/", "http://collector:/v1", "http://coll ector/v1",
        "http://collector/v1/metrics#top", "http://[::1/v1/metrics", "https://", ""}) {
    OtlpHttpOptions options;
    options.endpoint = bad;
    absl::StatusOr<std::unique_ptr<OtlpTransport>> transport = NewOtlpHttpTransport(options);
    EXPECT_EQ(transport.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(transport.status().message(), HasSubstr("failover.observable.otlp.endpoint"))
        << bad;
  }
  for (const char* good : {"http://localhost:4318/v1/metrics", "https://collector.example/v1/m",
                           "http://[::1]:4318/v1/metrics", "http://collector"}) {
    OtlpHttpOptions options;
    options.endpoint = good;
    EXPECT_TRUE(NewOtlpHttpTransport(options).ok()) << good;
  }
}

TEST(OtlpHttpTransportTest, RefusesHeadersTheTransportSetsItself) {
  OtlpHttpOptions options;
  options.endpoint = "http://localhost:4318/v1/metrics";
  options.headers = {{"X-Ok", "1"}, {"content-type", "application/json"}};
  absl::StatusOr<std::unique_ptr<OtlpTransport>> transport = NewOtlpHttpTransport(options);
  EXPECT_EQ(transport.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(transport.status().message(),
              HasSubstr("failover.observable.otlp.headers[1] (content-type)"));
}

TEST(ParseOtlpHeadersTest, SplitsAtTheFirstEqualsSign) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> headers =
      ParseOtlpHeaders({"Authorization=Bearer a=b", "X-Tenant= blue ", "X-Empty="});
  ASSERT_TRUE(headers.ok()) << headers.status();
  EXPECT_THAT(*headers, ElementsAre(Pair("Authorization", "Bearer a=b"), Pair("X-Tenant", "blue"),
                                    Pair("X-Empty", "")));
  EXPECT_TRUE(ParseOtlpHeaders({})->empty());
}

TEST(ParseOtlpHeadersTest, ErrorsNameTheEntryButNeverShowItsValue) {
  const struct {
    const char* entry;
    const char* message;
  } cases[] = {
      {"Authorization: secret", "failover.observable.otlp.headers[1]: must be Name=value"},
      {"=secret", "headers[1]: must name a header"},
      {"Bad Name=secret", "headers[1]: the header name may have only"},
      {"X-A=secret\r\nHost: evil", "headers[1] (X-A): the value must not have control"},
      {"Host=secret", "headers[1] (Host): set by the OTLP transport itself"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<std::vector<std::pair<std::string, std::string>>> headers =
        ParseOtlpHeaders({"X-Ok=1", c.entry});
    EXPECT_EQ(headers.status().code(), absl::StatusCode::kInvalidArgument) << c.entry;
    EXPECT_THAT(headers.status().message(), AllOf(HasSubstr(c.message), Not(HasSubstr("secret"))))
        << c.entry;
  }
}

}  // namespace
}  // namespace failover
