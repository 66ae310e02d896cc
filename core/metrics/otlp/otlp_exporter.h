// OtlpExporter: periodic OTLP metrics export with a bounded queue, retries and back-off. Every
// `interval` it asks `collect` for one serialized ExportMetricsServiceRequest (cumulative
// temporality, so the newest export carries everything an older one did), queues it and hands
// the queue's head to an OtlpTransport on its own sender thread.
//
//   failover::OtlpExporter exporter(
//       options, [&] { return EncodeOtlpMetrics(registry.Snapshot(), ...).request
//                          .SerializeAsString(); },
//       *failover::NewOtlpHttpTransport(http_options), failover::SystemClock(),
//       failover::SystemRandom(), &registry, failover::StderrWarningSink());
//   exporter.Start();
//   ...
//   exporter.Shutdown(absl::Seconds(5));  // final export, bounded
//
// Queue: at most `max_queue` exports wait; a collection that finds the queue full drops the
// OLDEST (counted as queue_full), never blocks. Collections and sends run on the sender thread,
// never on the Clock's timer thread (SystemClock shares that thread with every component);
// intervals that pass while a send blocks become one collection.
//
// Retries: a kRetryable result re-sends the same export after
//   min(max_backoff, max(Retry-After, b/2 + u * b/2)),  b = min(max_backoff, initial * 2^n),
// where n counts the export's earlier failed attempts and u comes from the RandomSource ("equal
// jitter": never less than half the back-off, so a server's Retry-After: 0 cannot make a hot
// loop). While that wait runs nothing else is sent; exports collected meanwhile queue behind.
// An export whose next retry would start later than its first attempt + max_elapsed is dropped
// (retry_expired). kPermanent drops the export at once (rejected) and the next one is sent.
// Waits run on the injected Clock, so a SimulatedClock drives them deterministically.
//
// Warnings: one when exports start failing (with the transport's detail), one note when an
// export succeeds again (with the attempts failed and the exports dropped meanwhile), one per
// run of partial successes (rejected count and the collector's message), and one at Shutdown
// if exports were left unsent.
//
// Own meters, in `self_metrics` when it is not null (created at construction, so they read 0):
//   failover.otlp.exports.total{result="success"|"failure"}    one per send attempt
//   failover.otlp.dropped.total{reason="queue_full"|"retry_expired"|"rejected"|"superseded"}
//                                                               exports dropped, per reason
//   failover.otlp.rejected.points.total                         points a collector rejected in
//                                                               a partial success
//
// Thread-safety: every public method may be called from any thread. Shutdown() (and so the
// destructor) and ForceFlush() must not run on the Clock's timer thread, inside `collect` or
// inside the WarningSink (both run on the sender thread, which those calls wait for).
#ifndef FAILOVER_CORE_METRICS_OTLP_OTLP_EXPORTER_H_
#define FAILOVER_CORE_METRICS_OTLP_OTLP_EXPORTER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "core/clock.h"
#include "core/config/failover_config.h"
#include "core/metrics/metrics_registry.h"
#include "core/metrics/otlp/otlp_transport.h"
#include "core/random.h"
#include "core/warning_sink.h"

namespace failover {

namespace otlp_internal {
struct ExporterState;
}  // namespace otlp_internal

struct OtlpExporterOptions {
  // Time between collections (positive).
  absl::Duration interval = absl::Seconds(60);
  // Exports waiting to be sent, at least 1; when full the oldest is dropped.
  int32_t max_queue = 8;
  // Back-off of retryable failures (initial-backoff, max-backoff, max-elapsed).
  OtlpRetryConfig retry;
};

class OtlpExporter {
 public:
  // `collect` builds one serialized ExportMetricsServiceRequest (called once per interval and
  // on ForceFlush/Shutdown, on the sender thread). `clock`, `random` and `self_metrics` (nullable)
  // outlive the exporter. The sender thread starts here; nothing is collected before Start(),
  // ForceFlush() or Shutdown().
  OtlpExporter(OtlpExporterOptions options, std::function<std::string()> collect,
               std::unique_ptr<OtlpTransport> transport, Clock& clock, RandomSource& random,
               MetricsRegistry* self_metrics, WarningSink warnings);
  ~OtlpExporter();  // Shutdown(absl::Seconds(5)) if not yet.
  OtlpExporter(const OtlpExporter&) = delete;
  OtlpExporter& operator=(const OtlpExporter&) = delete;

  // First collection one interval from now, then every interval. Later calls do nothing.
  void Start();

  // Collects now and waits (real time) until every queued export was sent or dropped. False on
  // timeout (e.g. the collector is down and a back-off wait is running) or after Shutdown().
  bool ForceFlush(absl::Duration timeout);

  // Stops the interval timer, ends a running back-off wait, collects a final export that
  // supersedes every queued one (they are dropped as `superseded`: cumulative data makes the
  // final export carry all they did) and sends it, retrying until it is accepted or `timeout` of
  // real time passed (a dead collector cannot hold a shutting-down process longer), then stops
  // the sender. A send in flight at the deadline is waited for, so the bound is `timeout` plus
  // the transport's own timeout (which httplib applies per connect, read and write).
  // Idempotent; concurrent callers wait for the first.
  void Shutdown(absl::Duration timeout);

  struct Stats {
    uint64_t exported = 0;               // exports the collector accepted
    uint64_t failed_attempts = 0;        // send attempts that failed (retryable or permanent)
    uint64_t dropped_queue_full = 0;     // oldest exports dropped for a newer one
    uint64_t dropped_superseded = 0;     // queued at Shutdown(), replaced by the final export
    uint64_t dropped_retry_expired = 0;  // retried for longer than max_elapsed
    uint64_t dropped_permanent = 0;      // refused by the collector (kPermanent)
    uint64_t rejected_points = 0;        // partial success: points the collector rejected
    size_t queued = 0;                   // exports waiting now
  };
  Stats stats() const;

  // Waits (real time) until the sender has nothing to do before the Clock moves: no collection
  // pending, no send running, and the queue empty or waiting out a back-off. Lets SimulatedClock
  // tests observe each step's sends before advancing. False on timeout.
  bool AwaitIdleForTest(absl::Duration timeout);

 private:
  std::unique_ptr<otlp_internal::ExporterState> state_;
};

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_OTLP_OTLP_EXPORTER_H_
