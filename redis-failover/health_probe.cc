#include "redis-failover/health_probe.h"

#include <exception>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace failover {
namespace redis {

absl::string_view ProbePolicyName(ProbePolicy policy) {
  switch (policy) {
    case ProbePolicy::kAll:
      return "all";
    case ProbePolicy::kMajority:
      return "majority";
    case ProbePolicy::kAny:
      return "any";
  }
  return "unknown";
}

absl::Status HealthCheckOptions::Validate() const {
  auto bad = [](absl::string_view field, absl::string_view value, absl::string_view expected) {
    return absl::InvalidArgumentError(
        absl::StrCat("health check ", field, ": ", value, " (expected ", expected, ")"));
  };
  if (interval <= absl::ZeroDuration()) {
    return bad("interval", absl::FormatDuration(interval), "a positive duration");
  }
  if (timeout <= absl::ZeroDuration()) {
    return bad("timeout", absl::FormatDuration(timeout), "a positive duration");
  }
  if (probes < 1) return bad("probes", absl::StrCat(probes), ">= 1");
  if (probe_delay < absl::ZeroDuration()) {
    return bad("probe_delay", absl::FormatDuration(probe_delay), ">= 0");
  }
  return absl::OkStatus();
}

namespace {

absl::Status RunGuarded(const HealthProbe& probe, absl::Duration timeout) {
  try {
    return probe(timeout);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("health probe threw: ", e.what()));
  } catch (...) {
    return absl::InternalError("health probe threw a non-standard exception");
  }
}

// Whether the outcome is already certain after `run` of `total` probes with `ok` successes.
bool Decided(ProbePolicy policy, int run, int ok, int total, bool* healthy) {
  const int failed = run - ok;
  const int left = total - run;
  switch (policy) {
    case ProbePolicy::kAll:
      *healthy = failed == 0;
      return failed > 0 || left == 0;
    case ProbePolicy::kAny:
      *healthy = ok > 0;
      return ok > 0 || left == 0;
    case ProbePolicy::kMajority: {
      const int needed = total / 2 + 1;
      *healthy = ok >= needed;
      return ok >= needed || ok + left < needed;
    }
  }
  return true;
}

absl::StatusOr<std::unique_ptr<RedisConnection>> Connect(const RedisAddress& address,
                                                         absl::Duration timeout) {
  RedisConnectionOptions options;
  options.connect_timeout = timeout;
  options.socket_timeout = timeout;
  return ConnectRedis(address, options);
}

}  // namespace

ProbeRoundResult RunProbeRound(const HealthProbe& probe, const HealthCheckOptions& options,
                               Clock& clock) {
  ProbeRoundResult result;
  for (;;) {
    const absl::Status s = RunGuarded(probe, options.timeout);
    ++result.probes_run;
    if (s.ok()) {
      ++result.successes;
    } else {
      result.last_error = s;
    }
    if (Decided(options.policy, result.probes_run, result.successes, options.probes,
                &result.healthy)) {
      return result;
    }
    clock.SleepFor(options.probe_delay);
  }
}

HealthProbe PingProbe(RedisAddress address) {
  return [address = std::move(address)](absl::Duration timeout) -> absl::Status {
    auto connection = Connect(address, timeout);
    if (!connection.ok()) return connection.status();
    absl::StatusOr<RedisReply> reply = (*connection)->Command({"PING"});
    if (!reply.ok()) return reply.status();
    if (reply->text() != "PONG") {
      return absl::UnavailableError(
          absl::StrCat("redis ", address.ToString(), ": PING answered ", reply->DebugString()));
    }
    return absl::OkStatus();
  };
}

HealthProbe EchoProbe(RedisAddress address, RandomSource& random) {
  return [address = std::move(address), &random](absl::Duration timeout) -> absl::Status {
    const std::string token =
        absl::StrCat("failover-health-", static_cast<uint64_t>(random.Uniform01() * 1e15));
    auto connection = Connect(address, timeout);
    if (!connection.ok()) return connection.status();
    absl::StatusOr<RedisReply> reply = (*connection)->Command({"ECHO", token});
    if (!reply.ok()) return reply.status();
    if (reply->text() != token) {
      return absl::UnavailableError(
          absl::StrCat("redis ", address.ToString(), ": ECHO answered ", reply->DebugString()));
    }
    return absl::OkStatus();
  };
}

}  // namespace redis
}  // namespace failover
