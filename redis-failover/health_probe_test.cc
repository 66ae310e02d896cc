#include "redis-failover/health_probe.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "core/simulated_clock.h"
#include "gtest/gtest.h"

namespace failover {
namespace redis {
namespace {

// Answers with the scripted outcomes in order (true = healthy); records when each probe ran.
struct ScriptedProbe {
  ScriptedProbe(SimulatedClock& clock, std::vector<bool> script) : clock(clock), script(script) {}
  HealthProbe AsProbe() {
    return [this](absl::Duration timeout) -> absl::Status {
      timeouts.push_back(timeout);
      started.push_back(clock.Now());
      const bool ok = script.at(started.size() - 1);
      return ok ? absl::OkStatus()
                : absl::UnavailableError("probe " + std::to_string(started.size()));
    };
  }
  SimulatedClock& clock;
  std::vector<bool> script;
  std::vector<MonotonicTime> started;
  std::vector<absl::Duration> timeouts;
};

HealthCheckOptions Options(ProbePolicy policy, int probes) {
  HealthCheckOptions o;
  o.policy = policy;
  o.probes = probes;
  o.timeout = absl::Milliseconds(50);
  o.probe_delay = absl::Milliseconds(100);
  return o;
}

TEST(RunProbeRoundTest, AllStopsAtTheFirstFailure) {
  SimulatedClock clock;
  ScriptedProbe probe(clock, {true, false, true});
  const ProbeRoundResult r = RunProbeRound(probe.AsProbe(), Options(ProbePolicy::kAll, 3), clock);
  EXPECT_FALSE(r.healthy);
  EXPECT_EQ(r.probes_run, 2);
  EXPECT_EQ(r.last_error.message(), "probe 2");
  ASSERT_EQ(probe.started.size(), 2u);
  EXPECT_EQ(probe.started[1] - probe.started[0], absl::Milliseconds(100));
  EXPECT_EQ(probe.timeouts[0], absl::Milliseconds(50));
}

TEST(RunProbeRoundTest, AllNeedsEveryProbe) {
  SimulatedClock clock;
  ScriptedProbe probe(clock, {true, true, true});
  const ProbeRoundResult r = RunProbeRound(probe.AsProbe(), Options(ProbePolicy::kAll, 3), clock);
  EXPECT_TRUE(r.healthy);
  EXPECT_EQ(r.probes_run, 3);
  EXPECT_TRUE(r.last_error.ok());
}

TEST(RunProbeRoundTest, AnyStopsAtTheFirstSuccess) {
  SimulatedClock clock;
  ScriptedProbe probe(clock, {false, true, false});
  const ProbeRoundResult r = RunProbeRound(probe.AsProbe(), Options(ProbePolicy::kAny, 3), clock);
  EXPECT_TRUE(r.healthy);
  EXPECT_EQ(r.probes_run, 2);
  ScriptedProbe dead(clock, {false, false, false});
  EXPECT_FALSE(RunProbeRound(dead.AsProbe(), Options(ProbePolicy::kAny, 3), clock).healthy);
  EXPECT_EQ(dead.started.size(), 3u);
}

TEST(RunProbeRoundTest, MajorityStopsWhenCertain) {
  SimulatedClock clock;
  ScriptedProbe two_ok(clock, {true, true, false, false, false});
  ProbeRoundResult r = RunProbeRound(two_ok.AsProbe(), Options(ProbePolicy::kMajority, 3), clock);
  EXPECT_TRUE(r.healthy);
  EXPECT_EQ(r.probes_run, 2);
  ScriptedProbe two_bad(clock, {false, true, false, true});
  r = RunProbeRound(two_bad.AsProbe(), Options(ProbePolicy::kMajority, 3), clock);
  EXPECT_FALSE(r.healthy);
  EXPECT_EQ(r.probes_run, 3);
  // Of 4, a majority is 3: two successes are not enough.
  ScriptedProbe half(clock, {true, false, true, false});
  EXPECT_FALSE(RunProbeRound(half.AsProbe(), Options(ProbePolicy::kMajority, 4), clock).healthy);
}

TEST(RunProbeRoundTest, AThrowingProbeIsAFailedProbeNotADeadChecker) {
  SimulatedClock clock;
  int calls = 0;
  const HealthProbe throws = [&](absl::Duration) -> absl::Status {
    if (++calls == 1) throw std::runtime_error("boom");
    return absl::OkStatus();
  };
  ProbeRoundResult r = RunProbeRound(throws, Options(ProbePolicy::kAll, 1), clock);
  EXPECT_FALSE(r.healthy);
  EXPECT_EQ(r.last_error.message(), "health probe threw: boom");
  r = RunProbeRound(throws, Options(ProbePolicy::kAll, 1), clock);  // The next round works.
  EXPECT_TRUE(r.healthy);
}

TEST(HealthCheckOptionsTest, DefaultsAreJedissAndValidationNamesTheField) {
  HealthCheckOptions o;
  EXPECT_EQ(o.interval, absl::Seconds(5));
  EXPECT_EQ(o.timeout, absl::Seconds(1));
  EXPECT_EQ(o.probes, 3);
  EXPECT_EQ(o.probe_delay, absl::Milliseconds(500));
  EXPECT_EQ(o.policy, ProbePolicy::kAll);
  EXPECT_TRUE(o.Validate().ok());
  o.probes = 0;
  EXPECT_EQ(o.Validate().message(), "health check probes: 0 (expected >= 1)");
  o = HealthCheckOptions();
  o.interval = absl::ZeroDuration();
  EXPECT_NE(o.Validate().message().find("interval"), absl::string_view::npos);
  o = HealthCheckOptions();
  o.timeout = absl::Seconds(-1);
  EXPECT_NE(o.Validate().message().find("timeout"), absl::string_view::npos);
  o = HealthCheckOptions();
  o.probe_delay = absl::Seconds(-1);
  EXPECT_NE(o.Validate().message().find("probe_delay"), absl::string_view::npos);
  EXPECT_EQ(ProbePolicyName(ProbePolicy::kMajority), "majority");
}

}  // namespace
}  // namespace redis
}  // namespace failover
