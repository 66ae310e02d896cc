// PeerPublisher: pushes this process's metrics (a MetricsRegistry snapshot, encoded as
// failover.v1.MetricsSnapshot) to failoverd, which sums the fleet in shared-store mode; and sends
// heartbeats so failoverd can tell a quiet instance from a dead one. Configured by
// failover.dashboard.cluster.snapshot.* (SnapshotConfig).
//
//   PeerPublisherOptions options;
//   options.instance_id = "orders-1";
//   absl::StatusOr<std::unique_ptr<PeerPublisher>> publisher = PeerPublisher::Create(
//       config.dashboard.cluster.snapshot, registry, SystemClock(), std::move(options));
//   ...
//   calls.Increment();
//   (*publisher)->NotifyChanged();   // cheap; call it wherever metrics change
//
// Behaviour:
//   - Event-driven: NotifyChanged() asks for a push. Pushes are throttled to one per
//     interval-seconds; a change notified during the window is pushed when the window ends
//     (trailing flush), so the last state before traffic stops always reaches the dashboard.
//     Nothing is pushed while nothing changes: enable heartbeats so failoverd keeps a quiet
//     instance LIVE. The state at construction is pushed at once.
//   - After a failed push, pushes are suppressed for retry-interval-seconds, then the latest
//     state is pushed. One warning when pushes start failing, one "recovered" note when they
//     work again (likewise for heartbeats), through the WarningSink.
//   - Heartbeats (heartbeat.enabled): one at construction, then every heartbeat.interval-seconds.
//   - Flush() pushes now (ignoring throttle and back-off) and waits for the answer. The
//     destructor pushes a final snapshot, waiting at most final_push_timeout for it.
//   - A warning at construction when the push carries no credentials, unless
//     allow-insecure-ingest is set.
// All timing is on the injected Clock; the I/O runs on one worker thread the publisher owns, so
// the Clock's timer thread never blocks on the network.
//
// Thread-safety: thread-safe. NotifyChanged() takes no lock except on the first notification
// after a push was taken (one atomic exchange otherwise). The registry and the clock must outlive
// the publisher.
#ifndef FAILOVER_DASHBOARD_PUBLISHER_PEER_PUBLISHER_H_
#define FAILOVER_DASHBOARD_PUBLISHER_PEER_PUBLISHER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/config/dashboard_config.h"
#include "core/metrics/metrics_registry.h"
#include "core/warning_sink.h"
#include "dashboard/publisher/snapshot_transport.h"

namespace failover {
namespace dashboard {

struct PeerPublisherOptions {
  // Identity of this process in the fleet (failover.observable.instance.id); required.
  std::string instance_id;
  // When the process started (wall time); InfinitePast() = the clock's WallNow() at construction.
  absl::Time process_start = absl::InfinitePast();
  // Push/heartbeat failure warnings, recovery notes, the no-credentials warning. Called with an
  // internal lock held: must not call back into the publisher.
  WarningSink warnings = StderrWarningSink();
  // How long the destructor waits for the final snapshot's answer.
  absl::Duration final_push_timeout = absl::Seconds(5);
};

// Counts since construction. Plain value.
struct PeerPublisherStats {
  uint64_t pushes = 0;              // snapshot pushes attempted
  uint64_t push_failures = 0;       // ... of which failed
  uint64_t heartbeats = 0;          // heartbeats attempted
  uint64_t heartbeat_failures = 0;  // ... of which failed
};

class PeerPublisher {
 public:
  // Over HTTP(S) (http_snapshot_transport.h), with the credentials ResolvePublisherAuth() picks;
  // `token_provider` serves oauth2-client-registration-id (see snapshot_transport.h).
  // InvalidArgument naming the key for a blank or bad publish-url (a grpc:// URL needs the
  // transport of //dashboard/publisher:grpc_snapshot_transport and CreateWithTransport()), bad
  // intervals, a missing instance id, or credentials ResolvePublisherAuth() refuses.
  static absl::StatusOr<std::unique_ptr<PeerPublisher>> Create(const SnapshotConfig& config,
                                                               MetricsRegistry& registry,
                                                               Clock& clock,
                                                               PeerPublisherOptions options,
                                                               TokenProvider token_provider = {});
  // Over any transport (gRPC, or a recording one in tests). publish-url is used in messages only.
  static absl::StatusOr<std::unique_ptr<PeerPublisher>> CreateWithTransport(
      const SnapshotConfig& config, MetricsRegistry& registry, Clock& clock,
      PeerPublisherOptions options, std::unique_ptr<SnapshotTransport> transport);

  // Pushes a final snapshot (best effort, bounded by final_push_timeout), then stops. If the
  // transport is still busy at the deadline, its worker thread finishes that one call detached
  // and touches nothing of the caller's afterwards.
  ~PeerPublisher();
  PeerPublisher(const PeerPublisher&) = delete;
  PeerPublisher& operator=(const PeerPublisher&) = delete;

  // Metrics changed: push soon (now, or when the throttle window ends, or after the back-off).
  void NotifyChanged();

  // Pushes the current state now and waits for the answer (a push already running finishes
  // first). Returns the push's status.
  absl::Status Flush();

  PeerPublisherStats stats() const;

  // Waits until no push or heartbeat is running or due on the worker thread (timers may still be
  // pending). Lets SimulatedClock tests see each step's I/O completed before advancing.
  void AwaitIdleForTest();

 private:
  struct State;
  explicit PeerPublisher(std::shared_ptr<State> state);

  const std::shared_ptr<State> state_;
  std::thread worker_;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_PUBLISHER_PEER_PUBLISHER_H_
