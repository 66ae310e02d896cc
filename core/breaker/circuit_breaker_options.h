// CircuitBreakerOptions: every knob of a CircuitBreaker, with defaults beside each field. The
// defaults are resilience4j's, so a breaker configured the Java way behaves the Java way;
// docs/circuit-breaker.md lists them side by side with Jedis's and says how ours differ.
//
//   failover::CircuitBreakerOptions options;
//   options.sliding_window_type = failover::SlidingWindowType::kTimeBased;
//   options.sliding_window_duration = absl::Seconds(2);
//   options.minimum_number_of_calls = 20;
//   options.consecutive_failures_threshold = 5;
//   options.ignore_codes = {absl::StatusCode::kNotFound};
//   if (absl::Status s = options.Validate(); !s.ok()) { ... }
#ifndef FAILOVER_CORE_BREAKER_CIRCUIT_BREAKER_OPTIONS_H_
#define FAILOVER_CORE_BREAKER_CIRCUIT_BREAKER_OPTIONS_H_

#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace failover {

enum class SlidingWindowType {
  // The outcomes of the last `sliding_window_size` calls.
  kCountBased,
  // The outcomes of the calls of the last `sliding_window_duration` on the monotonic clock,
  // sliding in steps of sliding_window_duration / time_window_buckets.
  kTimeBased,
};

// Plain value type; copy freely. Immutable once given to a CircuitBreaker.
struct CircuitBreakerOptions {
  // --- What is judged -------------------------------------------------------------------
  SlidingWindowType sliding_window_type = SlidingWindowType::kCountBased;
  // Count-based window: number of most recent calls judged. 1..65535.
  int sliding_window_size = 100;
  // Time-based window: how far back calls are judged.
  absl::Duration sliding_window_duration = absl::Seconds(100);
  // Time-based window: resolution; the window slides by duration / buckets. 1..1000.
  int time_window_buckets = 20;
  // No rate decision before the window holds this many calls (count-based: capped at
  // sliding_window_size). >= 1.
  int minimum_number_of_calls = 100;
  // No failure-rate decision before the window holds this many failed calls (Jedis's
  // minNumOfFailures). 0 = no such minimum. >= 0.
  int minimum_number_of_failures = 0;

  // --- When CLOSED trips to OPEN --------------------------------------------------------
  // Trip when failed calls / all calls >= this percentage. (0, 100].
  double failure_rate_threshold = 50;
  // A call that takes longer than this is slow.
  absl::Duration slow_call_duration_threshold = absl::Seconds(60);
  // Trip when slow calls / all calls >= this percentage. (0, 100].
  double slow_call_rate_threshold = 100;
  // Trip after this many failures in a row, whatever the window says. 0 = off.
  int consecutive_failures_threshold = 0;

  // --- OPEN -----------------------------------------------------------------------------
  // Time spent OPEN after the first trip.
  absl::Duration wait_duration_in_open_state = absl::Seconds(60);
  // Each further trip without an intervening CLOSED multiplies the wait by this. >= 1
  // (1 = fixed wait).
  double open_wait_multiplier = 1.0;
  // Cap on the grown wait. Must be >= wait_duration_in_open_state.
  absl::Duration max_wait_duration_in_open_state = absl::Hours(1);
  // true: move OPEN -> HALF_OPEN by timer when the wait ends. false: on the first call after it.
  bool automatic_transition_from_open_to_half_open = false;

  // --- HALF_OPEN ------------------------------------------------------------------------
  // Trial calls let through in HALF_OPEN; their failure and slow rates decide CLOSED or OPEN.
  int permitted_number_of_calls_in_half_open_state = 10;
  // Back to OPEN if the trial has not finished after this long. Zero = wait for the trial.
  absl::Duration max_wait_duration_in_half_open_state = absl::ZeroDuration();

  // --- Which errors count (ignore wins over record) -----------------------------------------
  // Errors with these codes count as failures. Empty = every non-OK code.
  std::vector<absl::StatusCode> record_codes;
  // Errors with these codes are not counted at all (the permission is released).
  std::vector<absl::StatusCode> ignore_codes;
  // If set, an error counts as a failure only if this returns true (and its code is recorded).
  std::function<bool(const absl::Status&)> record_predicate;
  // If set and true for an error, the error is ignored.
  std::function<bool(const absl::Status&)> ignore_predicate;

  // Returns InvalidArgument naming the first bad field and its value.
  absl::Status Validate() const;
};

}  // namespace failover

#endif  // FAILOVER_CORE_BREAKER_CIRCUIT_BREAKER_OPTIONS_H_
