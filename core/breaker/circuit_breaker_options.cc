#include "core/breaker/circuit_breaker_options.h"

#include "absl/strings/str_cat.h"

namespace failover {
namespace {

absl::Status Bad(absl::string_view field, absl::string_view value, absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat("circuit breaker option ", field, ": ", value, " (expected ", expected, ")"));
}

bool IsPercentage(double v) { return v > 0 && v <= 100; }

}  // namespace

absl::Status CircuitBreakerOptions::Validate() const {
  if (sliding_window_size < 1 || sliding_window_size > 65535) {
    return Bad("sliding_window_size", absl::StrCat(sliding_window_size), "1..65535");
  }
  if (sliding_window_duration <= absl::ZeroDuration()) {
    return Bad("sliding_window_duration", absl::FormatDuration(sliding_window_duration),
               "a positive duration");
  }
  if (time_window_buckets < 1 || time_window_buckets > 1000) {
    return Bad("time_window_buckets", absl::StrCat(time_window_buckets), "1..1000");
  }
  if (sliding_window_type == SlidingWindowType::kTimeBased &&
      sliding_window_duration < absl::Nanoseconds(time_window_buckets)) {
    return Bad("sliding_window_duration", absl::FormatDuration(sliding_window_duration),
               "at least one nanosecond per bucket");
  }
  if (minimum_number_of_calls < 1) {
    return Bad("minimum_number_of_calls", absl::StrCat(minimum_number_of_calls), ">= 1");
  }
  if (!IsPercentage(failure_rate_threshold)) {
    return Bad("failure_rate_threshold", absl::StrCat(failure_rate_threshold),
               "a percentage in (0, 100]");
  }
  if (!IsPercentage(slow_call_rate_threshold)) {
    return Bad("slow_call_rate_threshold", absl::StrCat(slow_call_rate_threshold),
               "a percentage in (0, 100]");
  }
  if (slow_call_duration_threshold <= absl::ZeroDuration()) {
    return Bad("slow_call_duration_threshold", absl::FormatDuration(slow_call_duration_threshold),
               "a positive duration");
  }
  if (minimum_number_of_failures < 0) {
    return Bad("minimum_number_of_failures", absl::StrCat(minimum_number_of_failures), ">= 0");
  }
  if (consecutive_failures_threshold < 0) {
    return Bad("consecutive_failures_threshold", absl::StrCat(consecutive_failures_threshold),
               ">= 0 (0 = off)");
  }
  if (wait_duration_in_open_state < absl::ZeroDuration()) {
    return Bad("wait_duration_in_open_state", absl::FormatDuration(wait_duration_in_open_state),
               ">= 0");
  }
  if (!(open_wait_multiplier >= 1.0)) {
    return Bad("open_wait_multiplier", absl::StrCat(open_wait_multiplier), ">= 1");
  }
  if (max_wait_duration_in_open_state < wait_duration_in_open_state) {
    return Bad("max_wait_duration_in_open_state",
               absl::FormatDuration(max_wait_duration_in_open_state),
               ">= wait_duration_in_open_state");
  }
  if (permitted_number_of_calls_in_half_open_state < 1) {
    return Bad("permitted_number_of_calls_in_half_open_state",
               absl::StrCat(permitted_number_of_calls_in_half_open_state), ">= 1");
  }
  if (max_wait_duration_in_half_open_state < absl::ZeroDuration()) {
    return Bad("max_wait_duration_in_half_open_state",
               absl::FormatDuration(max_wait_duration_in_half_open_state), ">= 0 (0 = off)");
  }
  return absl::OkStatus();
}

}  // namespace failover
