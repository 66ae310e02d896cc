// BackoffWait: the wait before a given retry under RetryOptions: exponential growth from
// `wait`, capped at `max_wait`, randomized by `jitter` with an injected RandomSource. Retry uses
// it; it is public so that other loops (reconnects, health-check back-off) wait the same way.
//
//   failover::RetryOptions options;
//   options.wait = absl::Milliseconds(100);
//   options.backoff_multiplier = 2.0;
//   options.max_wait = absl::Milliseconds(300);
//   BackoffWait(options, 1, random);  // 100 ms
//   BackoffWait(options, 2, random);  // 200 ms
//   BackoffWait(options, 3, random);  // 300 ms (400 ms capped)
#ifndef FAILOVER_CORE_RETRY_BACKOFF_H_
#define FAILOVER_CORE_RETRY_BACKOFF_H_

#include "absl/time/time.h"
#include "core/random.h"
#include "core/retry/retry_options.h"

namespace failover {

// The wait before retry number `retry` (1 = the wait after the first attempt failed):
//   min(max_wait, wait * backoff_multiplier^(retry - 1)) * (1 + jitter * (2u - 1)),
// then capped at max_wait again, so max_wait bounds every wait. Draws one number from `random`
// only when jitter > 0. `options` must be valid (RetryOptions::Validate). Thread-safe.
absl::Duration BackoffWait(const RetryOptions& options, int retry, RandomSource& random);

}  // namespace failover

#endif  // FAILOVER_CORE_RETRY_BACKOFF_H_
