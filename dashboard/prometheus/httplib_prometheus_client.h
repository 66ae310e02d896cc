// The PrometheusClient (prometheus_client.h) failoverd uses: GET {base-url}/api/v1/query over
// cpp-httplib, with `Authorization: Bearer <token>` when a token is configured and
// timeout-seconds as the connect and read timeout (failover.dashboard.cluster.prometheus.*).
// Only internal/httplib_prometheus_client.cc includes httplib.h.
//
//   absl::StatusOr<std::unique_ptr<PrometheusClient>> client =
//       NewHttplibPrometheusClient(config.dashboard.cluster.prometheus);
//   absl::StatusOr<std::vector<PrometheusSample>> up = (*client)->Query("up");
#ifndef FAILOVER_DASHBOARD_PROMETHEUS_HTTPLIB_PROMETHEUS_CLIENT_H_
#define FAILOVER_DASHBOARD_PROMETHEUS_HTTPLIB_PROMETHEUS_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "core/config/dashboard_config.h"
#include "dashboard/prometheus/prometheus_client.h"

namespace failover {
namespace dashboard {

// INVALID_ARGUMENT naming the key when base-url is not http(s)://host[:port][/path] or
// timeout-seconds is not positive. The client is thread-safe: each query opens its own
// connection (the dashboard asks every few seconds, so a fresh connection costs little and never
// meets one the server closed).
absl::StatusOr<std::unique_ptr<PrometheusClient>> NewHttplibPrometheusClient(
    const PrometheusClusterConfig& config);

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_PROMETHEUS_HTTPLIB_PROMETHEUS_CLIENT_H_
