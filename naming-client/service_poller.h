// ServicePoller: keeps subscribed services current by polling a NamingUpstream, each at the
// period its last result asks for (cacheMillis), backing off while the upstream fails. The C++
// counterpart of the Java client's ServiceInfoUpdateService / UpdateTask; results go to a sink
// (e.g. a ServiceInfoHolder), failures to an error callback and counters.
//
//   failover::naming::ServicePoller poller(
//       *upstream, failover::SystemClock(),
//       [&](const failover::v1::ServiceInfo& info) { holder.Process(info); },
//       [](const failover::naming::ServiceKey& key, const absl::Status& error) { LOG(...); });
//   poller.Subscribe({"DEFAULT_GROUP", "orders", ""});   // first poll right away
//   ...
//   poller.Unsubscribe({"DEFAULT_GROUP", "orders", ""});
//
// Timing, per service (the Java UpdateTask's rules, with the differences noted):
//   - The first poll runs `first_poll_delay` after Subscribe() (default 0; Java's subscribe
//     queries synchronously, then polls after 1 s).
//   - After a result with hosts: the next poll after period = cacheMillis * period_multiplier
//     (default 1: the period Nacos says a result may be cached; Java uses 6 because it also
//     gets pushes), clamped to [min_period, max_period] = [1 s, 60 s]; a result without
//     cacheMillis (or <= 0) uses default_period (1 s, the Java ServiceInfo default).
//   - After a failure, or a result with no hosts (Java counts both as failures; the result
//     with no hosts still goes to the sink): failures = min(failures + 1, 6) and the next poll
//     after min(period << failures, max_period), period being the last good one (Java shifts
//     its 1 s default instead). A result with hosts resets failures to 0.
// Errors leave whatever the sink has alone: the sink only ever sees results.
//
// Thread-safety: all methods may be called from any thread. Polls run on the clock's timer
// thread (for SystemClock(), a thread shared with the clock's other timers: a poll blocks it for
// up to the upstream's timeouts); the sink and the error callback are called there, with no
// lock of the poller held, one poll at a time per service and in order. They may call
// Subscribe() / Unsubscribe() but must not destroy the poller. No lock is held during a query.
#ifndef FAILOVER_NAMING_CLIENT_SERVICE_POLLER_H_
#define FAILOVER_NAMING_CLIENT_SERVICE_POLLER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/sync.h"
#include "naming-client/naming_upstream.h"
#include "naming-client/service_key.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {

struct ServicePollerOptions {
  // Delay from Subscribe() to the first poll.
  absl::Duration first_poll_delay = absl::ZeroDuration();
  // Period = cacheMillis * this. >= 1.
  int period_multiplier = 1;
  // Period when a result has no usable cacheMillis, and before any result.
  absl::Duration default_period = absl::Seconds(1);
  // Bounds on any period, failures included. 0 < min_period <= max_period.
  absl::Duration min_period = absl::Seconds(1);
  absl::Duration max_period = absl::Seconds(60);
  // Backoff shifts the period left by at most this many failures. 0..30.
  int max_backoff_shift = 6;
  // Passed to NamingUpstream::Query (the Java UpdateTask asks for every instance).
  bool healthy_only = false;
};

// One subscription as the poller sees it.
struct ServicePollState {
  int consecutive_failures = 0;  // Failures and results with no hosts since the last good one.
  absl::Duration period;         // From the last result with hosts (or default_period).
  absl::Duration next_delay;     // Delay the next poll was scheduled with.
  absl::Status last_error;       // The last poll's error; OK after a result.
  int64_t polls = 0;
  int64_t errors = 0;
};

// Since the poller was created, over every service.
struct ServicePollerStats {
  int64_t polls = 0;
  int64_t results = 0;  // Handed to the sink (with or without hosts).
  int64_t errors = 0;
};

class ServicePoller {
 public:
  using Sink = std::function<void(const v1::ServiceInfo&)>;
  using ErrorCallback = std::function<void(const ServiceKey&, const absl::Status&)>;

  // INVALID_ARGUMENT for an empty sink or options out of range (naming the field). `upstream`
  // and `clock` must outlive the poller; `on_error` may be empty.
  static absl::StatusOr<std::unique_ptr<ServicePoller>> Create(NamingUpstream& upstream,
                                                               Clock& clock, Sink sink,
                                                               ErrorCallback on_error = nullptr,
                                                               ServicePollerOptions options = {});
  // Cancels every timer and waits for a poll that is running. Must not be called from the sink
  // or the error callback.
  ~ServicePoller();
  ServicePoller(const ServicePoller&) = delete;
  ServicePoller& operator=(const ServicePoller&) = delete;

  // Starts polling `key`. False if it was already subscribed (nothing changes).
  bool Subscribe(const ServiceKey& key) ABSL_LOCKS_EXCLUDED(mu_);
  // Stops polling `key`: once this returns, no poll starts and no result or error of `key`
  // reaches the sink or the error callback (a hand-over already running on another thread is
  // waited for; a query in flight is not). False if it was not subscribed.
  bool Unsubscribe(const ServiceKey& key) ABSL_LOCKS_EXCLUDED(mu_);

  std::vector<ServiceKey> Subscriptions() const ABSL_LOCKS_EXCLUDED(mu_);
  std::optional<ServicePollState> State(const ServiceKey& key) const ABSL_LOCKS_EXCLUDED(mu_);
  ServicePollerStats stats() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  ServicePoller(NamingUpstream& upstream, Clock& clock, Sink sink, ErrorCallback on_error,
                ServicePollerOptions options);

  struct Subscription {
    uint64_t generation = 0;  // Tells a timer of this subscription from one of an earlier one.
    TimerId timer = kNoTimer;
    bool polling = false;
    ServicePollState state;
  };

  void Poll(const ServiceKey& key, uint64_t generation) ABSL_LOCKS_EXCLUDED(mu_);
  // Counts the outcome and, if the subscription is still there, schedules its next poll.
  void Finish(const ServiceKey& key, uint64_t generation, bool delivered, const absl::Status& error,
              const v1::ServiceInfo* info) ABSL_LOCKS_EXCLUDED(mu_);
  void ScheduleLocked(const ServiceKey& key, Subscription& sub, absl::Duration delay)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Duration PeriodFor(const v1::ServiceInfo& info) const;

  NamingUpstream& upstream_;
  Clock& clock_;
  const Sink sink_;
  const ErrorCallback on_error_;
  const ServicePollerOptions options_;

  mutable Mutex mu_;
  std::map<ServiceKey, Subscription> subscriptions_ ABSL_GUARDED_BY(mu_);
  uint64_t next_generation_ ABSL_GUARDED_BY(mu_) = 1;
  int running_polls_ ABSL_GUARDED_BY(mu_) = 0;
  // Subscriptions (by generation) whose result is being handed to the sink, and by which thread.
  std::map<uint64_t, std::thread::id> delivering_ ABSL_GUARDED_BY(mu_);
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  ServicePollerStats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_SERVICE_POLLER_H_
