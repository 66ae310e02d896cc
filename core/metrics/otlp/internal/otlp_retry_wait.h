// The wait before an OTLP export's next attempt after a retryable failure (otlp_exporter.h):
// exponential back-off with equal jitter, raised to the server's Retry-After, capped at
// max_backoff. Pure: the caller supplies the random draw. Thread-safety: a pure function.
#ifndef FAILOVER_CORE_METRICS_OTLP_INTERNAL_OTLP_RETRY_WAIT_H_
#define FAILOVER_CORE_METRICS_OTLP_INTERNAL_OTLP_RETRY_WAIT_H_

#include <optional>

#include "absl/time/time.h"
#include "core/config/failover_config.h"

namespace failover {
namespace otlp_internal {

// min(max_backoff, max(retry_after, b/2 + u * b/2)) with b = min(max_backoff,
// initial_backoff * 2^failed_before), where `failed_before` counts the export's failed attempts
// before the one just made (0 after the first failure) and `u` is in [0, 1). Never negative.
absl::Duration OtlpRetryWait(const OtlpRetryConfig& retry, int failed_before,
                             std::optional<absl::Duration> retry_after, double u);

}  // namespace otlp_internal
}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_OTLP_INTERNAL_OTLP_RETRY_WAIT_H_
