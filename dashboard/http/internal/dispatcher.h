// Dispatcher: everything the HTTP server decides about a request, without httplib: which route
// the path names, authentication (CheckAdmin, or CheckIngest for ingest), exposure (404 plus one
// warning per hidden endpoint name), the method (405), the route's handler, and the ingest
// counters. The server only converts between httplib's types and these.
//
// Thread-safe: Handle() runs on many server threads at once.
#ifndef FAILOVER_DASHBOARD_HTTP_INTERNAL_DISPATCHER_H_
#define FAILOVER_DASHBOARD_HTTP_INTERNAL_DISPATCHER_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "core/config/dashboard_config.h"
#include "core/sync.h"
#include "dashboard/http/dashboard_http_server.h"
#include "dashboard/http/internal/http_reply.h"
#include "dashboard/http/internal/route.h"
#include "dashboard/security/authenticator.h"

namespace failover {
namespace dashboard {
namespace http_internal {

struct HttpRequest {
  std::string method;         // "GET", "HEAD", "POST", ...
  std::string path;           // Percent-decoded, without the query.
  ParamLookup param;          // Query parameters.
  std::string authorization;  // The Authorization header, "" when absent.
  std::string content_type;   // The Content-Type header, "" when absent.
  absl::string_view body;
  std::string remote_addr;  // The socket's peer address.
};

class Dispatcher {
 public:
  // The services are checked by the server before.
  Dispatcher(const DashboardConfig& config, const DashboardHttpServices& services);

  HttpReply Handle(const HttpRequest& request) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  // After authentication: unknown path, exposure, method, then the handler.
  HttpReply HandleAuthorized(const Route& route, const HttpRequest& request,
                             const std::string& principal) ABSL_LOCKS_EXCLUDED(mu_);
  // 404 when the route is hidden by failover.dashboard.exposure, else nullopt.
  std::optional<HttpReply> Hidden(const Route& route, const HttpRequest& request)
      ABSL_LOCKS_EXCLUDED(mu_);
  HttpReply Serve(const Route& route, unsigned method, const HttpRequest& request,
                  const std::string& principal);
  HttpReply UiFileReply(absl::string_view name) const;
  HttpReply VendorReply() const;
  HttpReply PrometheusReply() const;
  void CountIngest(IngestResult result) const;

  const std::string base_path_;
  const ExposureConfig exposure_;
  const DashboardHttpServices services_;

  Mutex mu_;
  // Endpoint names whose hiding was reported.
  absl::flat_hash_set<std::string> warned_ ABSL_GUARDED_BY(mu_);
};

}  // namespace http_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_HTTP_INTERNAL_DISPATCHER_H_
