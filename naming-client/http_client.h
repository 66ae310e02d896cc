// HttpClient: the few HTTP GETs the naming client makes (the Nacos Open API), behind an interface
// so that tests script the answers and no third-party HTTP header reaches our public headers.
//
//   std::unique_ptr<failover::naming::HttpClient> http =
//       failover::naming::NewHttplibClient();  // httplib_client.h
//   failover::naming::HttpRequestOptions options;
//   options.timeout = absl::Seconds(3);
//   absl::StatusOr<failover::naming::HttpResponse> r = http->Get(
//       "127.0.0.1:8848", "/nacos/v1/ns/instance/list",
//       {{"serviceName", "DEFAULT_GROUP@@orders"}, {"namespaceId", "public"}}, options);
//   if (!r.ok()) return r.status();  // UNAVAILABLE, DEADLINE_EXCEEDED: nothing came back
//   if (r->status == 200) Parse(r->body);  // Any HTTP status is a response, not an error.
#ifndef FAILOVER_NAMING_CLIENT_HTTP_CLIENT_H_
#define FAILOVER_NAMING_CLIENT_HTTP_CLIENT_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace failover {
namespace naming {

// Query parameters in the order they are sent; names and values are sent URL-encoded.
using HttpQuery = std::vector<std::pair<std::string, std::string>>;

struct HttpRequestOptions {
  // Time allowed to establish the TCP connection.
  absl::Duration connect_timeout = absl::Seconds(2);
  // Time allowed for sending the request and for each wait for response bytes once connected.
  absl::Duration timeout = absl::Seconds(5);
};

// What the server answered. Any status code (404, 500...) is a response: interpreting it is the
// caller's business.
struct HttpResponse {
  int status = 0;
  std::string body;
  std::string content_type;  // The Content-Type header, "" when absent.
};

// Thread-safe: implementations must allow concurrent Get() calls from any thread.
class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // GET http://{server}{path}?{query}. `server` is "host:port" ("[::1]:8848" for IPv6).
  // Errors only when no response arrived: UNAVAILABLE when the server cannot be reached or drops
  // the connection, DEADLINE_EXCEEDED when connecting or reading took longer than allowed,
  // INVALID_ARGUMENT for a malformed `server`. Messages name the server and the path.
  virtual absl::StatusOr<HttpResponse> Get(absl::string_view server, absl::string_view path,
                                           const HttpQuery& query,
                                           const HttpRequestOptions& options) = 0;
};

// "host:port" -> {"host", port}; "[::1]:8848" -> {"::1", 8848}. INVALID_ARGUMENT naming the text
// when the host is empty or the port is not in 1..65535.
absl::StatusOr<std::pair<std::string, int>> SplitHostPort(absl::string_view server);

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_HTTP_CLIENT_H_
