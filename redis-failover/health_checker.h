// HealthChecker: keeps checking one endpoint. Every `interval` (of the injected clock) it runs a
// probe round (health_probe.h) on its own thread and reports each change of health. It never
// stops until destroyed: a failing, hanging (bounded by the probe timeout) or throwing probe is
// just an unhealthy round, and the next round is scheduled regardless (Jedis's checker dies for
// good on an exception).
//
//   failover::redis::HealthChecker checker(
//       "east", failover::redis::PingProbe(address), options, clock,
//       [&](const failover::redis::HealthChange& c) { selector.OnHealthChanged(c.endpoint,
//                                                                             c.healthy); });
//   checker.Start();
//
// Thread-safety: thread-safe. The callback runs on the checker's thread, never concurrently
// with itself; it must not destroy the checker.
#ifndef FAILOVER_REDIS_FAILOVER_HEALTH_CHECKER_H_
#define FAILOVER_REDIS_FAILOVER_HEALTH_CHECKER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/sync.h"
#include "redis-failover/health_probe.h"

namespace failover {
namespace redis {

struct HealthChange {
  std::string endpoint;
  bool healthy;
  absl::Status reason;  // The last failed probe's error when unhealthy; OK when healthy.
};

class HealthChecker {
 public:
  using Callback = std::function<void(const HealthChange&)>;

  // `options` must be valid (HealthCheckOptions::Validate()). The endpoint starts out healthy;
  // the first round's result is reported only if it differs.
  HealthChecker(std::string endpoint, HealthProbe probe, HealthCheckOptions options, Clock& clock,
                Callback on_change);
  // Stops the thread; waits for a round in progress (bounded by the probe timeouts).
  ~HealthChecker();
  HealthChecker(const HealthChecker&) = delete;
  HealthChecker& operator=(const HealthChecker&) = delete;

  // Starts the thread; the first round runs at once, the next ones every interval.
  void Start() ABSL_LOCKS_EXCLUDED(mu_);

  bool healthy() const ABSL_LOCKS_EXCLUDED(mu_);
  // Rounds completed so far.
  uint64_t rounds() const ABSL_LOCKS_EXCLUDED(mu_);
  // Waits (real time, bounded) until `n` rounds have completed; false on timeout. Used at
  // start-up to wait for the first round.
  bool WaitForRounds(uint64_t n, absl::Duration timeout) const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Loop();
  void RunRound();
  void ScheduleNextRound() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string endpoint_;
  const HealthProbe probe_;
  const HealthCheckOptions options_;
  Clock& clock_;
  const Callback on_change_;

  mutable Mutex mu_;
  bool round_due_ ABSL_GUARDED_BY(mu_) = true;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool healthy_ ABSL_GUARDED_BY(mu_) = true;
  uint64_t rounds_ ABSL_GUARDED_BY(mu_) = 0;
  TimerId timer_ ABSL_GUARDED_BY(mu_) = kNoTimer;
  std::thread thread_;
};

}  // namespace redis
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_HEALTH_CHECKER_H_
