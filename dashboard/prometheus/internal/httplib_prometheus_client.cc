// PrometheusClient over cpp-httplib: the only file of the package that includes httplib.h; its
// error enum becomes absl::Status here.
#include "dashboard/prometheus/httplib_prometheus_client.h"

#include <httplib.h>

#include <chrono>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "core/percent_encoding.h"
#include "dashboard/prometheus/internal/query_response.h"

namespace failover {
namespace dashboard {
namespace {

constexpr absl::string_view kBaseUrlKey = "failover.dashboard.cluster.prometheus.base-url";

// Thread-safe: every Query() builds its own httplib::Client; the fields are immutable.
class HttplibPrometheusClient final : public PrometheusClient {
 public:
  HttplibPrometheusClient(std::string origin, std::string path_prefix, std::string token,
                          absl::Duration timeout)
      : origin_(std::move(origin)),
        path_prefix_(std::move(path_prefix)),
        token_(std::move(token)),
        timeout_(timeout) {}

  absl::StatusOr<std::vector<PrometheusSample>> Query(absl::string_view promql) override {
    httplib::Client client(origin_);
    client.set_url_encode(false);  // PercentEncodeComponent() did it.
    client.set_keep_alive(false);
    const auto timeout = absl::ToChronoMicroseconds(timeout_);
    client.set_connection_timeout(timeout);
    client.set_read_timeout(timeout);
    client.set_write_timeout(timeout);
    if (!token_.empty()) client.set_bearer_token_auth(token_.c_str());
    const std::string target =
        absl::StrCat(path_prefix_, "/api/v1/query?query=", PercentEncodeComponent(promql));
    const auto start = std::chrono::steady_clock::now();
    httplib::Result result = client.Get(target.c_str());
    const absl::Duration elapsed = absl::FromChrono(std::chrono::steady_clock::now() - start);
    if (result) return prometheus_internal::ParseQueryResponse(result->status, result->body);
    const std::string where =
        absl::StrCat("prometheus GET ", origin_, path_prefix_, "/api/v1/query: ");
    switch (result.error()) {
      case httplib::Error::ConnectionTimeout:
        return absl::DeadlineExceededError(
            absl::StrCat(where, "not connected within ", absl::FormatDuration(timeout_)));
      case httplib::Error::Read:
        // A read timeout and a reset connection look alike; the time taken tells them apart.
        if (elapsed >= timeout_) {
          return absl::DeadlineExceededError(
              absl::StrCat(where, "no answer within ", absl::FormatDuration(timeout_)));
        }
        return absl::UnavailableError(absl::StrCat(where, "connection closed before an answer"));
      default:
        return absl::UnavailableError(
            absl::StrCat(where, httplib::to_string(result.error()), " error"));
    }
  }

 private:
  const std::string origin_;       // scheme://host[:port]
  const std::string path_prefix_;  // "" or "/path" without a trailing slash
  const std::string token_;
  const absl::Duration timeout_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<PrometheusClient>> NewHttplibPrometheusClient(
    const PrometheusClusterConfig& config) {
  absl::string_view url = absl::StripAsciiWhitespace(config.base_url);
  if (!absl::StartsWith(url, "http://") && !absl::StartsWith(url, "https://")) {
    return absl::InvalidArgumentError(
        absl::StrCat(kBaseUrlKey, ": '", config.base_url, "' must start with http:// or https://"));
  }
  const size_t host_start = url.find("://") + 3;
  const size_t path_start = url.find('/', host_start);
  const absl::string_view origin = url.substr(0, path_start);
  absl::string_view path =
      path_start == absl::string_view::npos ? absl::string_view() : url.substr(path_start);
  while (absl::ConsumeSuffix(&path, "/")) {
  }
  if (origin.size() == host_start || absl::StrContains(url, '?') || absl::StrContains(url, '#')) {
    return absl::InvalidArgumentError(
        absl::StrCat(kBaseUrlKey, ": '", config.base_url, "' is not http(s)://host[:port][/path]"));
  }
  if (config.timeout_seconds <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "failover.dashboard.cluster.prometheus.timeout-seconds: ", config.timeout_seconds,
        " must be positive"));
  }
  return std::make_unique<HttplibPrometheusClient>(
      std::string(origin), std::string(path), config.token, absl::Seconds(config.timeout_seconds));
}

}  // namespace dashboard
}  // namespace failover
