// Shorthands for driving a CircuitBreaker on a SimulatedClock in tests.
#ifndef FAILOVER_CORE_BREAKER_CIRCUIT_BREAKER_TEST_UTIL_H_
#define FAILOVER_CORE_BREAKER_CIRCUIT_BREAKER_TEST_UTIL_H_

#include <memory>
#include <string>
#include <vector>

#include "core/breaker/circuit_breaker.h"
#include "core/simulated_clock.h"
#include "gtest/gtest.h"

namespace failover {
namespace testing_internal {

inline std::unique_ptr<CircuitBreaker> MakeBreaker(const CircuitBreakerOptions& options,
                                                   Clock& clock) {
  auto breaker = CircuitBreaker::Create("test", options, clock);
  EXPECT_TRUE(breaker.ok()) << breaker.status();
  return std::move(breaker).value();
}

// Acquires and records one call; returns false if the breaker refused it.
inline bool Call(CircuitBreaker& b, const absl::Status& outcome,
                 absl::Duration elapsed = absl::Milliseconds(1)) {
  if (!b.TryAcquirePermission()) return false;
  b.OnResult(elapsed, outcome);
  return true;
}

inline void Succeed(CircuitBreaker& b, int n = 1) {
  for (int i = 0; i < n; ++i) ASSERT_TRUE(Call(b, absl::OkStatus()));
}

inline void Fail(CircuitBreaker& b, int n = 1) {
  for (int i = 0; i < n; ++i) ASSERT_TRUE(Call(b, absl::UnavailableError("down")));
}

// Records every transition as "FROM->TO".
struct TransitionLog {
  explicit TransitionLog(CircuitBreaker& b) {
    b.AddListener([this](const StateTransitionEvent& e) {
      entries.push_back(std::string(StateName(e.from)) + "->" + std::string(StateName(e.to)));
      events.push_back(e);
    });
  }
  std::vector<std::string> entries;
  std::vector<StateTransitionEvent> events;
};

}  // namespace testing_internal
}  // namespace failover

#endif  // FAILOVER_CORE_BREAKER_CIRCUIT_BREAKER_TEST_UTIL_H_
