// HttpClient over cpp-httplib. The only file of the library that includes httplib.h: its error
// enum is mapped to absl::Status here and goes no further.
#include "naming-client/httplib_client.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/percent_encoding.h"

namespace failover {
namespace naming {
namespace {

std::string Target(absl::string_view path, const HttpQuery& query) {
  std::string target(path);
  for (size_t i = 0; i < query.size(); ++i) {
    absl::StrAppend(&target, i == 0 ? "?" : "&", PercentEncodeComponent(query[i].first), "=",
                    PercentEncodeComponent(query[i].second));
  }
  return target;
}

std::chrono::microseconds ChronoFor(absl::Duration d) {
  // httplib takes seconds + microseconds; "forever" is a day, far beyond any request here.
  d = std::clamp(d, absl::Milliseconds(1), absl::Hours(24));
  return absl::ToChronoMicroseconds(d);
}

// Thread-safe: every Get() builds its own httplib::Client and shares nothing.
class HttplibClient final : public HttpClient {
 public:
  absl::StatusOr<HttpResponse> Get(absl::string_view server, absl::string_view path,
                                   const HttpQuery& query,
                                   const HttpRequestOptions& options) override {
    absl::StatusOr<std::pair<std::string, int>> host_port = SplitHostPort(server);
    if (!host_port.ok()) return host_port.status();
    httplib::Client client(host_port->first, host_port->second);
    client.set_url_encode(false);  // Target() already encoded the query.
    client.set_keep_alive(false);
    client.set_connection_timeout(ChronoFor(options.connect_timeout));
    client.set_read_timeout(ChronoFor(options.timeout));
    client.set_write_timeout(ChronoFor(options.timeout));

    const std::string target = Target(path, query);
    const auto start = std::chrono::steady_clock::now();
    httplib::Result result = client.Get(target.c_str());
    const absl::Duration elapsed = absl::FromChrono(std::chrono::steady_clock::now() - start);
    if (result) {
      HttpResponse response;
      response.status = result->status;
      response.body = std::move(result->body);
      response.content_type = result->get_header_value("Content-Type");
      return response;
    }
    const std::string where = absl::StrCat("GET http://", server, path, ": ");
    switch (result.error()) {
      case httplib::Error::ConnectionTimeout:
        return absl::DeadlineExceededError(absl::StrCat(
            where, "not connected within ", absl::FormatDuration(options.connect_timeout)));
      case httplib::Error::Read:
        // httplib reports a read timeout and a reset connection alike; the time taken tells them
        // apart (a reset comes back well before the timeout).
        if (elapsed >= options.timeout) {
          return absl::DeadlineExceededError(
              absl::StrCat(where, "no response within ", absl::FormatDuration(options.timeout)));
        }
        return absl::UnavailableError(
            absl::StrCat(where, "connection closed before a complete response"));
      default:
        return absl::UnavailableError(
            absl::StrCat(where, httplib::to_string(result.error()), " error"));
    }
  }
};

}  // namespace

std::unique_ptr<HttpClient> NewHttplibClient() { return std::make_unique<HttplibClient>(); }

}  // namespace naming
}  // namespace failover
