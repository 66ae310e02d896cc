#include "dashboard/ingest_counters.h"

namespace failover {
namespace dashboard {

IngestCounters::IngestCounters(MetricsRegistry& registry) {
  constexpr absl::string_view kTransportNames[kTransports] = {"http", "grpc"};
  constexpr absl::string_view kResultNames[kResults] = {"accepted", "rejected", "unauthorized"};
  for (int t = 0; t < kTransports; ++t) {
    for (int r = 0; r < kResults; ++r) {
      counters_[t][r] = &registry.GetCounter(
          kMetricName, {{"result", kResultNames[r]}, {"transport", kTransportNames[t]}});
    }
  }
}

}  // namespace dashboard
}  // namespace failover
