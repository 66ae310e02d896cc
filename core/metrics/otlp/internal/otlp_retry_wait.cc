#include "core/metrics/otlp/internal/otlp_retry_wait.h"

#include <algorithm>

namespace failover {
namespace otlp_internal {

absl::Duration OtlpRetryWait(const OtlpRetryConfig& retry, int failed_before,
                             std::optional<absl::Duration> retry_after, double u) {
  const absl::Duration cap = std::max(retry.max_backoff, absl::ZeroDuration());
  absl::Duration backoff = std::clamp(retry.initial_backoff, absl::ZeroDuration(), cap);
  // Doubling stops at the cap, so a long outage cannot overflow the exponent.
  for (int i = 0; i < failed_before && backoff < cap; ++i) backoff = std::min(cap, backoff * 2);
  const double jitter = std::clamp(u, 0.0, 1.0);
  absl::Duration wait = backoff / 2 + backoff / 2 * jitter;
  if (retry_after.has_value()) wait = std::max(wait, *retry_after);
  return std::clamp(wait, absl::ZeroDuration(), cap);
}

}  // namespace otlp_internal
}  // namespace failover
