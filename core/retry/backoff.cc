#include "core/retry/backoff.h"

#include <algorithm>
#include <cmath>

namespace failover {

absl::Duration BackoffWait(const RetryOptions& options, int retry, RandomSource& random) {
  // Doubles, so that a large multiplier or retry number saturates at the cap instead of
  // overflowing. The final conversion saturates too (a cap beyond ~292 years would overflow an
  // int64 of nanoseconds), and the cap applies once more after it.
  const double cap = absl::ToDoubleNanoseconds(options.max_wait);
  const double growth = std::pow(options.backoff_multiplier, std::max(retry - 1, 0));
  const double base = absl::ToDoubleNanoseconds(options.wait);
  double nanos = base == 0.0 ? 0.0 : std::min(cap, base * growth);  // Avoids 0 * inf = NaN.
  if (options.jitter > 0.0) {
    nanos *= 1.0 + options.jitter * (2.0 * random.Uniform01() - 1.0);
    nanos = std::min(cap, std::max(0.0, nanos));
  }
  return std::min(options.max_wait, absl::Nanoseconds(std::round(nanos)));
}

}  // namespace failover
