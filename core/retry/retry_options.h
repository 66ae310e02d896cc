// RetryOptions: how a `Retry` (retry.h) decides whether, when and how often to call again. A plain,
// copyable config struct. The defaults beside each field are resilience4j's (3 attempts including
// the first, 500 ms fixed wait) plus a finite cap on any wait; docs/retry.md compares them with
// Jedis, redis-py and gRPC.
//
//   failover::RetryOptions options;
//   options.max_attempts = 4;
//   options.backoff_multiplier = 2.0;            // 500 ms, 1 s, 2 s
//   options.jitter = 0.2;                        // each wait * (1 +- 0.2 * u)
//   options.deadline = absl::Seconds(3);         // the whole call, waits included
//   options.ignore_codes = {absl::StatusCode::kDeadlineExceeded};  // a non-idempotent write
//   if (absl::Status s = options.Validate(); !s.ok()) return s;
#ifndef FAILOVER_CORE_RETRY_RETRY_OPTIONS_H_
#define FAILOVER_CORE_RETRY_RETRY_OPTIONS_H_

#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace failover {

// Immutable once handed to a Retry; safe to read from any thread. The predicates must be
// thread-safe if the Retry that holds them is used from several threads.
struct RetryOptions {
  // Attempts in total, including the first call (1 disables retrying).
  int max_attempts = 3;
  // Wait before the first retry.
  absl::Duration wait = absl::Milliseconds(500);
  // Each further wait is the previous one times this (1.0 = fixed wait; Jedis uses 2).
  double backoff_multiplier = 1.0;
  // Hard upper bound on any single wait, applied after jitter. Must be finite and >= wait.
  absl::Duration max_wait = absl::Seconds(30);
  // Randomization factor in [0, 1]: a wait w becomes w * (1 + jitter * (2u - 1)), u uniform in
  // [0, 1) from the injected RandomSource, i.e. within [w * (1 - jitter), w * (1 + jitter)).
  double jitter = 0.0;

  // A failed status is retried when its code is listed here or `retry_if` returns true, unless it
  // is ignored (ignore wins). The defaults are what Jedis and redis-py retry: lost or refused
  // connections (UNAVAILABLE) and timeouts (DEADLINE_EXCEEDED). Not retried by default:
  // RESOURCE_EXHAUSTED (the server asked for less load), ABORTED (absl: retry the whole
  // read-modify-write at a higher level), UNKNOWN/INTERNAL (often bugs, not transient). Retrying a
  // DEADLINE_EXCEEDED write may apply it twice: ignore it for non-idempotent calls.
  std::vector<absl::StatusCode> retry_on_codes = {absl::StatusCode::kUnavailable,
                                                  absl::StatusCode::kDeadlineExceeded};
  // Extra retry condition, ORed with `retry_on_codes` (clear the codes to retry by predicate only).
  std::function<bool(const absl::Status&)> retry_if;
  // Never retried, whatever the rules above say; returned to the caller unchanged.
  std::vector<absl::StatusCode> ignore_codes;
  std::function<bool(const absl::Status&)> ignore_if;

  // Time budget for the whole call, waits included, counted from the start of Retry::Run. No wait
  // is begun that would reach it; the time left is passed to each attempt. Infinite = none.
  absl::Duration deadline = absl::InfiniteDuration();

  // OK, or INVALID_ARGUMENT naming the first bad field, e.g.
  // "max_attempts must be >= 1, got 0".
  absl::Status Validate() const;

  // True if `status` (not OK) should be retried under the rules above. False for OK.
  bool IsRetryable(const absl::Status& status) const;
};

}  // namespace failover

#endif  // FAILOVER_CORE_RETRY_RETRY_OPTIONS_H_
