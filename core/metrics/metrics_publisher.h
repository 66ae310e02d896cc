// MetricsPublisher: submits metric updates by name and tags (increment a counter, set a gauge,
// record a timer) so that the registry lookup, series creation and cardinality check happen off
// the caller's thread (failover.observable.async.*). Updates go through a bounded lock-free queue
// to one background worker; when the queue is full the update is dropped and counted in
// `failover.metrics.dropped.total` instead of blocking the caller.
//
//   failover::MetricsRegistry registry(options.cardinality);
//   std::unique_ptr<failover::MetricsPublisher> publisher =
//       failover::MetricsPublisher::Create(registry, options.async);
//   publisher->IncrementCounter("failover.call.total", {{"name", "quotes"}, {"result",
//   "success"}}); publisher->RecordTimer("failover.upstream.duration", {{"name", "quotes"}},
//   elapsed); publisher->Flush();     // tests: wait until everything submitted so far is applied
//   publisher.reset();      // drains accepted updates, stops the worker
//
// Callers that already hold a meter reference should update it directly: that is cheaper than
// any queue. The publisher is for call sites that would otherwise look a series up per call.
#ifndef FAILOVER_CORE_METRICS_METRICS_PUBLISHER_H_
#define FAILOVER_CORE_METRICS_METRICS_PUBLISHER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/metrics/internal/bounded_queue.h"
#include "core/metrics/meters.h"
#include "core/metrics/metrics_options.h"
#include "core/metrics/metrics_registry.h"
#include "core/metrics/tags.h"
#include "core/sync.h"

namespace failover {

enum class PublishMode {
  // Updates are applied on the submitting thread before Submit returns (async.enabled=false).
  kSynchronous,
  // A worker thread owned by the publisher applies queued updates (async.enabled=true).
  kBackgroundThread,
  // Updates are queued; the owner applies them by calling ApplyPending() from its own loop.
  // Deterministic, for tests and single-threaded event loops.
  kCallerDriven,
};

// Thread-safe: any number of threads may submit concurrently. Submitting never waits for the
// worker: it is a lock-free queue push, plus a brief lock only when the worker is parked and must
// be woken (a synchronous publisher does the registry work inline instead). Updates from one
// thread are applied in submission order. The queue's slots are allocated up front (about 100
// bytes each, so ~1 MB at the default capacity of 10000). Shutdown() (or destruction) must happen
// after the submitting threads have stopped: an update that races it may be lost without being
// counted.
class MetricsPublisher {
 public:
  static constexpr absl::string_view kDroppedMetric = "failover.metrics.dropped.total";

  // kBackgroundThread with options.queue_capacity if options.enabled, else kSynchronous.
  static std::unique_ptr<MetricsPublisher> Create(MetricsRegistry& registry,
                                                  const AsyncOptions& options);

  // `registry` must outlive the publisher. `queue_capacity` (0 counts as 1) is unused
  // in kSynchronous mode. kBackgroundThread starts the worker here.
  MetricsPublisher(MetricsRegistry& registry, PublishMode mode, size_t queue_capacity);
  // Shutdown().
  ~MetricsPublisher();
  MetricsPublisher(const MetricsPublisher&) = delete;
  MetricsPublisher& operator=(const MetricsPublisher&) = delete;

  // Each returns true if the update was applied or queued, false if it was dropped (queue full
  // or publisher shut down; counted in failover.metrics.dropped.total).
  bool IncrementCounter(absl::string_view name, Tags tags, uint64_t n = 1);
  bool SetGauge(absl::string_view name, Tags tags, double value);
  bool RecordTimer(absl::string_view name, Tags tags, absl::Duration duration);

  // kCallerDriven: applies every queued update on the calling thread and returns how many.
  // Other modes: returns 0 (the worker, or the submitter, applies updates).
  size_t ApplyPending();

  // Returns once every update accepted before the call has been applied (kCallerDriven: applies
  // them here), or false if `timeout` passed first (kBackgroundThread only).
  bool Flush(absl::Duration timeout = absl::InfiniteDuration());

  // Stops accepting updates, applies every accepted one, stops the worker. Idempotent.
  void Shutdown();

  PublishMode mode() const { return mode_; }
  size_t queue_capacity() const { return queue_ == nullptr ? 0 : queue_->capacity(); }

 private:
  struct Update {
    enum class Op : uint8_t { kIncrementCounter, kSetGauge, kRecordTimer };
    Op op = Op::kIncrementCounter;
    std::string name;
    Tags tags;
    uint64_t count = 0;
    double gauge_value = 0;
    absl::Duration duration;
  };
  // An update of kind `op` for the series name + tags; the caller sets the value.
  static Update MakeUpdate(Update::Op op, absl::string_view name, Tags tags);

  bool Submit(Update& update);
  void Apply(const Update& update);
  // Pops and applies until the queue is empty; returns how many.
  size_t Drain() ABSL_LOCKS_EXCLUDED(mu_, drain_mu_);
  void PublishApplied(uint64_t n) ABSL_LOCKS_EXCLUDED(mu_);
  // How many applied updates a drainer accumulates before publishing them to applied_.
  static constexpr uint64_t kPublishEvery = 64;
  // Whether some push has taken a ticket that no pop has taken yet (its item may still be
  // being written).
  bool HasPendingTickets() const;
  void WakeWorkerIfIdle() ABSL_LOCKS_EXCLUDED(mu_);
  void WorkerLoop() ABSL_LOCKS_EXCLUDED(mu_);
  // Parks the worker until there is work; false when it should exit.
  bool IdleUntilWork() ABSL_LOCKS_EXCLUDED(mu_);

  MetricsRegistry& registry_;
  const PublishMode mode_;
  Counter& dropped_;
  // Null in kSynchronous mode.
  const std::unique_ptr<metrics_internal::BoundedQueue<Update>> queue_;
  std::atomic<bool> accepting_{true};
  // Set by the worker before it parks; see IdleUntilWork() for the wake-up protocol.
  std::atomic<bool> worker_idle_{false};

  Mutex drain_mu_ ABSL_ACQUIRED_BEFORE(mu_);  // Held by the one thread draining the queue.
  Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool worker_running_ ABSL_GUARDED_BY(mu_) = false;
  // Updates applied so far. In kBackgroundThread mode only the worker pops, in ticket order, so
  // applied_ >= n means every push with a ticket below n has been applied.
  uint64_t applied_ ABSL_GUARDED_BY(mu_) = 0;

  std::once_flag shutdown_once_;
  std::thread worker_;
};

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_METRICS_PUBLISHER_H_
