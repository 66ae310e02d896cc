#include "dashboard/publisher/peer_publisher.h"

#include <algorithm>
#include <atomic>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/metrics/snapshot_proto.h"
#include "core/sync.h"
#include "dashboard/publisher/http_snapshot_transport.h"

namespace failover {
namespace dashboard {
namespace {

constexpr char kPrefix[] = "failover.dashboard.cluster.snapshot.";

absl::Status Validate(const SnapshotConfig& config, const PeerPublisherOptions& options) {
  if (config.publish_url.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(kPrefix, "publish-url is blank: nothing to publish to"));
  }
  if (config.interval_seconds < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        kPrefix, "interval-seconds: ", config.interval_seconds, " must be at least 1"));
  }
  if (config.retry_interval_seconds < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(kPrefix, "retry-interval-seconds: ", config.retry_interval_seconds,
                     " must not be negative"));
  }
  if (config.heartbeat.enabled && config.heartbeat.interval_seconds < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(kPrefix, "heartbeat.interval-seconds: ", config.heartbeat.interval_seconds,
                     " must be at least 1"));
  }
  if (options.instance_id.empty()) {
    return absl::InvalidArgumentError("dashboard publisher: the instance id is blank");
  }
  return absl::OkStatus();
}

}  // namespace

// Everything the worker thread touches, shared so that a worker detached at the destructor's
// deadline can finish its transport call safely. After `abandoned`, the worker touches only
// `mu`, `abandoned` and the transport it is calling.
struct PeerPublisher::State {
  State(const SnapshotConfig& config, MetricsRegistry& registry, Clock& clock,
        PeerPublisherOptions options, std::unique_ptr<SnapshotTransport> transport)
      : clock(clock),
        registry(registry),
        transport(std::move(transport)),
        url(config.publish_url),
        interval(absl::Seconds(config.interval_seconds)),
        retry_interval(absl::Seconds(config.retry_interval_seconds)),
        heartbeat_enabled(config.heartbeat.enabled),
        heartbeat_interval(absl::Seconds(config.heartbeat.interval_seconds)),
        instance_id(options.instance_id),
        process_start(options.process_start == absl::InfinitePast() ? clock.WallNow()
                                                                    : options.process_start),
        warnings(std::move(options.warnings)),
        final_push_timeout(options.final_push_timeout),
        encoder(clock, instance_id, process_start) {}

  // Starts a push now or arms the timer for when throttle and back-off allow one, if there is a
  // change to push and nothing already takes care of it.
  void SchedulePushLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (stopping || in_flight || push_timer != kNoTimer) return;
    if (!dirty.load(std::memory_order_acquire)) return;
    const MonotonicTime now = clock.Now();
    const MonotonicTime at = std::max(next_allowed, suppressed_until);
    if (now >= at) {
      StartPushLocked(now);
      return;
    }
    push_timer = clock.ScheduleAfter(at - now, [this] {
      MutexLock lock(&mu);
      push_timer = kNoTimer;
      SchedulePushLocked();
    });
  }

  void StartPushLocked(MonotonicTime now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    in_flight = true;
    push_wanted = true;
    next_allowed = now + interval;
  }

  void ScheduleHeartbeatLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (stopping) return;
    heartbeat_timer = clock.ScheduleAfter(heartbeat_interval, [this] {
      MutexLock lock(&mu);
      heartbeat_timer = kNoTimer;
      if (stopping) return;
      heartbeat_wanted = true;
      ScheduleHeartbeatLocked();
    });
  }

  // One transport call with `mu` released; false when the publisher went away meanwhile.
  template <typename Call>
  bool CallTransportLocked(Call call, absl::Status* status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    in_io = true;
    mu.Unlock();
    *status = call();
    mu.Lock();
    in_io = false;
    return !abandoned;
  }

  bool RunPushLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    // Clear before reading: a change racing the read is pushed again later, never lost.
    dirty.store(false, std::memory_order_release);
    const v1::MetricsSnapshot snapshot = encoder.Encode(registry.Snapshot());
    absl::Status status;
    if (!CallTransportLocked([&] { return transport->Push(snapshot); }, &status)) return false;
    in_flight = false;
    ++stats.pushes;
    ++pushes_done;
    last_push_status = status;
    if (!status.ok()) {
      ++stats.push_failures;
      suppressed_until = clock.Now() + retry_interval;
      dirty.store(true, std::memory_order_release);  // the latest state follows the back-off
      if (!push_failing) {
        push_failing = true;
        warnings(absl::StrCat("dashboard publisher ", instance_id,
                              ": snapshot push failed: ", status.ToString(), "; next attempt in ",
                              absl::FormatDuration(retry_interval),
                              " (further failures are not reported until it recovers)"));
      }
    } else {
      suppressed_until = MonotonicTime::InfinitePast();
      if (push_failing) {
        push_failing = false;
        warnings(absl::StrCat("dashboard publisher ", instance_id,
                              ": snapshot push recovered: ", url, " accepts snapshots again"));
      }
    }
    if (flush_after_current) {
      flush_after_current = false;
      StartPushLocked(clock.Now());
    } else {
      SchedulePushLocked();
    }
    return true;
  }

  bool RunHeartbeatLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    v1::HeartbeatRequest request;
    request.set_instance_id(instance_id);
    request.set_sent_at_unix_nanos(absl::ToUnixNanos(clock.WallNow()));
    request.set_process_start_unix_nanos(absl::ToUnixNanos(process_start));
    absl::Status status;
    if (!CallTransportLocked([&] { return transport->Heartbeat(request); }, &status)) {
      return false;
    }
    ++stats.heartbeats;
    if (!status.ok()) {
      ++stats.heartbeat_failures;
      if (!heartbeat_failing) {
        heartbeat_failing = true;
        warnings(absl::StrCat("dashboard publisher ", instance_id,
                              ": heartbeat failed: ", status.ToString(),
                              " (further failures are not reported until it recovers)"));
      }
    } else if (heartbeat_failing) {
      heartbeat_failing = false;
      warnings(absl::StrCat("dashboard publisher ", instance_id, ": heartbeat recovered: ", url,
                            " accepts heartbeats again"));
    }
    return true;
  }

  static void WorkerLoop(std::shared_ptr<State> self) {
    State& s = *self;
    MutexLock lock(&s.mu);
    for (;;) {
      s.mu.Await([&s]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu) {
        return s.push_wanted || s.heartbeat_wanted || s.worker_exit;
      });
      if (s.push_wanted) {
        s.push_wanted = false;
        if (!s.RunPushLocked()) return;
      } else if (s.heartbeat_wanted) {
        s.heartbeat_wanted = false;
        if (!s.RunHeartbeatLocked()) return;
      } else {
        return;  // worker_exit, nothing left to do
      }
    }
  }

  // Asks for a push now; returns the pushes_done value that means "it has been answered".
  uint64_t ForcePushLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (in_flight) {
      flush_after_current = true;
      return pushes_done + 2;
    }
    StartPushLocked(clock.Now());
    return pushes_done + 1;
  }

  Clock& clock;
  MetricsRegistry& registry;  // Not touched once `abandoned`.
  const std::unique_ptr<SnapshotTransport> transport;
  const std::string url;
  const absl::Duration interval;
  const absl::Duration retry_interval;
  const bool heartbeat_enabled;
  const absl::Duration heartbeat_interval;
  const std::string instance_id;
  const absl::Time process_start;
  const WarningSink warnings;
  const absl::Duration final_push_timeout;
  SnapshotProtoEncoder encoder;

  // A change not yet taken into a snapshot.
  std::atomic<bool> dirty{false};

  mutable Mutex mu;
  bool push_wanted ABSL_GUARDED_BY(mu) = false;       // the worker should push
  bool heartbeat_wanted ABSL_GUARDED_BY(mu) = false;  // the worker should send a heartbeat
  bool in_flight ABSL_GUARDED_BY(mu) = false;         // a push is wanted or running
  bool flush_after_current ABSL_GUARDED_BY(mu) = false;
  bool in_io ABSL_GUARDED_BY(mu) = false;     // the worker is in a transport call
  bool stopping ABSL_GUARDED_BY(mu) = false;  // no new timers
  bool worker_exit ABSL_GUARDED_BY(mu) = false;
  bool abandoned ABSL_GUARDED_BY(mu) = false;  // the publisher is gone
  TimerId push_timer ABSL_GUARDED_BY(mu) = kNoTimer;
  TimerId heartbeat_timer ABSL_GUARDED_BY(mu) = kNoTimer;
  MonotonicTime next_allowed ABSL_GUARDED_BY(mu) = MonotonicTime::InfinitePast();
  MonotonicTime suppressed_until ABSL_GUARDED_BY(mu) = MonotonicTime::InfinitePast();
  bool push_failing ABSL_GUARDED_BY(mu) = false;
  bool heartbeat_failing ABSL_GUARDED_BY(mu) = false;
  uint64_t pushes_done ABSL_GUARDED_BY(mu) = 0;
  absl::Status last_push_status ABSL_GUARDED_BY(mu);
  PeerPublisherStats stats ABSL_GUARDED_BY(mu);
};

absl::StatusOr<std::unique_ptr<PeerPublisher>> PeerPublisher::Create(const SnapshotConfig& config,
                                                                     MetricsRegistry& registry,
                                                                     Clock& clock,
                                                                     PeerPublisherOptions options,
                                                                     TokenProvider token_provider) {
  if (absl::StartsWith(config.publish_url, "grpc://")) {
    return absl::InvalidArgumentError(absl::StrCat(
        kPrefix, "publish-url: '", config.publish_url,
        "' is a gRPC address: build the transport with NewGrpcSnapshotTransport() "
        "(//dashboard/publisher:grpc_snapshot_transport) and use CreateWithTransport()"));
  }
  if (absl::Status s = Validate(config, options); !s.ok()) return s;
  absl::StatusOr<PublisherAuth> auth = ResolvePublisherAuth(config, std::move(token_provider));
  if (!auth.ok()) return auth.status();
  HttpSnapshotTransportOptions http;
  http.publish_url = config.publish_url;
  http.auth = *std::move(auth);
  absl::StatusOr<std::unique_ptr<SnapshotTransport>> transport =
      NewHttpSnapshotTransport(std::move(http));
  if (!transport.ok()) return transport.status();
  return CreateWithTransport(config, registry, clock, std::move(options), *std::move(transport));
}

absl::StatusOr<std::unique_ptr<PeerPublisher>> PeerPublisher::CreateWithTransport(
    const SnapshotConfig& config, MetricsRegistry& registry, Clock& clock,
    PeerPublisherOptions options, std::unique_ptr<SnapshotTransport> transport) {
  if (absl::Status s = Validate(config, options); !s.ok()) return s;
  if (transport == nullptr) {
    return absl::InvalidArgumentError("dashboard publisher: no transport");
  }
  if (config.username.empty() && config.oauth2_client_registration_id.empty() &&
      !config.allow_insecure_ingest) {
    options.warnings(absl::StrCat(
        "dashboard publisher ", options.instance_id, ": pushing to ", config.publish_url,
        " without credentials; set ", kPrefix, "username/password or ", kPrefix,
        "oauth2-client-registration-id (or ", kPrefix,
        "allow-insecure-ingest: true if failoverd accepts open ingest on purpose)"));
  }
  auto state =
      std::make_shared<State>(config, registry, clock, std::move(options), std::move(transport));
  return std::unique_ptr<PeerPublisher>(new PeerPublisher(std::move(state)));
}

PeerPublisher::PeerPublisher(std::shared_ptr<State> state) : state_(std::move(state)) {
  worker_ = std::thread(&State::WorkerLoop, state_);
  State& s = *state_;
  MutexLock lock(&s.mu);
  s.dirty.store(true, std::memory_order_release);  // the state at start goes out at once
  s.SchedulePushLocked();
  if (s.heartbeat_enabled) {
    s.heartbeat_wanted = true;
    s.ScheduleHeartbeatLocked();
  }
}

PeerPublisher::~PeerPublisher() {
  State& s = *state_;
  TimerId push_timer, heartbeat_timer;
  {
    MutexLock lock(&s.mu);
    s.stopping = true;
    push_timer = s.push_timer;
    heartbeat_timer = s.heartbeat_timer;
  }
  // Outside the lock: Cancel() waits for a running callback, which takes the lock.
  if (push_timer != kNoTimer) s.clock.Cancel(push_timer);
  if (heartbeat_timer != kNoTimer) s.clock.Cancel(heartbeat_timer);

  bool detach = false;
  {
    MutexLock lock(&s.mu);
    const uint64_t target = s.ForcePushLocked();
    const bool answered = s.mu.AwaitWithTimeout(
        [&s, target]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu) { return s.pushes_done >= target; },
        s.final_push_timeout);
    if (!answered) {
      // Taking the snapshot is quick; only a transport call may be left behind.
      s.mu.Await([&s, target]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu) {
        return s.pushes_done >= target || s.in_io;
      });
      if (s.pushes_done < target) {
        s.abandoned = true;
        detach = true;
        s.warnings(absl::StrCat(
            "dashboard publisher ", s.instance_id, ": the final snapshot was not answered within ",
            absl::FormatDuration(s.final_push_timeout), "; shutting down without waiting for it"));
      }
    }
    s.push_wanted = false;
    s.heartbeat_wanted = false;
    s.worker_exit = true;
  }
  if (detach) {
    worker_.detach();
  } else {
    worker_.join();
  }
}

void PeerPublisher::NotifyChanged() {
  State& s = *state_;
  if (s.dirty.exchange(true, std::memory_order_acq_rel)) return;  // already asked for
  MutexLock lock(&s.mu);
  s.SchedulePushLocked();
}

absl::Status PeerPublisher::Flush() {
  State& s = *state_;
  MutexLock lock(&s.mu);
  const uint64_t target = s.ForcePushLocked();
  s.mu.Await([&s, target]()
                 ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu) { return s.pushes_done >= target; });
  return s.last_push_status;
}

PeerPublisherStats PeerPublisher::stats() const {
  MutexLock lock(&state_->mu);
  return state_->stats;
}

void PeerPublisher::AwaitIdleForTest() {
  State& s = *state_;
  MutexLock lock(&s.mu);
  s.mu.Await([&s]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu) {
    return !s.in_flight && !s.heartbeat_wanted && !s.in_io;
  });
}

}  // namespace dashboard
}  // namespace failover
