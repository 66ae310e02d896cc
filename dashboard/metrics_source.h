// MetricsSource: where the dashboard reads the fleet's metrics from, one per cluster mode
// (failover.dashboard.cluster.mode): "local" (this process's registry), "shared-store" (the latest
// snapshot pushed by each peer) and "prometheus" (PromQL against a Prometheus server). The JSON
// API, the history sampler and the web UI see only this interface.
//
//   std::unique_ptr<MetricsSource> source = ...;
//   absl::StatusOr<std::vector<v1::MetricSeries>> series = source->Series();
//   for (const InstanceStatus& instance : source->Instances()) { ... }
#ifndef FAILOVER_DASHBOARD_METRICS_SOURCE_H_
#define FAILOVER_DASHBOARD_METRICS_SOURCE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace dashboard {

// LIVE: a heartbeat (or a snapshot) within liveness-seconds; DOWN: the last one is older;
// UNKNOWN: the instance never sent a heartbeat.
enum class Liveness { kLive, kDown, kUnknown };

// "LIVE", "DOWN", "UNKNOWN".
absl::string_view LivenessName(Liveness liveness);

// What the dashboard knows about one reporting process.
struct InstanceStatus {
  std::string instance_id;
  Liveness liveness = Liveness::kUnknown;
  // absl::InfinitePast() when never received.
  absl::Time last_snapshot_at = absl::InfinitePast();
  absl::Time last_heartbeat_at = absl::InfinitePast();
  // The process start the instance reported last; InfinitePast() when unknown.
  absl::Time process_start = absl::InfinitePast();
  // The last snapshot's sequence number; 0 before the first snapshot.
  uint64_t sequence = 0;
  // Restarts seen (a new process start), and snapshots lost (gaps in the sequence).
  uint64_t restarts = 0;
  uint64_t lost_snapshots = 0;
  // Series in the last snapshot.
  size_t series_count = 0;
};

// How many instances are in each liveness state.
struct LivenessCounts {
  int64_t live = 0;
  int64_t down = 0;
  int64_t unknown = 0;
};

LivenessCounts CountByLiveness(const std::vector<InstanceStatus>& instances);

// Implementations state their own thread-safety; the dashboard calls them from its HTTP and
// gRPC threads concurrently, so every implementation in failoverd is thread-safe.
class MetricsSource {
 public:
  virtual ~MetricsSource() = default;

  // "local", "shared-store" or "prometheus".
  virtual std::string mode() const = 0;

  // The fleet's series now: counters and histograms summed over instances (counts of retired
  // instances and counts from before an instance's restart included, so totals never go
  // backwards), gauges one series per instance with the tag instance=<id> added. Series are
  // sorted by name, then tags. An error only when nothing can be read (the source is down).
  virtual absl::StatusOr<std::vector<v1::MetricSeries>> Series() = 0;

  // The instances known (retired ones excluded), by id. Local mode: this process only, LIVE.
  virtual std::vector<InstanceStatus> Instances() = 0;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_METRICS_SOURCE_H_
