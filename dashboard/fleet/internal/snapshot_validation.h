// Checks a pushed MetricsSnapshot or HeartbeatRequest before FleetStore keeps anything of it, and
// normalises what it accepts (tags sorted by key). Errors are INVALID_ARGUMENT naming the bad
// field: "series[3] 'failover.calls': duplicate tag key 'api'". Thread-safe (pure).
//
//   v1::MetricsSnapshot snapshot = ...;
//   if (absl::Status status = ValidateAndNormalize(&snapshot); !status.ok()) return status;
#ifndef FAILOVER_DASHBOARD_FLEET_INTERNAL_SNAPSHOT_VALIDATION_H_
#define FAILOVER_DASHBOARD_FLEET_INTERNAL_SNAPSHOT_VALIDATION_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace dashboard {
namespace fleet_internal {

inline constexpr size_t kMaxInstanceIdLength = 256;
inline constexpr int kMaxSeriesPerSnapshot = 10000;

// Not blank, at most kMaxInstanceIdLength characters.
absl::Status ValidateInstanceId(absl::string_view instance_id);

// Instance id; every series named, with a value, unique tag keys, a finite non-negative counter,
// histogram buckets with increasing bounds and non-decreasing cumulative counts; no two series
// with the same name and tags; at most kMaxSeriesPerSnapshot series. Sorts each series' tags.
absl::Status ValidateAndNormalize(v1::MetricsSnapshot* snapshot);

}  // namespace fleet_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_FLEET_INTERNAL_SNAPSHOT_VALIDATION_H_
