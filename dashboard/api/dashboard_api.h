// DashboardApi: the dashboard's JSON API, one method per GET endpoint under base-path. It reads
// the fleet through a MetricsSource (any cluster mode) and the trend from an optional
// HistoryRing, and answers status + JSON body; routing, security and exposure are the HTTP
// server's business.
//
//   DashboardApi api(config, source, clock, history.get() /*nullptr: history disabled*/);
//   ApiResponse metrics = api.Metrics();  // {200, "{\"mode\":\"local\",...}"}
//   ApiResponse bad = api.MetricsSeries("abc");  // {400, "{\"error\":\"windowSec: ...\"}"}
//
// Bodies are built as google::protobuf::Struct and printed by protobuf's JSON printer. Times are
// RFC 3339 (UTC) or null; rates are fractions in [0, 1]; latencies in seconds. Errors are
// {"error": "..."} with status 400 (bad parameter), 404 (history disabled), 503 (the metrics
// source cannot be read) or 500 (the body could not be printed). The field list of each endpoint
// is in dashboard/api/README.md.
//
// Thread-safe: the API keeps no mutable state; the source and the ring are thread-safe.
#ifndef FAILOVER_DASHBOARD_API_DASHBOARD_API_H_
#define FAILOVER_DASHBOARD_API_DASHBOARD_API_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "core/clock.h"
#include "core/config/failover_config.h"
#include "dashboard/api/history_ring.h"
#include "dashboard/http/api_endpoints.h"
#include "dashboard/metrics_source.h"

namespace failover {
namespace dashboard {

class DashboardApi final : public DashboardEndpoints {
 public:
  // `source`, `clock` and `history` (nullable: history disabled) must outlive the API; `config`
  // is copied.
  DashboardApi(const FailoverConfig& config, MetricsSource& source, const Clock& clock,
               HistoryRing* history);
  DashboardApi(const DashboardApi&) = delete;
  DashboardApi& operator=(const DashboardApi&) = delete;

  // api/config: what the UI needs (base path, cluster mode, exposure, history, thresholds,
  // refresh hint).
  ApiResponse Config() override;
  // api/config/settings: every failover.* property with its current value, secrets masked.
  ApiResponse ConfigSettings() override;
  // api/failover-health: {"status":"UP"|"DOWN", "apis":[...]} (DOWN when an API is UNHEALTHY).
  ApiResponse FailoverHealth() override;
  // api/metrics: per-API KPIs worst first, totals, redis and naming gauges, instances.
  ApiResponse Metrics() override;
  // api/metrics/series?windowSec=N: history samples of the last N seconds; "" = every sample.
  ApiResponse MetricsSeries(absl::string_view window_sec_param) override;
  // api/metrics/exceptions: failover.exception.total by failover name and type, largest first.
  ApiResponse MetricsExceptions() override;
  // api/health: the dashboard's own health (503 when DOWN: the source cannot be read).
  ApiResponse Health() override;
  // api/instances: what the source knows about each reporting process.
  ApiResponse Instances() override;

 private:
  const FailoverConfig config_;
  MetricsSource& source_;
  const Clock& clock_;
  HistoryRing* const history_;
  const std::optional<HistoryOptions> history_options_;
  // Config() and ConfigSettings() depend on the config only: printed once.
  const ApiResponse config_response_;
  const ApiResponse settings_response_;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_API_DASHBOARD_API_H_
