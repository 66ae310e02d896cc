// IngestCounters: failoverd's count of snapshot and heartbeat pushes by transport and outcome,
// the counter family `failover.dashboard.ingest.total{transport="http|grpc",
// result="accepted|rejected|unauthorized"}` in a MetricsRegistry. All six series exist (at 0)
// from construction, so a scrape shows them before the first push.
//
//   MetricsRegistry registry;
//   IngestCounters counters(registry);
//   counters.Record(IngestTransport::kHttp, IngestResult::kAccepted);
//
// What counts as what: unauthorized = refused by authentication (no or bad credentials, a user
// without the ingest role, a locked-out user or address); rejected = any other refusal (endpoint
// not exposed, not in shared-store mode, wrong content type, a body that does not decode or that
// the sink refuses, shutting down); accepted = handed to the IngestSink and accepted.
//
// Thread-safe and lock-free: Record() is one relaxed atomic increment.
#ifndef FAILOVER_DASHBOARD_INGEST_COUNTERS_H_
#define FAILOVER_DASHBOARD_INGEST_COUNTERS_H_

#include "absl/strings/string_view.h"
#include "core/metrics/meters.h"
#include "core/metrics/metrics_registry.h"

namespace failover {
namespace dashboard {

enum class IngestTransport { kHttp, kGrpc };
enum class IngestResult { kAccepted, kRejected, kUnauthorized };

class IngestCounters {
 public:
  static constexpr absl::string_view kMetricName = "failover.dashboard.ingest.total";

  // `registry` must outlive the counters.
  explicit IngestCounters(MetricsRegistry& registry);
  IngestCounters(const IngestCounters&) = delete;
  IngestCounters& operator=(const IngestCounters&) = delete;

  void Record(IngestTransport transport, IngestResult result) {
    counters_[static_cast<int>(transport)][static_cast<int>(result)]->Increment();
  }

 private:
  static constexpr int kTransports = 2;
  static constexpr int kResults = 3;
  Counter* counters_[kTransports][kResults];
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_INGEST_COUNTERS_H_
