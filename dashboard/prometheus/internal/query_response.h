// Decodes the JSON answer of Prometheus's GET /api/v1/query into PrometheusSamples, with
// protobuf's JSON parser (into google.protobuf.Struct). Internal to dashboard/prometheus.
//
//   absl::StatusOr<std::vector<PrometheusSample>> samples =
//       ParseQueryResponse(/*http_status=*/200, R"({"status":"success","data":{...}})");
#ifndef FAILOVER_DASHBOARD_PROMETHEUS_INTERNAL_QUERY_RESPONSE_H_
#define FAILOVER_DASHBOARD_PROMETHEUS_INTERNAL_QUERY_RESPONSE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "dashboard/prometheus/prometheus_client.h"

namespace failover {
namespace dashboard {
namespace prometheus_internal {

// The samples of a "vector" result. Errors: Prometheus's own {"status":"error"} as
// INVALID_ARGUMENT (bad_data), DEADLINE_EXCEEDED (timeout, canceled), UNAVAILABLE (unavailable)
// or INTERNAL, with its errorType and error text; HTTP 401/403 without Prometheus JSON as
// UNAUTHENTICATED/PERMISSION_DENIED, other non-JSON answers as UNAVAILABLE (5xx) or INTERNAL;
// a result that is not a vector, or a malformed sample, as INTERNAL naming the field.
absl::StatusOr<std::vector<PrometheusSample>> ParseQueryResponse(int http_status,
                                                                 absl::string_view body);

// Prometheus's text for a sample value: a decimal, "NaN", "+Inf" or "-Inf".
absl::StatusOr<double> ParseSampleValue(absl::string_view text);

}  // namespace prometheus_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_PROMETHEUS_INTERNAL_QUERY_RESPONSE_H_
