#include "core/retry/backoff.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace failover {

absl::Duration BackoffWait(const RetryOptions& options, int retry, RandomSource& random) {
  // Doubles, so that a large multiplier or retry number saturates at the cap instead of
  // overflowing; max_wait is finite (validated), so the final conversion is in range.
  const double cap = absl::ToDoubleNanoseconds(options.max_wait);
  const double growth = std::pow(options.backoff_multiplier, std::max(retry - 1, 0));
  const double base = absl::ToDoubleNanoseconds(options.wait);
  double nanos = base == 0.0 ? 0.0 : std::min(cap, base * growth);  // Avoids 0 * inf = NaN.
  if (options.jitter > 0.0) {
    nanos *= 1.0 + options.jitter * (2.0 * random.Uniform01() - 1.0);
    nanos = std::min(cap, std::max(0.0, nanos));
  }
  return absl::Nanoseconds(static_cast<int64_t>(std::llround(nanos)));
}

}  // namespace failover
