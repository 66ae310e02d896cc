// The only file of the publisher that includes httplib.h: httplib's errors become absl::Status
// here.
#include "dashboard/publisher/http_snapshot_transport.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace failover {
namespace dashboard {
namespace {

constexpr char kKey[] = "failover.dashboard.cluster.snapshot.publish-url";
constexpr char kProtobuf[] = "application/x-protobuf";
constexpr size_t kQuotedBody = 200;  // bytes of an error body quoted in a Status

std::chrono::microseconds ChronoFor(absl::Duration d) {
  return absl::ToChronoMicroseconds(std::clamp(d, absl::Milliseconds(1), absl::Hours(1)));
}

struct ParsedUrl {
  std::string scheme_host_port;  // "http://host:port", what httplib::Client takes
  std::string base_path;         // "" or "/failover-dashboard" (no trailing slash)
};

absl::StatusOr<ParsedUrl> ParseUrl(absl::string_view url) {
  absl::string_view rest = url;
  std::string scheme;
  if (absl::ConsumePrefix(&rest, "http://")) {
    scheme = "http";
  } else if (absl::ConsumePrefix(&rest, "https://")) {
    scheme = "https";
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(kKey, ": '", url, "' must start with http:// or https://"));
  }
  const size_t slash = rest.find('/');
  const absl::string_view authority = rest.substr(0, slash);
  absl::string_view path = slash == absl::string_view::npos ? "" : rest.substr(slash);
  if (authority.empty() || absl::StrContains(authority, '@')) {
    return absl::InvalidArgumentError(absl::StrCat(
        kKey, ": '", scheme, "://...' needs a host and no user info (use username/password)"));
  }
  if (absl::StrContains(path, '?') || absl::StrContains(path, '#')) {
    return absl::InvalidArgumentError(absl::StrCat(kKey, ": a query or fragment is not allowed"));
  }
  const size_t colon = authority.rfind(':');
  if (colon != absl::string_view::npos && authority.back() != ']') {
    int port = 0;
    if (!absl::SimpleAtoi(authority.substr(colon + 1), &port) || port < 1 || port > 65535) {
      return absl::InvalidArgumentError(
          absl::StrCat(kKey, ": '", authority, "' has an invalid port"));
    }
  }
  while (absl::ConsumeSuffix(&path, "/")) {
  }
  return ParsedUrl{absl::StrCat(scheme, "://", authority), std::string(path)};
}

// Thread-safe: every request builds its own httplib::Client; the members are immutable.
class HttpSnapshotTransport final : public SnapshotTransport {
 public:
  HttpSnapshotTransport(ParsedUrl url, HttpSnapshotTransportOptions options)
      : url_(std::move(url)), options_(std::move(options)) {}

  absl::Status Push(const v1::MetricsSnapshot& snapshot) override {
    return Post("/api/cluster/snapshot", snapshot.SerializeAsString());
  }
  absl::Status Heartbeat(const v1::HeartbeatRequest& request) override {
    return Post("/api/cluster/heartbeat", request.SerializeAsString());
  }

 private:
  absl::Status Post(absl::string_view route, const std::string& body) const {
    const std::string path = absl::StrCat(url_.base_path, route);
    const std::string where = absl::StrCat("POST ", url_.scheme_host_port, path);
    absl::StatusOr<std::string> authorization = AuthorizationHeaderValue(options_.auth);
    if (!authorization.ok()) {
      return absl::Status(authorization.status().code(),
                          absl::StrCat(where, ": ", authorization.status().message()));
    }
    httplib::Headers headers;
    if (!authorization->empty()) headers.emplace("Authorization", *authorization);

    httplib::Client client(url_.scheme_host_port);
    client.set_keep_alive(false);
    // Headers and body go out in two writes; without it the body waits for the server's
    // delayed ACK (Nagle), ~40 ms per push.
    client.set_tcp_nodelay(true);
    client.set_connection_timeout(ChronoFor(options_.connect_timeout));
    client.set_read_timeout(ChronoFor(options_.timeout));
    client.set_write_timeout(ChronoFor(options_.timeout));
    const auto start = std::chrono::steady_clock::now();
    httplib::Result result = client.Post(path, headers, body, kProtobuf);
    const absl::Duration elapsed = absl::FromChrono(std::chrono::steady_clock::now() - start);
    if (!result) return TransportError(where, result.error(), elapsed);
    return StatusFor(where, result->status, result->body);
  }

  absl::Status TransportError(const std::string& where, httplib::Error error,
                              absl::Duration elapsed) const {
    switch (error) {
      case httplib::Error::ConnectionTimeout:
        return absl::DeadlineExceededError(absl::StrCat(
            where, ": not connected within ", absl::FormatDuration(options_.connect_timeout)));
      case httplib::Error::Read:
        if (elapsed >= options_.timeout) {
          return absl::DeadlineExceededError(
              absl::StrCat(where, ": no response within ", absl::FormatDuration(options_.timeout)));
        }
        return absl::UnavailableError(
            absl::StrCat(where, ": connection closed before a complete response"));
      default:
        return absl::UnavailableError(
            absl::StrCat(where, ": ", httplib::to_string(error), " error"));
    }
  }

  static absl::Status StatusFor(const std::string& where, int status, const std::string& body) {
    if (status >= 200 && status < 300) return absl::OkStatus();
    std::string detail(absl::StripAsciiWhitespace(body.substr(0, kQuotedBody)));
    if (body.size() > kQuotedBody) detail += "...";
    const std::string message =
        absl::StrCat(where, ": HTTP ", status, detail.empty() ? "" : absl::StrCat(": ", detail));
    if (status == 401) return absl::UnauthenticatedError(message);
    if (status == 403) return absl::PermissionDeniedError(message);
    if (status == 404) return absl::NotFoundError(message);
    if (status >= 400 && status < 500) return absl::InvalidArgumentError(message);
    return absl::UnavailableError(message);
  }

  const ParsedUrl url_;
  const HttpSnapshotTransportOptions options_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SnapshotTransport>> NewHttpSnapshotTransport(
    HttpSnapshotTransportOptions options) {
  absl::StatusOr<ParsedUrl> url = ParseUrl(options.publish_url);
  if (!url.ok()) return url.status();
  return std::make_unique<HttpSnapshotTransport>(*std::move(url), std::move(options));
}

}  // namespace dashboard
}  // namespace failover
