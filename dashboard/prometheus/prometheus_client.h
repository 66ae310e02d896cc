// PrometheusClient: runs an instant PromQL query against a Prometheus server's HTTP API
// (GET /api/v1/query) and returns the resulting vector. PrometheusMetricsSource reads the fleet's
// meters through it; tests give it a fake. NewHttplibPrometheusClient()
// (httplib_prometheus_client.h) is the real one.
//
//   absl::StatusOr<std::vector<PrometheusSample>> up = client.Query("up");
//   for (const PrometheusSample& s : *up) { s.labels.at("instance"); s.value; }
#ifndef FAILOVER_DASHBOARD_PROMETHEUS_PROMETHEUS_CLIENT_H_
#define FAILOVER_DASHBOARD_PROMETHEUS_PROMETHEUS_CLIENT_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace failover {
namespace dashboard {

// One element of an instant vector: its label set (with __name__ when the query keeps it) and
// value (NaN and infinities as Prometheus reports them).
struct PrometheusSample {
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Implementations are thread-safe.
class PrometheusClient {
 public:
  virtual ~PrometheusClient() = default;

  // The instant vector `promql` evaluates to now. UNAVAILABLE or DEADLINE_EXCEEDED when the
  // server cannot be reached or answers too late, INVALID_ARGUMENT when it rejects the query,
  // INTERNAL for an answer that is not a vector or not Prometheus's JSON.
  virtual absl::StatusOr<std::vector<PrometheusSample>> Query(absl::string_view promql) = 0;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_PROMETHEUS_PROMETHEUS_CLIENT_H_
