// DashboardEndpoints: the JSON API the HTTP server routes its GET endpoints to, one method per
// endpoint, so the server can be tested with a fake and does not depend on how the API computes
// its answers. DashboardApi (dashboard/api/dashboard_api.h) is the production implementation.
//
//   class FakeEndpoints : public DashboardEndpoints {
//     ApiResponse Health() override { return {200, R"({"status":"UP"})"}; }
//     ...
//   };
//
// Implementations are thread-safe: the server calls them from many threads at once.
#ifndef FAILOVER_DASHBOARD_HTTP_API_ENDPOINTS_H_
#define FAILOVER_DASHBOARD_HTTP_API_ENDPOINTS_H_

#include <string>

#include "absl/strings/string_view.h"

namespace failover {
namespace dashboard {

// An endpoint's answer: HTTP status and a JSON body.
struct ApiResponse {
  int status = 200;
  std::string body;  // JSON
};

class DashboardEndpoints {
 public:
  virtual ~DashboardEndpoints() = default;

  virtual ApiResponse Config() = 0;          // api/config
  virtual ApiResponse ConfigSettings() = 0;  // api/config/settings
  virtual ApiResponse FailoverHealth() = 0;  // api/failover-health
  virtual ApiResponse Metrics() = 0;         // api/metrics
  // api/metrics/series?windowSec=N; `window_sec_param` is the parameter as given, "" if absent.
  virtual ApiResponse MetricsSeries(absl::string_view window_sec_param) = 0;
  virtual ApiResponse MetricsExceptions() = 0;  // api/metrics/exceptions
  virtual ApiResponse Health() = 0;             // api/health
  virtual ApiResponse Instances() = 0;          // api/instances
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_HTTP_API_ENDPOINTS_H_
