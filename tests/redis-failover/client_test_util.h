// Shared by the RedisFailoverClient integration tests: real servers, fast options, bounded
// waiting and an event log.
#ifndef FAILOVER_TESTS_REDIS_FAILOVER_CLIENT_TEST_UTIL_H_
#define FAILOVER_TESTS_REDIS_FAILOVER_CLIENT_TEST_UTIL_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/sync.h"
#include "gtest/gtest.h"
#include "redis-failover/redis_client.h"
#include "redis-failover/testing/redis_server.h"

namespace failover {
namespace redis {
namespace client_testing {

using redis_testing::RedisServer;

inline std::vector<std::unique_ptr<RedisServer>> StartServers(int n) {
  std::vector<std::unique_ptr<RedisServer>> servers;
  for (int i = 0; i < n; ++i) {
    absl::StatusOr<std::unique_ptr<RedisServer>> s = RedisServer::Start();
    EXPECT_TRUE(s.ok()) << s.status();
    if (!s.ok()) return {};
    servers.push_back(std::move(*s));
  }
  return servers;
}

// Endpoints named "east", "west", "north" ... with the given weights, and timings short enough
// for tests: health checks every 50 ms, grace 400 ms, failback checked every 50 ms.
inline RedisClientOptions FastOptions(const std::vector<std::unique_ptr<RedisServer>>& servers,
                                      const std::vector<double>& weights) {
  static const char* const kNames[] = {"east", "west", "north", "south"};
  RedisClientOptions o;
  for (size_t i = 0; i < servers.size(); ++i) {
    o.endpoints.push_back({kNames[i], servers[i]->uri(), weights[i]});
  }
  o.connection.connect_timeout = absl::Milliseconds(200);
  o.connection.socket_timeout = absl::Milliseconds(200);
  o.connection.client_name = "failover-test";
  o.health_check.interval = absl::Milliseconds(50);
  o.health_check.timeout = absl::Milliseconds(100);
  o.health_check.probes = 1;
  o.health_check.probe_delay = absl::ZeroDuration();
  o.failback.check_interval = absl::Milliseconds(50);
  o.failback.grace_period = absl::Milliseconds(400);
  o.circuit_breaker.wait_duration_in_open_state = absl::Milliseconds(400);
  o.retry.max_attempts = 2;
  o.retry.wait = absl::Milliseconds(10);
  o.startup.max_wait = absl::Seconds(3);
  o.all_down.max_attempts = 2;
  o.all_down.delay = absl::Milliseconds(300);
  return o;
}

// Polls `condition` every 5 ms for up to `timeout` (real time).
inline bool WaitFor(const std::function<bool()>& condition,
                    absl::Duration timeout = absl::Seconds(10)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (condition()) return true;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return condition();
}

// Records switch events; thread-safe.
class SwitchLog {
 public:
  explicit SwitchLog(RedisFailoverClient& client) {
    client.AddSwitchListener([this](const SwitchEvent& e) {
      MutexLock lock(&mu_);
      events_.push_back({e, absl::Now()});
    });
  }
  struct Entry {
    SwitchEvent event;
    absl::Time at;
  };
  std::vector<Entry> entries() const {
    MutexLock lock(&mu_);
    return events_;
  }
  size_t size() const { return entries().size(); }
  // "east -> west (HEALTH_CHECK), west -> east (FAILBACK)"
  std::string ToString() const {
    std::vector<std::string> parts;
    for (const Entry& e : entries()) parts.push_back(e.event.ToString());
    return absl::StrJoin(parts, ", ");
  }

 private:
  mutable Mutex mu_;
  std::vector<Entry> events_;
};

inline std::unique_ptr<RedisFailoverClient> MakeClient(RedisClientOptions options) {
  absl::StatusOr<std::unique_ptr<RedisFailoverClient>> c =
      RedisFailoverClient::Create(std::move(options));
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? std::move(*c) : nullptr;
}

// Waits (bounded, 10 s) until `active` is the active endpoint and every endpoint is healthy. On a
// busy machine a health probe right after start can time out and switch away from the preferred
// endpoint for a grace period; tests that log switches from a known start wait for it first.
inline bool WaitUntilSettled(const RedisFailoverClient& client, const std::string& active) {
  return WaitFor([&] {
    if (client.active_endpoint() != active) return false;
    for (const EndpointStatus& e : client.endpoints()) {
      if (!e.healthy) return false;
    }
    return true;
  });
}

// How many commands named `command` (lower case, e.g. "set") the server has executed since its
// start or the last CONFIG RESETSTAT.
inline int64_t CommandCalls(const RedisServer& server, const std::string& command) {
  absl::StatusOr<std::string> info = server.Command({"INFO", "commandstats"});
  if (!info.ok()) return -1;
  const std::string key = absl::StrCat("cmdstat_", command, ":calls=");
  const size_t at = info->find(key);
  if (at == std::string::npos) return 0;
  return std::stoll(info->substr(at + key.size()));
}

}  // namespace client_testing
}  // namespace redis
}  // namespace failover

#endif  // FAILOVER_TESTS_REDIS_FAILOVER_CLIENT_TEST_UTIL_H_
