// Waiting on real time for something a background thread does, for integration tests that run
// against real servers (unit tests drive a SimulatedClock instead).
#ifndef FAILOVER_TESTS_NAMING_CLIENT_WAIT_FOR_H_
#define FAILOVER_TESTS_NAMING_CLIENT_WAIT_FOR_H_

#include <chrono>
#include <thread>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace failover {
namespace naming {

// Polls `condition` every 5 ms until it holds (true) or `timeout` passes (false).
template <typename Condition>
bool WaitFor(Condition condition, absl::Duration timeout = absl::Seconds(30)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_TESTS_NAMING_CLIENT_WAIT_FOR_H_
