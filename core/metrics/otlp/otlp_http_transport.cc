// The only file of the OTLP exporter that includes httplib.h: httplib's results become
// OtlpSendResults here.
#include "core/metrics/otlp/otlp_http_transport.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/metrics/otlp/internal/otlp_endpoint.h"
#include "proto/otlp_metrics.pb.h"

namespace failover {
namespace {

constexpr char kHeadersKey[] = "failover.observable.otlp.headers";
constexpr char kProtobuf[] = "application/x-protobuf";
constexpr char kUserAgent[] = "failover-toolkit-otlp/1";
constexpr size_t kQuotedBody = 200;  // bytes of a response body quoted in `detail`
// Headers the transport writes itself; a configured one would contradict the request.
constexpr absl::string_view kReservedHeaders[] = {"Content-Type", "Content-Encoding",
                                                  "Content-Length", "Transfer-Encoding", "Host"};

struct Endpoint {
  bool https = false;
  std::string host;       // without IPv6 brackets, as getaddrinfo() takes it
  int port = 0;           // explicit or the scheme's default
  std::string authority;  // as written in the URL: the Host header
  std::string path;       // path and query, "/" when the URL has none
  std::string url;        // for messages
};

bool IsTokenChar(char c) {
  constexpr absl::string_view kPunctuation = "!#$%&'*+-.^_`|~";
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         kPunctuation.find(c) != absl::string_view::npos;
}

bool IsControl(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && c != '\t') || byte == 0x7f;
}

absl::StatusOr<Endpoint> ParseEndpoint(absl::string_view url) {
  absl::StatusOr<otlp_internal::OtlpEndpointUrl> parts =
      otlp_internal::SplitOtlpEndpointUrl(url, "");
  if (!parts.ok()) return parts.status();
  const absl::string_view path = parts->path;
  if (absl::StrContains(path, '#')) {
    return otlp_internal::InvalidOtlpEndpoint(url, "must not have a fragment (#)");
  }
  absl::StatusOr<otlp_internal::OtlpEndpointHost> host =
      otlp_internal::ParseOtlpEndpointHost(url, parts->authority);
  if (!host.ok()) return host.status();
  Endpoint endpoint;
  endpoint.https = parts->https;
  endpoint.host = std::move(host->host);
  endpoint.port = host->port.value_or(parts->https ? 443 : 80);
  endpoint.authority = std::string(parts->authority);
  endpoint.path = path.empty() || path[0] != '/' ? absl::StrCat("/", path) : std::string(path);
  endpoint.url = std::string(url);
  return endpoint;
}

absl::Status CheckHeader(size_t index, absl::string_view name, absl::string_view value) {
  const std::string where = absl::StrCat(kHeadersKey, "[", index, "]");
  if (name.empty()) return absl::InvalidArgumentError(where + ": must name a header before '='");
  if (!std::all_of(name.begin(), name.end(), IsTokenChar)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": the header name may have only letters, digits and !#$%&'*+-.^_`|~"));
  }
  if (std::any_of(value.begin(), value.end(), IsControl)) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, " (", name, "): the value must not have control characters (line breaks)"));
  }
  for (absl::string_view reserved : kReservedHeaders) {
    if (absl::EqualsIgnoreCase(name, reserved)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, " (", name, "): set by the OTLP transport itself"));
    }
  }
  return absl::OkStatus();
}

// The head of a response body for a message: printable ASCII kept, other bytes as '?'.
std::string BodyHead(absl::string_view body) {
  std::string head(body.substr(0, kQuotedBody));
  for (char& c : head) {
    if (c == '\t' || c == '\n' || c == '\r') {
      c = ' ';
    } else if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) {
      c = '?';
    }
  }
  std::string stripped(absl::StripAsciiWhitespace(head));
  if (body.size() > kQuotedBody) stripped += "...";
  return stripped;
}

// Retry-After in delta-seconds form; nullopt for the HTTP-date form or garbage.
std::optional<absl::Duration> RetryAfter(const httplib::Response& response) {
  if (!response.has_header("Retry-After")) return std::nullopt;
  // get_header_value returns a copy: keep it alive while `value` looks into it.
  const std::string header = response.get_header_value("Retry-After");
  const absl::string_view value = absl::StripAsciiWhitespace(header);
  int64_t seconds = 0;
  if (value.empty() || !std::all_of(value.begin(), value.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(value, &seconds)) {
    return std::nullopt;
  }
  return absl::Seconds(seconds);
}

OtlpSendResult ResultFor(const httplib::Response& response) {
  OtlpSendResult result;
  const int status = response.status;
  if (status >= 200 && status < 300) {
    const std::string content_type = response.get_header_value("Content-Type");
    otlp::v1::ExportMetricsServiceResponse parsed;
    if ((content_type.empty() || absl::StartsWithIgnoreCase(content_type, kProtobuf)) &&
        parsed.ParseFromString(response.body)) {
      result.rejected_data_points = parsed.partial_success().rejected_data_points();
      result.partial_error = parsed.partial_success().error_message();
    }
    return result;
  }
  // OTLP/HTTP receivers answer errors with a protobuf google.rpc.Status; quote its message.
  std::string head;
  otlp::v1::Status error_status;
  if (absl::StartsWithIgnoreCase(response.get_header_value("Content-Type"), kProtobuf) &&
      error_status.ParseFromString(response.body) && !error_status.message().empty()) {
    head = BodyHead(error_status.message());
  } else {
    head = BodyHead(response.body);
  }
  result.detail = absl::StrCat("HTTP ", status, head.empty() ? "" : ": ", head);
  if (status == 429 || status == 502 || status == 503 || status == 504) {
    result.outcome = OtlpSendResult::Outcome::kRetryable;
    result.retry_after = RetryAfter(response);
  } else {
    result.outcome = OtlpSendResult::Outcome::kPermanent;
  }
  return result;
}

std::string DescribeError(httplib::Error error, absl::Duration timeout) {
  switch (error) {
    case httplib::Error::Connection:
      return "connection failed";
    case httplib::Error::ConnectionTimeout:
      return absl::StrCat("not connected within ", absl::FormatDuration(timeout));
    case httplib::Error::Read:
      return absl::StrCat("no complete response (closed, or nothing within ",
                          absl::FormatDuration(timeout), ")");
    case httplib::Error::Write:
      return "connection lost while sending";
    case httplib::Error::SSLConnection:
      return "TLS handshake failed";
    case httplib::Error::SSLLoadingCerts:
      return "could not load the trusted CA certificates";
    case httplib::Error::SSLServerVerification:
      return "the server's TLS certificate did not verify";
    default:
      return absl::StrCat(httplib::to_string(error), " error");
  }
}

std::chrono::microseconds ChronoFor(absl::Duration d) {
  return absl::ToChronoMicroseconds(std::clamp(d, absl::Milliseconds(1), absl::Hours(1)));
}

// Thread-safe: every Send() builds its own client; the members are immutable.
class OtlpHttpTransport final : public OtlpTransport {
 public:
  OtlpHttpTransport(Endpoint endpoint, OtlpHttpOptions options)
      : endpoint_(std::move(endpoint)), options_(std::move(options)) {
    headers_.emplace("Host", endpoint_.authority);
    bool user_agent = false;
    for (const auto& [name, value] : options_.headers) {
      headers_.emplace(name, value);
      user_agent = user_agent || absl::EqualsIgnoreCase(name, "User-Agent");
    }
    if (!user_agent) headers_.emplace("User-Agent", kUserAgent);
  }

  OtlpSendResult Send(const std::string& body) override {
    std::unique_ptr<httplib::ClientImpl> client;
    if (endpoint_.https) {
      auto tls = std::make_unique<httplib::SSLClient>(endpoint_.host, endpoint_.port);
      tls->enable_server_certificate_verification(true);
      client = std::move(tls);
    } else {
      client = std::make_unique<httplib::ClientImpl>(endpoint_.host, endpoint_.port);
    }
    client->set_keep_alive(false);
    // Headers and body go out in separate writes: without it the body waits for the server's
    // delayed ACK (Nagle).
    client->set_tcp_nodelay(true);
    client->set_compress(options_.gzip);
    client->set_connection_timeout(ChronoFor(options_.timeout));
    client->set_read_timeout(ChronoFor(options_.timeout));
    client->set_write_timeout(ChronoFor(options_.timeout));
    httplib::Result response = client->Post(endpoint_.path, headers_, body, kProtobuf);
    if (!response) {
      OtlpSendResult result;
      result.outcome = response.error() == httplib::Error::Compression
                           ? OtlpSendResult::Outcome::kPermanent
                           : OtlpSendResult::Outcome::kRetryable;
      result.detail = absl::StrCat("POST ", endpoint_.url, ": ",
                                   DescribeError(response.error(), options_.timeout));
      return result;
    }
    return ResultFor(*response);
  }

 private:
  const Endpoint endpoint_;
  const OtlpHttpOptions options_;
  httplib::Headers headers_;
};

}  // namespace

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseOtlpHeaders(
    const std::vector<std::string>& assignments) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (size_t i = 0; i < assignments.size(); ++i) {
    const absl::string_view entry = assignments[i];
    const size_t eq = entry.find('=');
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(kHeadersKey, "[", i, "]: must be Name=value"));
    }
    const absl::string_view name = entry.substr(0, eq);
    const absl::string_view value = absl::StripAsciiWhitespace(entry.substr(eq + 1));
    if (absl::Status status = CheckHeader(i, name, value); !status.ok()) return status;
    headers.emplace_back(name, value);
  }
  return headers;
}

absl::StatusOr<std::unique_ptr<OtlpTransport>> NewOtlpHttpTransport(
    const OtlpHttpOptions& options) {
  absl::StatusOr<Endpoint> endpoint = ParseEndpoint(options.endpoint);
  if (!endpoint.ok()) return endpoint.status();
  for (size_t i = 0; i < options.headers.size(); ++i) {
    const auto& [name, value] = options.headers[i];
    if (absl::Status status = CheckHeader(i, name, value); !status.ok()) return status;
  }
  return std::make_unique<OtlpHttpTransport>(*std::move(endpoint), options);
}

}  // namespace failover
