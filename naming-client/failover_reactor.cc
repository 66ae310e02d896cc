#include "naming-client/failover_reactor.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace failover {
namespace naming {
namespace {

// Ids of published states, unique in the process (see State::id).
std::atomic<uint64_t> next_state_id{1};

}  // namespace

absl::StatusOr<std::unique_ptr<FailoverReactor>> FailoverReactor::Create(
    std::unique_ptr<FailoverDataSource> source, Clock& clock, FailoverReactorOptions options) {
  if (source == nullptr) {
    return absl::InvalidArgumentError("failover reactor: no failover data source");
  }
  if (options.poll_interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat("failover reactor: poll_interval ",
                                                   absl::FormatDuration(options.poll_interval),
                                                   " must be greater than 0"));
  }
  std::unique_ptr<FailoverReactor> reactor(new FailoverReactor(std::move(source), clock, options));
  reactor->Poll(/*notify=*/false);
  FailoverReactor* self = reactor.get();
  {
    MutexLock lock(&reactor->timer_mu_);
    reactor->timer_ = clock.ScheduleAfter(options.poll_interval, [self] { self->OnTimer(); });
  }
  reactor->source_->SetChangeNotifier([self] { self->RequestPoll(); });
  return reactor;
}

FailoverReactor::FailoverReactor(std::unique_ptr<FailoverDataSource> source, Clock& clock,
                                 FailoverReactorOptions options)
    : source_(std::move(source)),
      clock_(clock),
      options_(options),
      state_(std::make_shared<const State>()) {}

FailoverReactor::~FailoverReactor() {
  TimerId timer;
  TimerId requested;
  {
    MutexLock lock(&timer_mu_);
    stopped_ = true;
    timer = timer_;
    requested = requested_timer_;
  }
  // If that timer's callback is running, Cancel() waits for it; it sees stopped_ and schedules
  // nothing. If it already scheduled the next one, timer_ is that one.
  clock_.Cancel(timer);
  clock_.Cancel(requested);
  {
    MutexLock lock(&timer_mu_);
    timer_mu_.Await(
        [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(timer_mu_) { return requested_running_ == 0; });
  }
  // The source's own threads may still call RequestPoll() until it is gone; it sees stopped_.
  source_.reset();
}

void FailoverReactor::OnTimer() {
  Poll(/*notify=*/true);
  MutexLock lock(&timer_mu_);
  if (stopped_) return;
  timer_ = clock_.ScheduleAfter(options_.poll_interval, [this] { OnTimer(); });
}

void FailoverReactor::RequestPoll() {
  MutexLock lock(&timer_mu_);
  if (stopped_ || requested_pending_) return;
  requested_pending_ = true;
  requested_timer_ = clock_.ScheduleAfter(absl::ZeroDuration(), [this] { OnRequestedPoll(); });
}

void FailoverReactor::OnRequestedPoll() {
  {
    MutexLock lock(&timer_mu_);
    requested_pending_ = false;
    if (stopped_) return;
    ++requested_running_;
  }
  Poll(/*notify=*/true);
  MutexLock lock(&timer_mu_);
  --requested_running_;
}

std::shared_ptr<const FailoverReactor::State> FailoverReactor::CurrentState() const {
  MutexLock lock(&state_mu_);
  return state_;
}

void FailoverReactor::Poll(bool notify) {
  {
    MutexLock lock(&poll_mu_);
    const std::shared_ptr<const State> before = CurrentState();
    auto after = std::make_shared<State>();
    after->error_count = before->error_count;

    FailoverPollEvent poll_event;
    absl::StatusOr<FailoverSwitch> on = source_->GetSwitch();
    if (on.ok()) {
      after->enabled = on->enabled;
    } else {
      after->enabled = before->enabled;  // Unknown this time: keep it, as Java does.
      after->last_error = on.status();
      ++after->error_count;
    }
    absl::StatusOr<FailoverData> data = source_->GetData();
    if (data.ok()) {
      after->services = std::move(data->services);
      after->problems = std::move(data->problems);
    } else {
      after->services = before->services;
      after->problems = before->problems;
      if (after->last_error.ok()) after->last_error = data.status();
      ++after->error_count;
    }

    after->id = next_state_id.fetch_add(1, std::memory_order_relaxed);
    after->index.reserve(after->services.size());
    for (const auto& [key, service] : after->services) {
      after->index.emplace(key, State::Indexed{service.info, service.info != nullptr &&
                                                                 service.info->hosts_size() > 0});
    }
    {
      MutexLock state_lock(&state_mu_);
      state_ = after;
      state_id_.store(after->id, std::memory_order_release);
    }
    if (notify) {
      if (after->enabled != before->enabled) {
        switch_listeners_.Enqueue(
            FailoverSwitchEvent{after->enabled, on.ok() ? on->reason : std::string()});
      }
      poll_event.switch_on = after->enabled;
      poll_event.switch_read = on.ok();
      poll_event.data_read = data.ok();
      poll_event.error = after->last_error;
      poll_event.problem_count = after->problems.size();
      poll_event.changed_services = QueueServiceEvents(*before, *after);
      poll_listeners_.Enqueue(std::move(poll_event));
    }
  }
  switch_listeners_.Deliver();
  service_listeners_.Deliver();
  poll_listeners_.Deliver();
}

size_t FailoverReactor::QueueServiceEvents(const State& before, const State& after) {
  size_t queued = 0;
  // Both maps are sorted by key: one merge pass finds removed, added and changed entries.
  auto old_it = before.services.begin();
  auto new_it = after.services.begin();
  while (old_it != before.services.end() || new_it != after.services.end()) {
    if (new_it == after.services.end() ||
        (old_it != before.services.end() && old_it->first < new_it->first)) {
      service_listeners_.Enqueue({old_it->first, FailoverServiceChange::kRemoved, nullptr});
      ++queued;
      ++old_it;
    } else if (old_it == before.services.end() || new_it->first < old_it->first) {
      service_listeners_.Enqueue(
          {new_it->first, FailoverServiceChange::kAdded, new_it->second.info});
      ++queued;
      ++new_it;
    } else {
      if (old_it->second.content_hash != new_it->second.content_hash) {
        service_listeners_.Enqueue(
            {new_it->first, FailoverServiceChange::kChanged, new_it->second.info});
        ++queued;
      }
      ++old_it;
      ++new_it;
    }
  }
  return queued;
}

bool FailoverReactor::switch_on() const { return CurrentState()->enabled; }

const std::shared_ptr<const FailoverReactor::State>& FailoverReactor::LookupState() const {
  struct Cache {
    uint64_t id = 0;
    // The state, under a control block of this thread's own: it owns a copy of the shared
    // pointer to the state, so what lookups hand out (aliases of it) keeps the state and its
    // data alive, and copying it writes only to this thread's control block. Two threads looking
    // up the same service therefore never write the same cache line (the service's own
    // reference count is not touched).
    std::shared_ptr<const State> pinned;
  };
  // One entry per thread: ids are unique across reactors, so a thread alternating between two
  // reactors only takes the mutex more often. The entry keeps the last state it saw alive until
  // the thread's next lookup or its exit.
  thread_local Cache cache;
  if (cache.id != state_id_.load(std::memory_order_acquire) || cache.pinned == nullptr) {
    std::shared_ptr<const State> current = CurrentState();
    const State* raw = current.get();
    cache.id = raw->id;
    cache.pinned = std::shared_ptr<const State>(
        std::make_shared<std::shared_ptr<const State>>(std::move(current)), raw);
  }
  return cache.pinned;
}

std::shared_ptr<const v1::ServiceInfo> FailoverReactor::Lookup(const ServiceKey& key) const {
  const std::shared_ptr<const State>& pinned = LookupState();
  const State& state = *pinned;
  if (!state.enabled) return nullptr;
  // The key is built in a per-thread buffer: no allocation once it has grown.
  thread_local std::string name;
  name.clear();
  absl::StrAppend(&name, key.group, kKeySeparator, key.service);
  const size_t grouped_length = name.size();
  if (!key.clusters.empty()) absl::StrAppend(&name, kKeySeparator, key.clusters);
  auto it = state.index.find(name);
  if (it == state.index.end() && !key.clusters.empty()) {
    name.resize(grouped_length);
    it = state.index.find(name);
  }
  if (it == state.index.end() || !it->second.has_hosts) return nullptr;
  const std::shared_ptr<const v1::ServiceInfo>& stored = it->second.info;
  // No filter: the stored object, without walking its hosts, owned through this thread's pin of
  // the state (which holds `stored`).
  if (key.clusters.empty()) return std::shared_ptr<const v1::ServiceInfo>(pinned, stored.get());

  const std::vector<std::string> clusters = SplitClusters(key.clusters);
  const auto wanted = [&clusters](const v1::Instance& host) {
    return clusters.empty() ||
           std::find(clusters.begin(), clusters.end(), host.cluster_name()) != clusters.end();
  };
  const auto kept = std::count_if(stored->hosts().begin(), stored->hosts().end(), wanted);
  if (kept == 0) return nullptr;
  if (kept == stored->hosts_size()) return stored;

  // Never filter the stored object in place (Java's defect): a copy with the kept hosts.
  auto filtered = std::make_shared<v1::ServiceInfo>(*stored);
  filtered->clear_hosts();
  for (const v1::Instance& host : stored->hosts()) {
    if (wanted(host)) *filtered->add_hosts() = host;
  }
  filtered->set_clusters(key.clusters);
  return filtered;
}

std::vector<FailoverFileProblem> FailoverReactor::problems() const {
  return CurrentState()->problems;
}

absl::Status FailoverReactor::last_error() const { return CurrentState()->last_error; }

uint64_t FailoverReactor::error_count() const { return CurrentState()->error_count; }

FailoverGauges FailoverReactor::Gauges() const {
  const std::shared_ptr<const State> state = CurrentState();
  FailoverGauges gauges;
  gauges.switch_on = state->enabled ? 1 : 0;
  if (!state->enabled) return gauges;
  for (const auto& [key, service] : state->services) {
    gauges.instances[key] = service.info == nullptr ? 0 : service.info->hosts_size();
  }
  return gauges;
}

void FailoverReactor::AddSwitchListener(std::function<void(const FailoverSwitchEvent&)> listener) {
  switch_listeners_.Add(std::move(listener));
}

void FailoverReactor::AddServiceListener(
    std::function<void(const FailoverServiceEvent&)> listener) {
  service_listeners_.Add(std::move(listener));
}

void FailoverReactor::AddPollListener(std::function<void(const FailoverPollEvent&)> listener) {
  poll_listeners_.Add(std::move(listener));
}

}  // namespace naming
}  // namespace failover
