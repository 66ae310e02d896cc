// RedisFailoverClient: a Redis client for services with two or more Redis endpoints. Commands go
// to the active endpoint, the usable one with the highest weight, through that endpoint's
// circuit breaker and the configured retry. Health checks and breaker trips move traffic to the
// next endpoint; failback returns it to a recovered heavier one after its grace period; when no
// endpoint is usable, commands fail at once with a clear error (availability.h) until one is.
//
//   failover::redis::RedisClientOptions options;
//   options.endpoints = {{"east", "redis://10.0.0.1:6379", 1.0}, {"west", "redis://10.0.1.1",
//   0.5}}; auto client = failover::redis::RedisFailoverClient::Create(options); if (!client.ok())
//   return client.status(); absl::Status s = (*client)->Set("k", "v", {.ttl =
//   absl::Minutes(5)}).status(); absl::StatusOr<std::optional<std::string>> v =
//   (*client)->Get("k");
//   (*client)->AddSwitchListener([](const SwitchEvent& e) { LOG(INFO) << e.ToString(); });
//
// Errors: UNAVAILABLE / DEADLINE_EXCEEDED when the endpoint could not be reached or did not answer
// in time (after the retries), UNAVAILABLE recognised by IsAllEndpointsDown() when no endpoint is
// usable, UNAVAILABLE recognised by IsCallNotPermitted() when the active endpoint's breaker is
// open and no other endpoint took over yet, RESOURCE_EXHAUSTED when the endpoint's pool stayed
// exhausted for its max wait, FAILED_PRECONDITION after Close(). The generic calls (Command,
// Pipeline, Transaction) return reply errors (WRONGTYPE ...) as replies; the typed helpers
// return them as FAILED_PRECONDITION carrying the server's text.
//
// Thread-safety: thread-safe; one client is meant to be shared by all threads of a process.
// Listeners run with no lock of the client held, one event at a time per kind, in order, on the
// thread that caused the event (a health-check thread, a command's thread, a timer); they must
// not block for long and must not destroy the client.
#ifndef FAILOVER_REDIS_FAILOVER_REDIS_CLIENT_H_
#define FAILOVER_REDIS_FAILOVER_REDIS_CLIENT_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/breaker/circuit_breaker.h"
#include "core/clock.h"
#include "core/listener_list.h"
#include "core/metrics/metrics_registry.h"
#include "core/random.h"
#include "core/retry/retry.h"
#include "core/sync.h"
#include "redis-failover/availability.h"
#include "redis-failover/endpoint_selector.h"
#include "redis-failover/health_checker.h"
#include "redis-failover/redis_client_options.h"
#include "redis-failover/redis_reply.h"
#include "redis-failover/subscription.h"

namespace failover {
namespace redis {

// Per-call options.
struct CommandOptions {
  // Replaces the socket timeout for this call, e.g. for a blocking command (BLPOP 5 needs more
  // than a 200 ms socket timeout). Zero = the configured socket timeout.
  absl::Duration timeout = absl::ZeroDuration();
};

// SET's options.
struct SetOptions {
  enum class Condition {
    kAlways,
    kIfAbsent,  // NX
    kIfExists,  // XX
  };
  // Expiry; zero = none. Sent as EX when whole seconds, else PX.
  absl::Duration ttl = absl::ZeroDuration();
  Condition condition = Condition::kAlways;
  // KEEPTTL: keep the key's current expiry (ttl must then be zero).
  bool keep_ttl = false;
};

// A health-check result that changed an endpoint's health.
using HealthEvent = HealthChange;

// A breaker transition of one endpoint; `breaker` in the event is the endpoint's name.
using BreakerEvent = StateTransitionEvent;

class RedisFailoverClient {
 public:
  // Validates `options`, connects nothing yet, starts the health checks and waits (at most
  // options.startup.max_wait) until the start-up policy can be judged. UNAVAILABLE naming each
  // endpoint's condition when the policy is not met; INVALID_ARGUMENT for bad options.
  // `clock` and `random` must outlive the client. `metrics` may be null (the client then keeps
  // its own registry, see metrics()).
  static absl::StatusOr<std::unique_ptr<RedisFailoverClient>> Create(
      RedisClientOptions options, Clock& clock = SystemClock(),
      RandomSource& random = SystemRandom(), MetricsRegistry* metrics = nullptr);

  // Close()s. No call may be running or start any more.
  ~RedisFailoverClient();
  RedisFailoverClient(const RedisFailoverClient&) = delete;
  RedisFailoverClient& operator=(const RedisFailoverClient&) = delete;

  // Stops health checks, timers and subscriptions and closes every connection. Calls made
  // afterwards fail with FAILED_PRECONDITION. Idempotent.
  void Close() ABSL_LOCKS_EXCLUDED(mu_);

  // --- Commands (on the active endpoint, through its breaker and the retry) ---------------

  // Any command, binary-safe.
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& argv,
                                     const CommandOptions& options = {});
  // All commands in one round trip on one endpoint; one attempt for the breaker and the retry,
  // like a single command. The replies in order.
  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands, const CommandOptions& options = {});
  // MULTI, the commands, EXEC in one round trip on one endpoint. Returns EXEC's reply: an array
  // of the commands' replies, or an error reply (EXECABORT) when one of them was refused.
  absl::StatusOr<RedisReply> Transaction(const std::vector<std::vector<std::string>>& commands,
                                         const CommandOptions& options = {});

  // Typed helpers. Reply errors become FAILED_PRECONDITION with the server's text.
  absl::StatusOr<std::optional<std::string>> Get(absl::string_view key);
  // False when the condition (NX / XX) was not met.
  absl::StatusOr<bool> Set(absl::string_view key, absl::string_view value,
                           const SetOptions& options = {});
  absl::StatusOr<int64_t> Del(const std::vector<std::string>& keys);
  absl::StatusOr<int64_t> Exists(const std::vector<std::string>& keys);
  absl::StatusOr<int64_t> Incr(absl::string_view key);
  absl::StatusOr<int64_t> IncrBy(absl::string_view key, int64_t delta);
  // False when the key does not exist. Millisecond precision.
  absl::StatusOr<bool> Expire(absl::string_view key, absl::Duration ttl);
  // The time to live; nullopt when the key has no expiry. NOT_FOUND when it does not exist.
  absl::StatusOr<std::optional<absl::Duration>> Ttl(absl::string_view key);
  absl::StatusOr<std::optional<std::string>> HGet(absl::string_view key, absl::string_view field);
  // The number of fields added (not updated).
  absl::StatusOr<int64_t> HSet(absl::string_view key,
                               const std::vector<std::pair<std::string, std::string>>& fields);
  absl::StatusOr<std::map<std::string, std::string>> HGetAll(absl::string_view key);
  absl::StatusOr<int64_t> HDel(absl::string_view key, const std::vector<std::string>& fields);
  absl::StatusOr<int64_t> LPush(absl::string_view key, const std::vector<std::string>& values);
  absl::StatusOr<int64_t> RPush(absl::string_view key, const std::vector<std::string>& values);
  // Waits up to `wait` (server side) for an element of one of `keys`: {key, value}, or nullopt
  // when none came. The socket timeout for this call is `wait` plus the configured one.
  absl::StatusOr<std::optional<std::pair<std::string, std::string>>> BLPop(
      const std::vector<std::string>& keys, absl::Duration wait);
  // The number of subscribers that received the message (on the active endpoint).
  absl::StatusOr<int64_t> Publish(absl::string_view channel, absl::string_view message);

  // --- Pub/sub ------------------------------------------------------------------------------

  // Subscribes to `channels` and `patterns` on the active endpoint and re-subscribes on the new
  // active endpoint after every switch (or lost connection). Returns once subscribed somewhere;
  // the subscription's error otherwise. Messages published during a switch may be lost (Redis
  // pub/sub is at most once). The subscription must be destroyed before the client.
  absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(std::vector<std::string> channels,
                                                          std::vector<std::string> patterns,
                                                          Subscription::Handler handler)
      ABSL_LOCKS_EXCLUDED(mu_);

  // --- Control ------------------------------------------------------------------------------

  // Switches now (reason FORCED); FAILED_PRECONDITION when the endpoint is not usable.
  absl::Status SetActive(absl::string_view endpoint);
  // Keeps `endpoint` active for `duration` even if heavier ones are usable, unless it fails.
  absl::Status ForceActive(absl::string_view endpoint, absl::Duration duration);
  // Starts its health check; it becomes active at once if it is the heaviest (reason FAILBACK at
  // the next check) or if nothing else is usable.
  absl::Status AddEndpoint(const RedisEndpointOptions& endpoint) ABSL_LOCKS_EXCLUDED(mu_);
  // Refuses to remove the last endpoint. Removing the active one switches (FORCED) and closes
  // its connections.
  absl::Status RemoveEndpoint(absl::string_view endpoint) ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status SetWeight(absl::string_view endpoint, double weight);

  // --- Observing ----------------------------------------------------------------------------

  // The active endpoint's name; empty while none is usable.
  std::string active_endpoint() const ABSL_LOCKS_EXCLUDED(mu_);
  std::vector<EndpointStatus> endpoints() const;
  Availability availability() const { return availability_.state(); }
  MetricsRegistry& metrics() const { return *metrics_; }

  void AddSwitchListener(std::function<void(const SwitchEvent&)> listener);
  void AddHealthListener(std::function<void(const HealthEvent&)> listener);
  void AddBreakerListener(std::function<void(const BreakerEvent&)> listener);
  void AddAvailabilityListener(std::function<void(const AvailabilityEvent&)> listener);

 private:
  struct Endpoint;

  RedisFailoverClient(RedisClientOptions options, Clock& clock, RandomSource& random,
                      MetricsRegistry* metrics);
  absl::Status Start();
  absl::StatusOr<std::shared_ptr<Endpoint>> MakeEndpoint(const RedisEndpointOptions& options);
  HealthProbe ProbeFor(const std::shared_ptr<Endpoint>& endpoint);
  absl::Status CheckStartupPolicy();

  // Runs `op` on the active endpoint's connection under the breaker and the retry.
  absl::Status Run(const std::function<absl::Status(RedisConnection&)>& op,
                   const CommandOptions& options);
  absl::Status Attempt(const std::function<absl::Status(RedisConnection&)>& op,
                       const CommandOptions& options);
  absl::Status RunOn(Endpoint& endpoint, const std::function<absl::Status(RedisConnection&)>& op,
                     const CommandOptions& options);
  // A typed helper's command: the reply, or its error reply as FAILED_PRECONDITION.
  absl::StatusOr<RedisReply> Typed(const std::vector<std::string>& argv,
                                   const CommandOptions& options = {});

  std::shared_ptr<Endpoint> Active() const ABSL_LOCKS_EXCLUDED(mu_);
  std::shared_ptr<Endpoint> Find(absl::string_view name) const ABSL_LOCKS_EXCLUDED(mu_);
  std::string DescribeEndpoints() const;
  void OnSwitch(const SwitchEvent& event) ABSL_LOCKS_EXCLUDED(mu_);
  void OnHealth(const std::shared_ptr<Endpoint>& endpoint, const HealthChange& change);
  void OnBreaker(const std::string& endpoint, const StateTransitionEvent& event);
  void ScheduleFailbackCheck() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void FailbackCheck() ABSL_LOCKS_EXCLUDED(mu_);
  void UpdateEndpointGauges();

  const RedisClientOptions options_;
  Clock& clock_;
  RandomSource& random_;
  std::unique_ptr<MetricsRegistry> own_metrics_;
  MetricsRegistry* const metrics_;
  std::unique_ptr<Retry> retry_;
  EndpointSelector selector_;
  AvailabilityTracker availability_;

  mutable Mutex mu_;
  std::vector<std::shared_ptr<Endpoint>> endpoints_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<Endpoint> active_ ABSL_GUARDED_BY(mu_);
  TimerId failback_timer_ ABSL_GUARDED_BY(mu_) = kNoTimer;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<Subscription*> subscriptions_ ABSL_GUARDED_BY(mu_);

  ListenerList<HealthEvent> health_listeners_;
  ListenerList<BreakerEvent> breaker_listeners_;
  ListenerList<SwitchEvent> switch_listeners_;
};

}  // namespace redis
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_REDIS_CLIENT_H_
