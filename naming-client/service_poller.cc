#include "naming-client/service_poller.h"

#include <algorithm>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"

namespace failover {
namespace naming {
namespace {

absl::Status ValidateOptions(const ServicePollerOptions& o) {
  const auto bad = [](absl::string_view field, absl::string_view value, absl::string_view want) {
    return absl::InvalidArgumentError(
        absl::StrCat("service poller: ", field, " ", value, " must be ", want));
  };
  if (o.first_poll_delay < absl::ZeroDuration()) {
    return bad("first_poll_delay", absl::FormatDuration(o.first_poll_delay), ">= 0");
  }
  if (o.period_multiplier < 1) {
    return bad("period_multiplier", absl::StrCat(o.period_multiplier), ">= 1");
  }
  if (o.min_period <= absl::ZeroDuration()) {
    return bad("min_period", absl::FormatDuration(o.min_period), "> 0");
  }
  if (o.max_period < o.min_period || o.max_period == absl::InfiniteDuration()) {
    return bad("max_period", absl::FormatDuration(o.max_period), "finite and >= min_period");
  }
  if (o.default_period <= absl::ZeroDuration()) {
    return bad("default_period", absl::FormatDuration(o.default_period), "> 0");
  }
  if (o.max_backoff_shift < 0 || o.max_backoff_shift > 30) {
    return bad("max_backoff_shift", absl::StrCat(o.max_backoff_shift), "in 0..30");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServicePoller>> ServicePoller::Create(NamingUpstream& upstream,
                                                                     Clock& clock, Sink sink,
                                                                     ErrorCallback on_error,
                                                                     ServicePollerOptions options) {
  if (!sink) return absl::InvalidArgumentError("service poller: no sink");
  if (absl::Status valid = ValidateOptions(options); !valid.ok()) return valid;
  return std::unique_ptr<ServicePoller>(
      new ServicePoller(upstream, clock, std::move(sink), std::move(on_error), options));
}

ServicePoller::ServicePoller(NamingUpstream& upstream, Clock& clock, Sink sink,
                             ErrorCallback on_error, ServicePollerOptions options)
    : upstream_(upstream),
      clock_(clock),
      sink_(std::move(sink)),
      on_error_(std::move(on_error)),
      options_(options) {}

ServicePoller::~ServicePoller() {
  std::vector<TimerId> timers;
  {
    MutexLock lock(&mu_);
    stopped_ = true;
    for (const auto& [key, sub] : subscriptions_) {
      if (sub.timer != kNoTimer) timers.push_back(sub.timer);
    }
  }
  // A callback that has started but not yet taken mu_ is waited for here; it then sees stopped_.
  for (const TimerId timer : timers) clock_.Cancel(timer);
  MutexLock lock(&mu_);
  mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return running_polls_ == 0; });
}

bool ServicePoller::Subscribe(const ServiceKey& key) {
  MutexLock lock(&mu_);
  if (stopped_ || subscriptions_.count(key) != 0) return false;
  Subscription& sub = subscriptions_[key];
  sub.generation = next_generation_++;
  sub.state.period = std::clamp(options_.default_period, options_.min_period, options_.max_period);
  ScheduleLocked(key, sub, options_.first_poll_delay);
  return true;
}

bool ServicePoller::Unsubscribe(const ServiceKey& key) {
  TimerId timer = kNoTimer;
  {
    MutexLock lock(&mu_);
    const auto it = subscriptions_.find(key);
    if (it == subscriptions_.end()) return false;
    const uint64_t generation = it->second.generation;
    timer = it->second.timer;
    subscriptions_.erase(it);
    // A result being handed over on another thread finishes before we return; the sink calling
    // Unsubscribe() itself must not wait for itself.
    const auto delivering = delivering_.find(generation);
    if (delivering != delivering_.end() && delivering->second != std::this_thread::get_id()) {
      mu_.Await([this, generation]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return delivering_.count(generation) == 0;
      });
    }
  }
  // Outside mu_: if the callback has just started, Cancel() waits for it, and it finds no
  // subscription. A poll already querying has no timer and finds none when it finishes.
  if (timer != kNoTimer) clock_.Cancel(timer);
  return true;
}

std::vector<ServiceKey> ServicePoller::Subscriptions() const {
  MutexLock lock(&mu_);
  std::vector<ServiceKey> keys;
  keys.reserve(subscriptions_.size());
  for (const auto& [key, sub] : subscriptions_) keys.push_back(key);
  return keys;
}

std::optional<ServicePollState> ServicePoller::State(const ServiceKey& key) const {
  MutexLock lock(&mu_);
  const auto it = subscriptions_.find(key);
  if (it == subscriptions_.end()) return std::nullopt;
  return it->second.state;
}

ServicePollerStats ServicePoller::stats() const {
  MutexLock lock(&mu_);
  return stats_;
}

void ServicePoller::ScheduleLocked(const ServiceKey& key, Subscription& sub, absl::Duration delay) {
  sub.state.next_delay = delay;
  const uint64_t generation = sub.generation;
  sub.timer = clock_.ScheduleAfter(delay, [this, key, generation] { Poll(key, generation); });
}

void ServicePoller::Poll(const ServiceKey& key, uint64_t generation) {
  {
    MutexLock lock(&mu_);
    if (stopped_) return;
    const auto it = subscriptions_.find(key);
    if (it == subscriptions_.end() || it->second.generation != generation) return;
    it->second.timer = kNoTimer;
    ++it->second.state.polls;
    ++stats_.polls;
    ++running_polls_;
  }
  // The query is I/O: no lock held.
  absl::StatusOr<v1::ServiceInfo> result = upstream_.Query(key, options_.healthy_only);
  bool deliver = false;
  {
    MutexLock lock(&mu_);
    const auto it = subscriptions_.find(key);
    deliver = !stopped_ && it != subscriptions_.end() && it->second.generation == generation;
    if (deliver) delivering_[generation] = std::this_thread::get_id();
  }
  if (deliver) {
    if (result.ok()) {
      sink_(*result);
    } else if (on_error_) {
      on_error_(key, result.status());
    }
  }
  Finish(key, generation, deliver, result.ok() ? absl::OkStatus() : result.status(),
         result.ok() ? &*result : nullptr);
}

void ServicePoller::Finish(const ServiceKey& key, uint64_t generation, bool delivered,
                           const absl::Status& error, const v1::ServiceInfo* info) {
  MutexLock lock(&mu_);
  --running_polls_;
  delivering_.erase(generation);
  if (delivered) ++(info != nullptr ? stats_.results : stats_.errors);
  const auto it = subscriptions_.find(key);
  if (stopped_ || it == subscriptions_.end() || it->second.generation != generation) return;
  ServicePollState& state = it->second.state;
  state.last_error = error;
  if (info != nullptr && info->hosts_size() > 0) {
    state.consecutive_failures = 0;
    state.period = PeriodFor(*info);
  } else {
    if (info == nullptr) ++state.errors;
    state.consecutive_failures =
        std::min(state.consecutive_failures + 1, options_.max_backoff_shift);
  }
  absl::Duration delay = state.period;
  for (int i = 0; i < state.consecutive_failures && delay < options_.max_period; ++i) delay *= 2;
  ScheduleLocked(key, it->second, std::min(delay, options_.max_period));
}

absl::Duration ServicePoller::PeriodFor(const v1::ServiceInfo& info) const {
  const absl::Duration period = info.cache_millis() <= 0 ? options_.default_period
                                                         : absl::Milliseconds(info.cache_millis()) *
                                                               options_.period_multiplier;
  return std::clamp(period, options_.min_period, options_.max_period);
}

}  // namespace naming
}  // namespace failover
