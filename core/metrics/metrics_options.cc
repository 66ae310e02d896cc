#include "core/metrics/metrics_options.h"

#include "absl/strings/str_cat.h"

namespace failover {

absl::Status ValidateMetricsOptions(const MetricsOptions& options) {
  if (options.cardinality.max_apis < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover.observable.cardinality.max-apis: ", options.cardinality.max_apis,
                     " must be at least 1"));
  }
  if (options.async.queue_capacity < 1 ||
      options.async.queue_capacity > AsyncOptions::kMaxQueueCapacity) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover.observable.async.queue-capacity: ", options.async.queue_capacity,
                     " must be in [1, ", AsyncOptions::kMaxQueueCapacity,
                     "] (the queue is allocated up front)"));
  }
  return absl::OkStatus();
}

}  // namespace failover
