// Availability: whether a RedisFailoverClient can serve commands, and the errors it returns when
// it cannot. While no endpoint is usable, commands fail at once with UNAVAILABLE: first
// "temporarily unavailable", then, once that has lasted all_down.max_attempts x all_down.delay,
// "unavailable". Both recover by themselves as soon as any endpoint is usable again, and every
// change is an event (Jedis's "permanent" error is neither permanent nor observable).
//
//   absl::StatusOr<RedisReply> r = client->Command({"GET", "k"});
//   if (failover::redis::IsAllEndpointsDown(r.status())) serve_from_cache();
//
// AvailabilityTracker is the state machine behind it; the client feeds it the selector's
// all-down and recovered events. It makes no I/O and runs on a SimulatedClock in tests.
//
// Thread-safety: thread-safe. Listeners run with no lock held, in order, one event at a time.
#ifndef FAILOVER_REDIS_FAILOVER_AVAILABILITY_H_
#define FAILOVER_REDIS_FAILOVER_AVAILABILITY_H_

#include <functional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/listener_list.h"
#include "core/sync.h"
#include "redis-failover/redis_client_options.h"

namespace failover {
namespace redis {

enum class Availability {
  kAvailable,               // An endpoint is active.
  kTemporarilyUnavailable,  // No usable endpoint, for less than max_attempts x delay.
  kUnavailable,             // No usable endpoint for longer than that.
};
absl::string_view AvailabilityName(Availability a);  // "AVAILABLE", "TEMPORARILY_UNAVAILABLE", ...

struct AvailabilityEvent {
  Availability from;
  Availability to;
  MonotonicTime at;
  // How long no endpoint had been usable (zero when going down).
  absl::Duration down_for;
  std::string ToString() const;  // "AVAILABLE -> TEMPORARILY_UNAVAILABLE"
};

// True for the error a client returns while no endpoint is usable (either kind).
bool IsAllEndpointsDown(const absl::Status& status);
// True only for the "unavailable" kind (down for longer than max_attempts x delay).
bool IsPermanentlyUnavailable(const absl::Status& status);

class AvailabilityTracker {
 public:
  using Listener = std::function<void(const AvailabilityEvent&)>;

  // `clock` must outlive the tracker. `options` must be valid.
  AvailabilityTracker(Clock& clock, RedisAllDownOptions options);
  ~AvailabilityTracker();
  AvailabilityTracker(const AvailabilityTracker&) = delete;
  AvailabilityTracker& operator=(const AvailabilityTracker&) = delete;

  // No endpoint is usable any more / one is again. Repeated calls are ignored.
  void OnAllDown() ABSL_LOCKS_EXCLUDED(mu_);
  void OnRecovered() ABSL_LOCKS_EXCLUDED(mu_);

  Availability state() const ABSL_LOCKS_EXCLUDED(mu_);
  // The error for a command refused now: UNAVAILABLE, recognised by IsAllEndpointsDown(), with
  // how long all endpoints have been down and `detail` (each endpoint's condition).
  absl::Status Error(absl::string_view detail) const ABSL_LOCKS_EXCLUDED(mu_);

  void AddListener(Listener listener) { listeners_.Add(std::move(listener)); }

 private:
  void OnDeadline(uint64_t episode) ABSL_LOCKS_EXCLUDED(mu_);

  Clock& clock_;
  const RedisAllDownOptions options_;
  const absl::Duration permanent_after_;

  mutable Mutex mu_;
  Availability state_ ABSL_GUARDED_BY(mu_) = Availability::kAvailable;
  MonotonicTime down_since_ ABSL_GUARDED_BY(mu_);
  uint64_t episode_ ABSL_GUARDED_BY(mu_) = 0;  // Grows with every all-down episode.
  TimerId timer_ ABSL_GUARDED_BY(mu_) = kNoTimer;
  ListenerList<AvailabilityEvent> listeners_;  // Events queued under mu_.
};

}  // namespace redis
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_AVAILABILITY_H_
