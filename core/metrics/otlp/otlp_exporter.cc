#include "core/metrics/otlp/otlp_exporter.h"

#include <algorithm>
#include <deque>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "core/metrics/otlp/internal/otlp_retry_wait.h"
#include "core/sync.h"

namespace failover {
namespace otlp_internal {

// The exporter's own counters; all null without a registry.
struct ExporterMeters {
  explicit ExporterMeters(MetricsRegistry* registry) {
    if (registry == nullptr) return;
    constexpr absl::string_view kExports = "failover.otlp.exports.total";
    constexpr absl::string_view kDropped = "failover.otlp.dropped.total";
    success = &registry->GetCounter(kExports, {{"result", "success"}});
    failure = &registry->GetCounter(kExports, {{"result", "failure"}});
    dropped_queue_full = &registry->GetCounter(kDropped, {{"reason", "queue_full"}});
    dropped_retry_expired = &registry->GetCounter(kDropped, {{"reason", "retry_expired"}});
    dropped_rejected = &registry->GetCounter(kDropped, {{"reason", "rejected"}});
    dropped_superseded = &registry->GetCounter(kDropped, {{"reason", "superseded"}});
    rejected_points = &registry->GetCounter("failover.otlp.rejected.points.total");
  }
  static void Add(Counter* counter, uint64_t n = 1) {
    if (counter != nullptr) counter->Increment(n);
  }

  Counter* success = nullptr;
  Counter* failure = nullptr;
  Counter* dropped_queue_full = nullptr;
  Counter* dropped_retry_expired = nullptr;
  Counter* dropped_rejected = nullptr;
  Counter* dropped_superseded = nullptr;
  Counter* rejected_points = nullptr;
};

struct PendingExport {
  std::string body;
  int failed_attempts = 0;
  MonotonicTime first_attempt;  // set by the first attempt
};

struct ExporterState {
  ExporterState(OtlpExporterOptions options_in, std::function<std::string()> collect_in,
                std::unique_ptr<OtlpTransport> transport_in, Clock& clock_in,
                RandomSource& random_in, MetricsRegistry* registry, WarningSink warnings_in)
      : options(std::move(options_in)),
        interval(std::max(options.interval, absl::Milliseconds(1))),
        max_queue(static_cast<size_t>(std::max<int32_t>(options.max_queue, 1))),
        collect(std::move(collect_in)),
        transport(std::move(transport_in)),
        clock(clock_in),
        random(random_in),
        meters(registry),
        warnings(std::move(warnings_in)) {}

  void Run();
  void CollectLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  void SendHeadLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  void OnSuccessLocked(const OtlpSendResult& result) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  void OnFailureLocked(const OtlpSendResult& result) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  void OnInterval();
  // Queues a warning; the sender emits it without the lock (a sink may be slow, or read stats).
  void WarnLocked(std::string message) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    pending_warnings.push_back(std::move(message));
  }
  void EmitWarningsLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);

  bool SenderHasWorkLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    return quit || collect_requested || (!queue.empty() && backoff_timer == kNoTimer);
  }
  bool DrainedLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    return !collect_requested && !busy && queue.empty();
  }

  const OtlpExporterOptions options;
  const absl::Duration interval;
  const size_t max_queue;
  const std::function<std::string()> collect;
  const std::unique_ptr<OtlpTransport> transport;
  Clock& clock;
  RandomSource& random;
  const ExporterMeters meters;
  const WarningSink warnings;

  Mutex shutdown_mu;  // Serialises Shutdown() callers.
  Mutex mu;
  // Only the sender thread adds, removes or changes exports; others only read the size.
  std::deque<PendingExport> queue ABSL_GUARDED_BY(mu);
  bool collect_requested ABSL_GUARDED_BY(mu) = false;
  bool busy ABSL_GUARDED_BY(mu) = false;      // collecting or sending, without the lock
  bool started ABSL_GUARDED_BY(mu) = false;   // Start() ran
  bool stopping ABSL_GUARDED_BY(mu) = false;  // Shutdown() began: no more collections
  bool quit ABSL_GUARDED_BY(mu) = false;      // the sender thread must exit
  bool shut_down ABSL_GUARDED_BY(mu) = false;
  TimerId interval_timer ABSL_GUARDED_BY(mu) = kNoTimer;
  MonotonicTime next_collection ABSL_GUARDED_BY(mu);
  // While set, a back-off wait runs and nothing is sent.
  TimerId backoff_timer ABSL_GUARDED_BY(mu) = kNoTimer;
  uint64_t backoff_generation ABSL_GUARDED_BY(mu) = 0;  // which wait backoff_timer is
  // Outage bookkeeping for the once-per-outage warning and the recovery note.
  bool failing ABSL_GUARDED_BY(mu) = false;
  uint64_t outage_failures ABSL_GUARDED_BY(mu) = 0;
  uint64_t outage_drops ABSL_GUARDED_BY(mu) = 0;
  bool partial ABSL_GUARDED_BY(mu) = false;  // the last export was a partial success
  std::vector<std::string> pending_warnings ABSL_GUARDED_BY(mu);
  OtlpExporter::Stats stats ABSL_GUARDED_BY(mu);
  std::thread sender;
};

void ExporterState::Run() {
  MutexLock lock(&mu);
  for (;;) {
    mu.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return SenderHasWorkLocked(); });
    if (quit) return;
    if (collect_requested) {
      CollectLocked();
    } else {
      SendHeadLocked();
    }
    EmitWarningsLocked();
  }
}

void ExporterState::EmitWarningsLocked() {
  if (pending_warnings.empty()) return;
  std::vector<std::string> messages;
  messages.swap(pending_warnings);
  busy = true;
  mu.Unlock();
  if (warnings) {
    for (const std::string& message : messages) warnings(message);
  }
  mu.Lock();
  busy = false;
}

void ExporterState::CollectLocked() {
  collect_requested = false;
  busy = true;
  mu.Unlock();
  std::string body = collect();
  mu.Lock();
  busy = false;
  if (stopping && !queue.empty()) {
    // The final export: cumulative, so it carries everything the queued ones did.
    const uint64_t superseded = queue.size();
    queue.clear();
    stats.dropped_superseded += superseded;
    ExporterMeters::Add(meters.dropped_superseded, superseded);
  }
  if (queue.size() >= max_queue) {
    // Cumulative temporality: the new export carries everything the dropped one did.
    queue.pop_front();
    ++stats.dropped_queue_full;
    ++outage_drops;
    ExporterMeters::Add(meters.dropped_queue_full);
  }
  PendingExport pending;
  pending.body = std::move(body);
  queue.push_back(std::move(pending));
}

void ExporterState::SendHeadLocked() {
  PendingExport& head = queue.front();
  if (head.failed_attempts == 0) head.first_attempt = clock.Now();
  busy = true;
  mu.Unlock();
  // `head` stays put: only this thread changes the queue.
  const OtlpSendResult result = transport->Send(head.body);
  mu.Lock();
  busy = false;
  if (result.outcome == OtlpSendResult::Outcome::kSuccess) {
    OnSuccessLocked(result);
  } else {
    OnFailureLocked(result);
  }
}

void ExporterState::OnSuccessLocked(const OtlpSendResult& result) {
  queue.pop_front();
  ++stats.exported;
  ExporterMeters::Add(meters.success);
  if (failing) {
    WarnLocked(absl::StrCat("OTLP metrics export recovered after ", outage_failures,
                            " failed attempt(s); ", outage_drops, " export(s) dropped meanwhile"));
    failing = false;
  }
  const bool was_partial = partial;
  partial = result.rejected_data_points > 0 || !result.partial_error.empty();
  if (!partial) return;
  const uint64_t rejected =
      static_cast<uint64_t>(std::max<int64_t>(result.rejected_data_points, 0));
  stats.rejected_points += rejected;
  ExporterMeters::Add(meters.rejected_points, rejected);
  if (!was_partial) {
    WarnLocked(absl::StrCat("OTLP collector accepted an export partially: ", rejected,
                            " data point(s) rejected", result.partial_error.empty() ? "" : ": ",
                            result.partial_error,
                            " (not repeated while partial successes continue)"));
  }
}

void ExporterState::OnFailureLocked(const OtlpSendResult& result) {
  ++stats.failed_attempts;
  ExporterMeters::Add(meters.failure);
  const bool permanent = result.outcome == OtlpSendResult::Outcome::kPermanent;
  if (!failing) {
    failing = true;
    outage_failures = 0;
    outage_drops = 0;
    WarnLocked(absl::StrCat(
        "OTLP metrics export failing: ", result.detail,
        permanent ? " (the collector refused the export: dropped)" : " (retrying with back-off)",
        "; not repeated until an export succeeds"));
  }
  ++outage_failures;
  if (permanent) {
    queue.pop_front();
    ++stats.dropped_permanent;
    ++outage_drops;
    ExporterMeters::Add(meters.dropped_rejected);
    return;
  }
  PendingExport& head = queue.front();
  const absl::Duration wait =
      OtlpRetryWait(options.retry, head.failed_attempts, result.retry_after, random.Uniform01());
  ++head.failed_attempts;
  const MonotonicTime now = clock.Now();
  if (now + wait > head.first_attempt + options.retry.max_elapsed) {
    queue.pop_front();
    ++stats.dropped_retry_expired;
    ++outage_drops;
    ExporterMeters::Add(meters.dropped_retry_expired);
  }
  // The wait holds whatever is sent next, a retry or the next export: the collector is
  // struggling either way.
  if (wait > absl::ZeroDuration()) {
    const uint64_t generation = ++backoff_generation;
    backoff_timer = clock.ScheduleAfter(wait, [this, generation] {
      MutexLock lock(&mu);
      // A wait Shutdown() already ended must not end a later one.
      if (generation == backoff_generation) backoff_timer = kNoTimer;
    });
  }
}

void ExporterState::OnInterval() {
  MutexLock lock(&mu);
  if (stopping) return;
  collect_requested = true;
  // Drift-free: the next collection is due one interval after this one was, not after now.
  const MonotonicTime now = clock.Now();
  next_collection += interval;
  if (next_collection <= now) next_collection = now + interval;
  interval_timer = clock.ScheduleAfter(next_collection - now, [this] { OnInterval(); });
}

}  // namespace otlp_internal

OtlpExporter::OtlpExporter(OtlpExporterOptions options, std::function<std::string()> collect,
                           std::unique_ptr<OtlpTransport> transport, Clock& clock,
                           RandomSource& random, MetricsRegistry* self_metrics,
                           WarningSink warnings)
    : state_(std::make_unique<otlp_internal::ExporterState>(std::move(options), std::move(collect),
                                                            std::move(transport), clock, random,
                                                            self_metrics, std::move(warnings))) {
  state_->sender = std::thread([state = state_.get()] { state->Run(); });
}

OtlpExporter::~OtlpExporter() { Shutdown(absl::Seconds(5)); }

void OtlpExporter::Start() {
  otlp_internal::ExporterState& s = *state_;
  MutexLock lock(&s.mu);
  if (s.started || s.stopping) return;
  s.started = true;
  s.next_collection = s.clock.Now() + s.interval;
  s.interval_timer = s.clock.ScheduleAfter(s.interval, [&s] { s.OnInterval(); });
}

bool OtlpExporter::ForceFlush(absl::Duration timeout) {
  otlp_internal::ExporterState& s = *state_;
  MutexLock lock(&s.mu);
  if (s.stopping) return false;
  s.collect_requested = true;
  // A Shutdown() that gives up on the queue ends the wait too.
  s.mu.AwaitWithTimeout(
      [&s]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu) { return s.DrainedLocked() || s.quit; }, timeout);
  return s.DrainedLocked();
}

void OtlpExporter::Shutdown(absl::Duration timeout) {
  otlp_internal::ExporterState& s = *state_;
  MutexLock shutdown_lock(&s.shutdown_mu);
  TimerId interval_timer = kNoTimer;
  {
    MutexLock lock(&s.mu);
    if (s.shut_down) return;
    s.stopping = true;
    std::swap(interval_timer, s.interval_timer);
  }
  // Without the lock: Cancel() waits for a running OnInterval(), which takes it.
  s.clock.Cancel(interval_timer);
  // A running back-off wait would hold the final export until the deadline even when the
  // collector is back: end it. (Retries of the final export wait again.)
  // The final collection is requested in the same step, so the sender collects before it could
  // resend a waiting export.
  TimerId running_backoff = kNoTimer;
  {
    MutexLock lock(&s.mu);
    std::swap(running_backoff, s.backoff_timer);
    ++s.backoff_generation;
    s.collect_requested = true;
  }
  s.clock.Cancel(running_backoff);
  {
    MutexLock lock(&s.mu);
    s.mu.AwaitWithTimeout([&s]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu) { return s.DrainedLocked(); },
                          timeout);
    s.quit = true;
  }
  s.sender.join();
  TimerId backoff_timer = kNoTimer;
  size_t unsent = 0;
  {
    MutexLock lock(&s.mu);
    std::swap(backoff_timer, s.backoff_timer);
    unsent = s.queue.size();
    s.shut_down = true;
  }
  s.clock.Cancel(backoff_timer);
  // The sender has exited: emit what it queued after its last round.
  std::vector<std::string> messages;
  {
    MutexLock lock(&s.mu);
    messages.swap(s.pending_warnings);
  }
  if (s.warnings) {
    for (const std::string& message : messages) s.warnings(message);
  }
  if (unsent > 0 && s.warnings) {
    s.warnings(absl::StrCat("OTLP exporter stopped with ", unsent, " export(s) unsent (",
                            absl::FormatDuration(timeout), " shutdown limit)"));
  }
}

OtlpExporter::Stats OtlpExporter::stats() const {
  otlp_internal::ExporterState& s = *state_;
  MutexLock lock(&s.mu);
  Stats stats = s.stats;
  stats.queued = s.queue.size();
  return stats;
}

bool OtlpExporter::AwaitIdleForTest(absl::Duration timeout) {
  otlp_internal::ExporterState& s = *state_;
  MutexLock lock(&s.mu);
  return s.mu.AwaitWithTimeout(
      [&s]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu) {
        return !s.busy && (s.quit || !s.SenderHasWorkLocked());
      },
      timeout);
}

}  // namespace failover
