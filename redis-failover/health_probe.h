// Health probes: how one health-check round decides whether an endpoint is healthy. A round
// runs up to `probes` probes, `probe_delay` apart, and applies the policy (all, a majority, or
// any must succeed), stopping as soon as the outcome is certain. The scheduling of rounds
// (every `interval`, on its own thread) is separate; this part is pure and runs on a
// SimulatedClock in tests.
//
//   failover::redis::HealthCheckOptions options;   // Jedis's defaults: 3 probes, 500 ms apart, all
//   failover::redis::HealthProbe ping = failover::redis::PingProbe(address);
//   failover::redis::ProbeRoundResult r = failover::redis::RunProbeRound(ping, options, clock);
//   if (!r.healthy) ... r.last_error says why
//
// A probe that throws counts as a failed probe: a health check never stops because of what
// happens inside a probe (Jedis's checker dies for good on an exception).
#ifndef FAILOVER_REDIS_FAILOVER_HEALTH_PROBE_H_
#define FAILOVER_REDIS_FAILOVER_HEALTH_PROBE_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/random.h"
#include "redis-failover/redis_connection.h"
#include "redis-failover/redis_uri.h"

namespace failover {
namespace redis {

enum class ProbePolicy {
  kAll,       // Healthy only if every probe succeeds (Jedis ALL_SUCCESS, its default).
  kMajority,  // More than half succeed.
  kAny,       // At least one succeeds.
};
absl::string_view ProbePolicyName(ProbePolicy policy);  // "all", "majority", "any"

struct HealthCheckOptions {
  // Time between the starts of two rounds (Jedis: 5 s).
  absl::Duration interval = absl::Seconds(5);
  // Bound on one probe, connect included (Jedis: 1 s).
  absl::Duration timeout = absl::Seconds(1);
  // Probes per round (Jedis: 3). >= 1.
  int probes = 3;
  // Pause between two probes of a round (Jedis: 500 ms).
  absl::Duration probe_delay = absl::Milliseconds(500);
  ProbePolicy policy = ProbePolicy::kAll;

  // InvalidArgument naming the bad field.
  absl::Status Validate() const;
};

// One probe of one endpoint, bounded by `timeout`. OK means healthy.
using HealthProbe = std::function<absl::Status(absl::Duration timeout)>;

struct ProbeRoundResult {
  bool healthy = false;
  int probes_run = 0;
  int successes = 0;
  absl::Status last_error;  // The last failed probe's error; OK if none failed.
};

// Runs one round; waits between probes with clock.SleepFor().
ProbeRoundResult RunProbeRound(const HealthProbe& probe, const HealthCheckOptions& options,
                               Clock& clock);

// PING on a new connection (connect and reply each bounded by the timeout); healthy on PONG.
HealthProbe PingProbe(RedisAddress address);
// ECHO of a random token on a new connection; healthy when the token comes back. Catches
// proxies that answer PING themselves.
HealthProbe EchoProbe(RedisAddress address, RandomSource& random);

}  // namespace redis
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_HEALTH_PROBE_H_
