#include "redis-failover/health_checker.h"

#include <utility>

namespace failover {
namespace redis {

HealthChecker::HealthChecker(std::string endpoint, HealthProbe probe, HealthCheckOptions options,
                             Clock& clock, Callback on_change)
    : endpoint_(std::move(endpoint)),
      probe_(std::move(probe)),
      options_(std::move(options)),
      clock_(clock),
      on_change_(std::move(on_change)) {}

HealthChecker::~HealthChecker() {
  TimerId timer;
  {
    MutexLock lock(&mu_);
    stopping_ = true;
    timer = std::exchange(timer_, kNoTimer);
  }
  if (timer != kNoTimer) clock_.Cancel(timer);  // Waits if its callback is running.
  if (thread_.joinable()) thread_.join();
}

void HealthChecker::Start() {
  MutexLock lock(&mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
}

bool HealthChecker::healthy() const {
  MutexLock lock(&mu_);
  return healthy_;
}

uint64_t HealthChecker::rounds() const {
  MutexLock lock(&mu_);
  return rounds_;
}

bool HealthChecker::WaitForRounds(uint64_t n, absl::Duration timeout) const {
  MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return rounds_ >= n; },
                              timeout);
}

void HealthChecker::ScheduleNextRound() {
  // The timer only flags the round as due; the round itself runs on this checker's thread, so
  // a slow probe never holds up the clock's other timers.
  timer_ = clock_.ScheduleAfter(options_.interval, [this] {
    MutexLock lock(&mu_);
    round_due_ = true;
  });
}

void HealthChecker::Loop() {
  for (;;) {
    {
      MutexLock lock(&mu_);
      mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return round_due_ || stopping_; });
      if (stopping_) return;
      round_due_ = false;
      ScheduleNextRound();  // Every interval from the start of a round, like Jedis.
    }
    RunRound();
  }
}

void HealthChecker::RunRound() {
  const ProbeRoundResult result = RunProbeRound(probe_, options_, clock_);
  bool changed;
  {
    MutexLock lock(&mu_);
    if (stopping_) return;
    changed = result.healthy != healthy_;
    healthy_ = result.healthy;
  }
  if (changed) on_change_(HealthChange{endpoint_, result.healthy, result.last_error});
  MutexLock lock(&mu_);
  ++rounds_;  // Counted once the change has been reported.
}

}  // namespace redis
}  // namespace failover
