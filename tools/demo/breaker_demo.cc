// breaker_demo: a circuit breaker in front of a simulated flaky dependency, printed as a
// timeline. Runs on a SimulatedClock, so a minute of traffic takes milliseconds and the output
// is the same on every run.
//
//   bazel run //tools/demo:breaker_demo
//
// The dependency is healthy for 10 s, fails 90 % of calls from 10 s to 30 s, then recovers.
// The caller sends 10 calls per second through the breaker and serves a fallback when refused.
#include <cstdio>
#include <string>

#include "absl/strings/str_format.h"
#include "core/breaker/circuit_breaker.h"
#include "core/simulated_clock.h"

namespace failover {
namespace {

constexpr absl::Duration kRunFor = absl::Seconds(60);
constexpr absl::Duration kCallEvery = absl::Milliseconds(100);

// Healthy, then mostly failing between 10 s and 30 s, then healthy again.
absl::Status FlakyDependency(absl::Duration since_start, int call_number) {
  const bool outage = since_start >= absl::Seconds(10) && since_start < absl::Seconds(30);
  if (outage && call_number % 10 != 0) return absl::UnavailableError("connection refused");
  return absl::OkStatus();
}

CircuitBreakerOptions DemoOptions() {
  CircuitBreakerOptions o;
  o.sliding_window_type = SlidingWindowType::kTimeBased;
  o.sliding_window_duration = absl::Seconds(2);
  o.minimum_number_of_calls = 10;
  o.failure_rate_threshold = 50;
  o.wait_duration_in_open_state = absl::Seconds(3);
  o.open_wait_multiplier = 2;
  o.max_wait_duration_in_open_state = absl::Seconds(12);
  o.automatic_transition_from_open_to_half_open = true;
  o.permitted_number_of_calls_in_half_open_state = 3;
  return o;
}

std::string Stamp(absl::Duration since_start) {
  return absl::StrFormat("t=%5.1fs", absl::ToDoubleSeconds(since_start));
}

int Run() {
  SimulatedClock clock;
  const MonotonicTime start = clock.Now();
  auto created = CircuitBreaker::Create("flaky-upstream", DemoOptions(), clock);
  if (!created.ok()) {
    std::fprintf(stderr, "%s\n", std::string(created.status().message()).c_str());
    return 1;
  }
  CircuitBreaker& breaker = **created;
  breaker.AddListener([&](const StateTransitionEvent& e) {
    std::printf("%s  ** %s\n", Stamp(e.at - start).c_str(), e.ToString().c_str());
  });

  std::printf("A breaker guards a dependency that fails 90%% of calls from t=10s to t=30s.\n");
  std::printf("Each line sums one second of traffic (10 calls); ** marks a state change.\n\n");
  int ok = 0, failed = 0, refused = 0, call = 0;
  for (absl::Duration t = absl::ZeroDuration(); t < kRunFor; t += kCallEvery) {
    clock.AdvanceTo(start + t);
    const absl::Status s = breaker.Execute([&] { return FlakyDependency(t, call++); });
    if (s.ok()) {
      ++ok;
    } else if (IsCallNotPermitted(s)) {
      ++refused;  // A real caller would serve its fallback here.
    } else {
      ++failed;
    }
    if ((t + kCallEvery) % absl::Seconds(1) == absl::ZeroDuration()) {
      std::printf("%s  %-9s ok=%2d failed=%2d refused(fallback)=%2d\n",
                  Stamp(t + kCallEvery).c_str(), std::string(StateName(breaker.state())).c_str(),
                  ok, failed, refused);
      ok = failed = refused = 0;
    }
  }
  const CircuitBreakerMetrics m = breaker.metrics();
  std::printf(
      "\nCalls refused while OPEN (served by fallback instead of hitting the dependency): "
      "%llu\n",
      static_cast<unsigned long long>(m.not_permitted_calls));
  return 0;
}

}  // namespace
}  // namespace failover

int main() { return failover::Run(); }
