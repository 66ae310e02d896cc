// EndpointSelector: decides which Redis endpoint is active. It holds each endpoint's weight and
// condition (health, circuit breaker, manual disable, grace period) and applies the failover
// rules on every event; it makes no I/O, so its logic runs on a SimulatedClock in tests. The
// client feeds it health-check results and breaker transitions and asks it where to send
// commands.
//
// Rules (reference: Jedis 7's MultiDbConnectionProvider, minus its defects):
//  - Usable = healthy, breaker not OPEN / FORCED_OPEN, not disabled, grace period over.
//  - The active endpoint is the usable one with the highest weight; ties go to the endpoint added
//    first (configuration order), never to hash order.
//  - At every event, any usable endpoint beats an unusable active one (Jedis only fails over on
//    a breaker trip of the active endpoint, and keeps a dead higher-weight endpoint otherwise).
//  - An endpoint that fails (health check or breaker) enters its grace period and cannot be
//    chosen again until it ends, so a flapping server cannot cause ping-pong.
//  - Failback (CheckFailback(), every failback interval): if a usable endpoint has a strictly
//    higher weight than the active one, it becomes active.
//  - No usable endpoint: active() is empty (all down), and the first endpoint to become usable
//    is made active at once (recovery); grace periods yield when nothing else is usable.
//  - ForceActive(name, d): that endpoint stays active for d even if heavier ones are usable
//    (unless it becomes unusable itself); SetActive(name) switches now. Both refuse an unusable
//    endpoint.
//
//   failover::redis::EndpointSelectorOptions options;
//   options.grace_period = absl::Seconds(1);
//   failover::redis::EndpointSelector selector(clock, options);
//   selector.AddEndpoint("east", 1.0);
//   selector.AddEndpoint("west", 0.5);
//   selector.AddListener([](const SwitchEvent& e) { LOG(INFO) << e.ToString(); });
//   selector.OnHealthChanged("east", false);   // -> west, reason HEALTH_CHECK
//
// Thread-safety: thread-safe. Listeners run after the internal lock is released, on the thread
// that caused the switch, one event at a time and in order.
#ifndef FAILOVER_REDIS_FAILOVER_ENDPOINT_SELECTOR_H_
#define FAILOVER_REDIS_FAILOVER_ENDPOINT_SELECTOR_H_

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/breaker/circuit_breaker_state.h"
#include "core/clock.h"
#include "core/listener_list.h"
#include "core/sync.h"

namespace failover {
namespace redis {

// Why the active endpoint changed (Jedis's DatabaseSwitchEvent reasons).
enum class SwitchReason {
  kHealthCheck,     // A health-check result made the active endpoint unusable, or recovery.
  kCircuitBreaker,  // The active endpoint's breaker opened.
  kFailback,        // A heavier endpoint is usable again.
  kForced,          // SetActive(), ForceActive(), or the active endpoint was removed/disabled.
};
absl::string_view SwitchReasonName(SwitchReason reason);  // "HEALTH_CHECK", ...

struct SwitchEvent {
  std::string from;  // Empty when coming back from "all endpoints down".
  std::string to;    // Empty when no endpoint is usable any more.
  SwitchReason reason;
  MonotonicTime at;
  // "east -> west (CIRCUIT_BREAKER)", "east -> (none) (HEALTH_CHECK)".
  std::string ToString() const;
};

struct EndpointSelectorOptions {
  // How long an endpoint that failed stays out of the running (Jedis: 60 s).
  absl::Duration grace_period = absl::Seconds(60);
  // Whether CheckFailback() may move back to a heavier endpoint (Jedis: true).
  bool failback_supported = true;
};

// A point-in-time view of one endpoint.
struct EndpointStatus {
  std::string name;
  double weight = 1.0;
  bool healthy = true;
  CircuitBreakerState breaker = CircuitBreakerState::kClosed;
  bool disabled = false;
  bool in_grace_period = false;
  bool usable = false;
  bool active = false;
};

class EndpointSelector {
 public:
  using Listener = std::function<void(const SwitchEvent&)>;

  EndpointSelector(Clock& clock, EndpointSelectorOptions options);

  // New endpoints start healthy with a closed breaker; the first one added becomes active.
  // Names must be unique and non-empty; weights finite and >= 0.
  absl::Status AddEndpoint(absl::string_view name, double weight) ABSL_LOCKS_EXCLUDED(mu_);
  // Refuses to remove the last endpoint. Removing the active one switches (kForced).
  absl::Status RemoveEndpoint(absl::string_view name) ABSL_LOCKS_EXCLUDED(mu_);
  // Takes effect at the next failback check (or at once if the active endpoint is unusable).
  absl::Status SetWeight(absl::string_view name, double weight) ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status SetDisabled(absl::string_view name, bool disabled) ABSL_LOCKS_EXCLUDED(mu_);

  // Events from the health checks and the per-endpoint breakers. Unknown names are ignored
  // (an endpoint removed while its check was running).
  void OnHealthChanged(absl::string_view name, bool healthy) ABSL_LOCKS_EXCLUDED(mu_);
  void OnBreakerStateChanged(absl::string_view name, CircuitBreakerState state)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Re-evaluates grace periods that ended and, if supported, fails back.
  void CheckFailback() ABSL_LOCKS_EXCLUDED(mu_);

  // Manual control; FAILED_PRECONDITION naming the endpoint and why when it is not usable.
  absl::Status SetActive(absl::string_view name) ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status ForceActive(absl::string_view name, absl::Duration duration)
      ABSL_LOCKS_EXCLUDED(mu_);

  // The active endpoint, or empty when every endpoint is down.
  std::string active() const ABSL_LOCKS_EXCLUDED(mu_);
  std::vector<EndpointStatus> endpoints() const ABSL_LOCKS_EXCLUDED(mu_);
  void AddListener(Listener listener) { listeners_.Add(std::move(listener)); }

 private:
  struct Endpoint {
    std::string name;
    double weight;
    bool healthy = true;
    CircuitBreakerState breaker = CircuitBreakerState::kClosed;
    bool disabled = false;
    MonotonicTime grace_until;
  };

  Endpoint* Find(absl::string_view name) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool Usable(const Endpoint& e, MonotonicTime now, bool ignore_grace = false) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void StartGrace(Endpoint& e) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::string WhyUnusable(const Endpoint& e, MonotonicTime now) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The heaviest usable endpoint (first added on ties), or nullptr. With `ignore_grace`,
  // endpoints still in their grace period count as usable.
  const Endpoint* Best(MonotonicTime now, bool ignore_grace) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // If the active endpoint is unusable (or none), moves to the best usable one.
  void ReselectIfUnusable(SwitchReason reason) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SwitchTo(const std::string& to, SwitchReason reason) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Clock& clock_;
  const EndpointSelectorOptions options_;

  mutable Mutex mu_;
  std::vector<Endpoint> endpoints_ ABSL_GUARDED_BY(mu_);  // In the order they were added.
  std::string active_ ABSL_GUARDED_BY(mu_);
  MonotonicTime forced_until_ ABSL_GUARDED_BY(mu_);
  ListenerList<SwitchEvent> listeners_;  // Events queued under mu_.
};

}  // namespace redis
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_ENDPOINT_SELECTOR_H_
