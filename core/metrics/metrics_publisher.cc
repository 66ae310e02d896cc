#include "core/metrics/metrics_publisher.h"

#include <algorithm>
#include <utility>

namespace failover {

std::unique_ptr<MetricsPublisher> MetricsPublisher::Create(MetricsRegistry& registry,
                                                           const AsyncOptions& options) {
  const PublishMode mode =
      options.enabled ? PublishMode::kBackgroundThread : PublishMode::kSynchronous;
  return std::make_unique<MetricsPublisher>(
      registry, mode, static_cast<size_t>(std::max(options.queue_capacity, 1)));
}

MetricsPublisher::MetricsPublisher(MetricsRegistry& registry, PublishMode mode,
                                   size_t queue_capacity)
    : registry_(registry),
      mode_(mode),
      dropped_(registry.GetCounter(kDroppedMetric)),
      queue_(mode == PublishMode::kSynchronous
                 ? nullptr
                 : std::make_unique<metrics_internal::BoundedQueue<Update>>(
                       std::max<size_t>(queue_capacity, 1))) {
  if (mode_ == PublishMode::kBackgroundThread) {
    {
      MutexLock lock(&mu_);
      worker_running_ = true;
    }
    worker_ = std::thread([this] { WorkerLoop(); });
  }
}

MetricsPublisher::~MetricsPublisher() { Shutdown(); }

MetricsPublisher::Update MetricsPublisher::MakeUpdate(Update::Op op, absl::string_view name,
                                                      Tags tags) {
  MetricsPublisher::Update update;
  update.op = op;
  update.name = std::string(name);
  update.tags = std::move(tags);
  return update;
}

bool MetricsPublisher::IncrementCounter(absl::string_view name, Tags tags, uint64_t n) {
  Update update = MakeUpdate(Update::Op::kIncrementCounter, name, std::move(tags));
  update.count = n;
  return Submit(update);
}

bool MetricsPublisher::SetGauge(absl::string_view name, Tags tags, double value) {
  Update update = MakeUpdate(Update::Op::kSetGauge, name, std::move(tags));
  update.gauge_value = value;
  return Submit(update);
}

bool MetricsPublisher::RecordTimer(absl::string_view name, Tags tags, absl::Duration duration) {
  Update update = MakeUpdate(Update::Op::kRecordTimer, name, std::move(tags));
  update.duration = duration;
  return Submit(update);
}

bool MetricsPublisher::Submit(Update& update) {
  if (!accepting_.load(std::memory_order_acquire)) {
    dropped_.Increment();
    return false;
  }
  if (mode_ == PublishMode::kSynchronous) {
    Apply(update);
    return true;
  }
  if (!queue_->TryPush(update)) {
    dropped_.Increment();
    return false;
  }
  if (mode_ == PublishMode::kBackgroundThread) WakeWorkerIfIdle();
  return true;
}

void MetricsPublisher::Apply(const Update& update) {
  switch (update.op) {
    case Update::Op::kIncrementCounter:
      registry_.GetCounter(update.name, update.tags).Increment(update.count);
      break;
    case Update::Op::kSetGauge:
      registry_.GetGauge(update.name, update.tags).Set(update.gauge_value);
      break;
    case Update::Op::kRecordTimer:
      registry_.GetTimer(update.name, update.tags).Record(update.duration);
      break;
  }
}

size_t MetricsPublisher::Drain() {
  // One drainer at a time, so `applied_` counts a prefix of the tickets: when it reaches n,
  // every update with a ticket below n has been applied, not merely popped.
  MutexLock drain(&drain_mu_);
  size_t applied = 0;
  uint64_t unpublished = 0;
  Update update;
  while (queue_->TryPop(update)) {
    Apply(update);
    ++applied;
    // Progress is published as it goes, so a Flush() under sustained load sees its updates.
    if (++unpublished == kPublishEvery) {
      PublishApplied(unpublished);
      unpublished = 0;
    }
  }
  if (unpublished > 0) PublishApplied(unpublished);
  return applied;
}

void MetricsPublisher::PublishApplied(uint64_t n) {
  MutexLock lock(&mu_);
  applied_ += n;
}

bool MetricsPublisher::HasPendingTickets() const {
  return queue_->PushedCount() != queue_->PoppedCount();
}

void MetricsPublisher::WakeWorkerIfIdle() {
  // Only the producer that clears the flag pays for the lock.
  if (!worker_idle_.load(std::memory_order_seq_cst)) return;
  if (!worker_idle_.exchange(false, std::memory_order_seq_cst)) return;
  MutexLock lock(&mu_);
  wake_ = true;
}

// Wake-up protocol, a Dekker handshake on two seq_cst operations per side: a producer takes its
// ticket (a seq_cst read-modify-write of the queue's push counter), then reads worker_idle_; the
// worker sets worker_idle_, then reads the push counter. In the single order of seq_cst
// operations one of them comes first, so either the worker sees the ticket and stays awake, or
// the producer sees the flag and wakes it. The worker holds mu_ from setting the flag until it
// waits (Await releases mu_ atomically), so the wake-up cannot slip in before the wait.
bool MetricsPublisher::IdleUntilWork() {
  MutexLock lock(&mu_);
  worker_idle_.store(true, std::memory_order_seq_cst);
  if (HasPendingTickets()) {
    worker_idle_.store(false, std::memory_order_relaxed);
    return true;
  }
  if (stopping_) return false;
  mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return wake_ || stopping_; });
  wake_ = false;
  worker_idle_.store(false, std::memory_order_relaxed);
  return true;
}

void MetricsPublisher::WorkerLoop() {
  for (;;) {
    if (Drain() == 0 && HasPendingTickets()) {
      // A producer has taken a ticket but not finished writing its item; it will in a moment.
      std::this_thread::yield();
      continue;
    }
    if (!IdleUntilWork()) break;
  }
  MutexLock lock(&mu_);
  worker_running_ = false;
}

size_t MetricsPublisher::ApplyPending() {
  if (mode_ != PublishMode::kCallerDriven) return 0;
  return Drain();
}

bool MetricsPublisher::Flush(absl::Duration timeout) {
  if (mode_ == PublishMode::kSynchronous) return true;
  const uint64_t target = queue_->PushedCount();
  // A real-time bound: this waits for real threads, whatever clock the caller uses.
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    {
      MutexLock lock(&mu_);
      if (applied_ >= target) return true;
      if (worker_running_) {
        mu_.AwaitWithTimeout([this, target]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(
                                 mu_) { return applied_ >= target || !worker_running_; },
                             deadline - absl::Now());
        if (applied_ >= target) return true;
        if (worker_running_) return false;  // Timed out.
        continue;                           // The worker stopped: drain here.
      }
    }
    // Caller-driven, or the worker has stopped. Drain() waits for any other drainer first.
    Drain();
    {
      MutexLock lock(&mu_);
      if (applied_ >= target) return true;
    }
    // A producer holds a ticket below the target but has not finished writing its update.
    if (absl::Now() >= deadline) return false;
    std::this_thread::yield();
  }
}

void MetricsPublisher::Shutdown() {
  std::call_once(shutdown_once_, [this] {
    accepting_.store(false, std::memory_order_release);
    if (mode_ == PublishMode::kSynchronous) return;
    if (worker_.joinable()) {
      {
        MutexLock lock(&mu_);
        stopping_ = true;
      }
      worker_.join();
    }
    // Caller-driven updates nobody applied, and any that raced the worker's last look.
    Drain();
  });
}

}  // namespace failover
