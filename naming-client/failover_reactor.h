// FailoverReactor: polls a FailoverDataSource and answers lookups from its failover data while the
// switch is on (the C++ counterpart of the Java client's FailoverReactor).
//
//   absl::StatusOr<std::unique_ptr<FailoverReactor>> reactor =
//       FailoverReactor::Create(std::move(source), SystemClock());
//   (*reactor)->AddServiceListener([](const FailoverServiceEvent& e) { ... });
//   std::shared_ptr<const v1::ServiceInfo> info =
//       (*reactor)->Lookup({"DEFAULT_GROUP", "orders", "c1"});
//   if (info == nullptr) { /* fall through to the cache / server path */ }
//
// Where it differs from the Java client:
//   - The first load (switch and data) happens in Create(), so lookups right after start see
//     failover data (Java loads asynchronously and misses it at first).
//   - Lookup() never modifies stored data: a cluster filter builds a new ServiceInfo, so a later
//     unfiltered lookup still sees every host (Java overwrote the cached object's hosts).
//   - Gauges() reflects the state just loaded: the per-service instance counts exist from the
//     first load and a service disappears when its data does (Java's gauge came one tick late
//     and was never removed); the switch is a 0/1 value.
//
// Polling runs on the clock's timer thread (for SystemClock(), a thread shared with other
// timers): each poll calls the source's GetSwitch() and GetData(), which are I/O, so a slow
// source delays other timers of that clock. For the disk source this is reading a handful of
// small files every poll_interval; a source that can block for long should do its I/O elsewhere
// and answer from memory. Data is read whatever the switch says, so a flip to on serves data
// that is at most one poll old and service listeners see edits while off too. A source that
// learns of changes by itself (the gRPC source's watch stream) asks, through the notifier the
// reactor gives it (FailoverDataSource::SetChangeNotifier), for a poll at once (RequestPoll()).
#ifndef FAILOVER_NAMING_CLIENT_FAILOVER_REACTOR_H_
#define FAILOVER_NAMING_CLIENT_FAILOVER_REACTOR_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/listener_list.h"
#include "core/sync.h"
#include "naming-client/failover_data_source.h"
#include "naming-client/service_key.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {

struct FailoverReactorOptions {
  // How often the switch and the data are read again (the Java client: 5 s). Must be > 0.
  absl::Duration poll_interval = absl::Seconds(5);
};

// The switch changed (on -> off or off -> on).
struct FailoverSwitchEvent {
  bool enabled = false;
  std::string reason;  // The source's reason, e.g. "switch file ...: line 1 is '1'".
};

enum class FailoverServiceChange { kAdded, kChanged, kRemoved };

// One service's failover data appeared, changed content or disappeared.
struct FailoverServiceEvent {
  std::string key;  // ServiceKey::ToString(): "GROUP@@SERVICE[@@CLUSTERS]".
  FailoverServiceChange change = FailoverServiceChange::kAdded;
  std::shared_ptr<const v1::ServiceInfo> info;  // The new data; nullptr when kRemoved.
};

// One poll (a periodic one, or one a source's change notification asked for) has finished.
struct FailoverPollEvent {
  bool switch_on = false;
  bool switch_read = false;     // GetSwitch() succeeded.
  bool data_read = false;       // GetData() succeeded (a reload of the data).
  absl::Status error;           // The first failure of this poll; OK when both reads worked.
  size_t problem_count = 0;     // Items the source skipped (bad files), as of this poll.
  size_t changed_services = 0;  // Services added, changed or removed by this poll.
};

// Values for the failover gauges, computed from the current state.
struct FailoverGauges {
  int switch_on = 0;  // 1 when the switch is on.
  // Instances per service key while the switch is on; empty while it is off.
  std::map<std::string, size_t> instances;
};

// Thread-safe. Lookup(), switch_on() and the other accessors may be called from any thread; they
// copy a shared_ptr to the immutable current state under a mutex held only for that copy (no
// I/O or computation under it), so lookups never wait for a poll. Polls are serialised.
// Listeners run on the polling thread with no lock of the reactor held, one event at a time, in
// the order of the changes; they may call the reactor's accessors, but must not destroy it.
class FailoverReactor {
 public:
  // Loads the switch and the data once, synchronously, then polls every poll_interval.
  // InvalidArgument for a null source or a poll_interval <= 0. A source that fails on the first
  // load is not an error: the reactor starts off with no data, reports it in last_error(), and
  // tries again at every poll.
  static absl::StatusOr<std::unique_ptr<FailoverReactor>> Create(
      std::unique_ptr<FailoverDataSource> source, Clock& clock,
      FailoverReactorOptions options = FailoverReactorOptions());

  // Cancels the poll timer, waiting for a poll in progress on another thread to finish.
  ~FailoverReactor();
  FailoverReactor(const FailoverReactor&) = delete;
  FailoverReactor& operator=(const FailoverReactor&) = delete;

  // Whether the switch is on.
  bool switch_on() const;

  // The failover data to serve for `key`, or nullptr meaning "fall through to the normal
  // lookup": when the switch is off, when there is no data for the service, or when no host is
  // left after the cluster filter. The data is the entry stored under key.ToString() if any,
  // else (when key.clusters is set) the service's entry without clusters; either way only
  // hosts whose clusterName is in key.clusters are kept (all when it is empty). When hosts are
  // dropped the result is a new object; stored data is never modified.
  std::shared_ptr<const v1::ServiceInfo> Lookup(const ServiceKey& key) const;

  // Items the source skipped at the last successful data read (bad files, for disk).
  std::vector<FailoverFileProblem> problems() const;

  // OK when the last poll read both the switch and the data; otherwise the error of the part
  // that failed (the previous state of that part is kept).
  absl::Status last_error() const;
  // Failed reads (switch or data) since creation.
  uint64_t error_count() const;

  FailoverGauges Gauges() const;

  // Listeners see the changes found by polls after they were added (not the first load).
  void AddSwitchListener(std::function<void(const FailoverSwitchEvent&)> listener);
  void AddServiceListener(std::function<void(const FailoverServiceEvent&)> listener);
  // Called after every poll that runs after it was added (metrics), after that poll's switch
  // and service events.
  void AddPollListener(std::function<void(const FailoverPollEvent&)> listener);

  // Polls now on the clock's timer thread, ahead of the next periodic poll (requests that
  // arrive while one is pending are merged). Sources call it through SetChangeNotifier().
  void RequestPoll() ABSL_LOCKS_EXCLUDED(timer_mu_);

 private:
  // Immutable once published.
  struct State {
    // Unique among every State of every reactor in the process (lookup caches key on it).
    uint64_t id = 0;
    bool enabled = false;
    std::map<std::string, FailoverServiceData> services;
    // services by key, for lookups: what a lookup needs without touching the ServiceInfo.
    struct Indexed {
      std::shared_ptr<const v1::ServiceInfo> info;
      bool has_hosts = false;
    };
    absl::flat_hash_map<std::string, Indexed> index;
    std::vector<FailoverFileProblem> problems;
    absl::Status last_error;
    uint64_t error_count = 0;
  };

  FailoverReactor(std::unique_ptr<FailoverDataSource> source, Clock& clock,
                  FailoverReactorOptions options);

  std::shared_ptr<const State> CurrentState() const ABSL_LOCKS_EXCLUDED(state_mu_);
  // The current state for lookups: the calling thread keeps the last state it saw and takes the
  // mutex only when a poll has published a newer one, so lookups on several threads share no
  // written cache line. The pointer's control block is this thread's own (see the .cc). The
  // reference is valid until the thread's next call.
  const std::shared_ptr<const State>& LookupState() const ABSL_LOCKS_EXCLUDED(state_mu_);
  // Reads the source, publishes the new state, queues events (when `notify`), delivers them.
  void Poll(bool notify) ABSL_LOCKS_EXCLUDED(poll_mu_);
  // Returns how many service events it queued.
  size_t QueueServiceEvents(const State& before, const State& after)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(poll_mu_);
  // The poll timer's callback: polls, then schedules the next poll unless stopped.
  void OnTimer() ABSL_LOCKS_EXCLUDED(timer_mu_);
  // The callback of a RequestPoll() timer.
  void OnRequestedPoll() ABSL_LOCKS_EXCLUDED(timer_mu_);

  // Reset first in the destructor, so a source's own threads stop before anything else goes.
  std::unique_ptr<FailoverDataSource> source_;
  Clock& clock_;
  const FailoverReactorOptions options_;

  Mutex poll_mu_;  // Serialises polls; held during source I/O, never by readers.

  mutable Mutex state_mu_;  // Held only to copy or swap the pointer.
  std::shared_ptr<const State> state_ ABSL_GUARDED_BY(state_mu_);
  // state_->id, readable without the mutex.
  std::atomic<uint64_t> state_id_{0};

  Mutex timer_mu_;
  bool stopped_ ABSL_GUARDED_BY(timer_mu_) = false;
  TimerId timer_ ABSL_GUARDED_BY(timer_mu_) = kNoTimer;
  // A RequestPoll() timer scheduled and not started yet.
  bool requested_pending_ ABSL_GUARDED_BY(timer_mu_) = false;
  TimerId requested_timer_ ABSL_GUARDED_BY(timer_mu_) = kNoTimer;
  // Requested polls running now; the destructor waits for them (their timer ids may already
  // have been replaced by newer requests).
  int requested_running_ ABSL_GUARDED_BY(timer_mu_) = 0;

  ListenerList<FailoverSwitchEvent> switch_listeners_;
  ListenerList<FailoverServiceEvent> service_listeners_;
  ListenerList<FailoverPollEvent> poll_listeners_;
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_FAILOVER_REACTOR_H_
