#include "core/breaker/circuit_breaker_options.h"

#include <string>

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(CircuitBreakerOptionsTest, DefaultsAreResilience4jsAndValid) {
  const CircuitBreakerOptions o;
  EXPECT_TRUE(o.Validate().ok());
  EXPECT_EQ(o.sliding_window_type, SlidingWindowType::kCountBased);
  EXPECT_EQ(o.sliding_window_size, 100);
  EXPECT_EQ(o.minimum_number_of_calls, 100);
  EXPECT_EQ(o.failure_rate_threshold, 50);
  EXPECT_EQ(o.slow_call_duration_threshold, absl::Seconds(60));
  EXPECT_EQ(o.slow_call_rate_threshold, 100);
  EXPECT_EQ(o.wait_duration_in_open_state, absl::Seconds(60));
  EXPECT_EQ(o.permitted_number_of_calls_in_half_open_state, 10);
  EXPECT_FALSE(o.automatic_transition_from_open_to_half_open);
  EXPECT_EQ(o.max_wait_duration_in_half_open_state, absl::ZeroDuration());
  EXPECT_EQ(o.consecutive_failures_threshold, 0);
}

struct BadCase {
  const char* field;
  void (*mutate)(CircuitBreakerOptions&);
};

TEST(CircuitBreakerOptionsTest, EachBadFieldIsNamed) {
  const BadCase cases[] = {
      {"sliding_window_size", [](CircuitBreakerOptions& o) { o.sliding_window_size = 0; }},
      {"sliding_window_size", [](CircuitBreakerOptions& o) { o.sliding_window_size = 70000; }},
      {"sliding_window_duration",
       [](CircuitBreakerOptions& o) { o.sliding_window_duration = absl::ZeroDuration(); }},
      {"time_window_buckets", [](CircuitBreakerOptions& o) { o.time_window_buckets = 0; }},
      {"minimum_number_of_calls", [](CircuitBreakerOptions& o) { o.minimum_number_of_calls = 0; }},
      {"minimum_number_of_failures",
       [](CircuitBreakerOptions& o) { o.minimum_number_of_failures = -1; }},
      {"failure_rate_threshold", [](CircuitBreakerOptions& o) { o.failure_rate_threshold = 101; }},
      {"slow_call_rate_threshold",
       [](CircuitBreakerOptions& o) { o.slow_call_rate_threshold = 0; }},
      {"slow_call_duration_threshold",
       [](CircuitBreakerOptions& o) { o.slow_call_duration_threshold = absl::ZeroDuration(); }},
      {"consecutive_failures_threshold",
       [](CircuitBreakerOptions& o) { o.consecutive_failures_threshold = -1; }},
      {"wait_duration_in_open_state",
       [](CircuitBreakerOptions& o) { o.wait_duration_in_open_state = absl::Seconds(-1); }},
      {"open_wait_multiplier", [](CircuitBreakerOptions& o) { o.open_wait_multiplier = 0.5; }},
      {"max_wait_duration_in_open_state",
       [](CircuitBreakerOptions& o) { o.max_wait_duration_in_open_state = absl::Seconds(1); }},
      {"permitted_number_of_calls_in_half_open_state",
       [](CircuitBreakerOptions& o) { o.permitted_number_of_calls_in_half_open_state = 0; }},
      {"max_wait_duration_in_half_open_state",
       [](CircuitBreakerOptions& o) {
         o.max_wait_duration_in_half_open_state = absl::Seconds(-1);
       }},
  };
  for (const BadCase& c : cases) {
    CircuitBreakerOptions o;
    c.mutate(o);
    const absl::Status s = o.Validate();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_NE(std::string(s.message()).find(c.field), std::string::npos) << s;
  }
}

TEST(CircuitBreakerOptionsTest, InfiniteSlowThresholdTurnsSlowDetectionOff) {
  CircuitBreakerOptions o;
  o.slow_call_duration_threshold = absl::InfiniteDuration();
  EXPECT_TRUE(o.Validate().ok());
}

}  // namespace
}  // namespace failover
