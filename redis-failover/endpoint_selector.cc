#include "redis-failover/endpoint_selector.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace failover {
namespace redis {

absl::string_view SwitchReasonName(SwitchReason reason) {
  switch (reason) {
    case SwitchReason::kHealthCheck:
      return "HEALTH_CHECK";
    case SwitchReason::kCircuitBreaker:
      return "CIRCUIT_BREAKER";
    case SwitchReason::kFailback:
      return "FAILBACK";
    case SwitchReason::kForced:
      return "FORCED";
  }
  return "UNKNOWN";
}

std::string SwitchEvent::ToString() const {
  return absl::StrCat(from.empty() ? "(none)" : from, " -> ", to.empty() ? "(none)" : to, " (",
                      SwitchReasonName(reason), ")");
}

namespace {

bool BreakerAllows(CircuitBreakerState s) {
  return s != CircuitBreakerState::kOpen && s != CircuitBreakerState::kForcedOpen;
}

absl::Status CheckWeight(absl::string_view name, double weight) {
  if (!std::isfinite(weight) || weight < 0) {
    return absl::InvalidArgumentError(absl::StrCat("redis endpoint '", name, "': weight ", weight,
                                                   " must be a finite number >= 0"));
  }
  return absl::OkStatus();
}

absl::Status Unknown(absl::string_view name) {
  return absl::NotFoundError(absl::StrCat("no redis endpoint named '", name, "'"));
}

}  // namespace

EndpointSelector::EndpointSelector(Clock& clock, EndpointSelectorOptions options)
    : clock_(clock), options_(options) {}

EndpointSelector::Endpoint* EndpointSelector::Find(absl::string_view name) {
  for (Endpoint& e : endpoints_) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

bool EndpointSelector::Usable(const Endpoint& e, MonotonicTime now, bool ignore_grace) const {
  return e.healthy && BreakerAllows(e.breaker) && !e.disabled &&
         (ignore_grace || now >= e.grace_until);
}

std::string EndpointSelector::WhyUnusable(const Endpoint& e, MonotonicTime now) const {
  std::vector<std::string> why;
  if (!e.healthy) why.push_back("unhealthy");
  if (!BreakerAllows(e.breaker)) why.push_back(absl::StrCat("breaker ", StateName(e.breaker)));
  if (e.disabled) why.push_back("disabled");
  if (now < e.grace_until) {
    why.push_back(absl::StrCat("in grace period for ", absl::FormatDuration(e.grace_until - now)));
  }
  return absl::StrJoin(why, ", ");
}

void EndpointSelector::StartGrace(Endpoint& e) {
  e.grace_until = clock_.Now() + options_.grace_period;
}

const EndpointSelector::Endpoint* EndpointSelector::Best(MonotonicTime now,
                                                         bool ignore_grace) const {
  const Endpoint* best = nullptr;
  for (const Endpoint& e : endpoints_) {  // Strictly greater: the first added wins ties.
    if (Usable(e, now, ignore_grace) && (best == nullptr || e.weight > best->weight)) best = &e;
  }
  return best;
}

void EndpointSelector::SwitchTo(const std::string& to, SwitchReason reason) {
  if (to == active_) return;
  listeners_.Enqueue(SwitchEvent{active_, to, reason, clock_.Now()});
  active_ = to;
}

void EndpointSelector::ReselectIfUnusable(SwitchReason reason) {
  const MonotonicTime now = clock_.Now();
  const Endpoint* current = active_.empty() ? nullptr : Find(active_);
  if (current != nullptr && Usable(*current, now)) return;
  const Endpoint* best = Best(now, /*ignore_grace=*/false);
  // Nothing else usable: an endpoint in its grace period is better than none, and so is keeping
  // an active endpoint that is only in its grace period.
  if (best == nullptr && current != nullptr && Usable(*current, now, true)) return;
  if (best == nullptr) best = Best(now, /*ignore_grace=*/true);
  SwitchTo(best == nullptr ? std::string() : best->name, reason);
}

absl::Status EndpointSelector::AddEndpoint(absl::string_view name, double weight) {
  if (name.empty()) return absl::InvalidArgumentError("redis endpoint name must not be empty");
  if (absl::Status s = CheckWeight(name, weight); !s.ok()) return s;
  {
    MutexLock lock(&mu_);
    if (Find(name) != nullptr) {
      return absl::AlreadyExistsError(absl::StrCat("redis endpoint '", name, "' already exists"));
    }
    const bool first = endpoints_.empty();
    endpoints_.push_back(Endpoint{std::string(name), weight});
    if (first) {
      active_ = std::string(name);  // The initial choice is not a switch.
    } else {
      ReselectIfUnusable(SwitchReason::kForced);  // Recovers from "all down".
    }
  }
  listeners_.Deliver();
  return absl::OkStatus();
}

absl::Status EndpointSelector::RemoveEndpoint(absl::string_view name) {
  {
    MutexLock lock(&mu_);
    Endpoint* e = Find(name);
    if (e == nullptr) return Unknown(name);
    if (endpoints_.size() == 1) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot remove '", name, "': it is the last redis endpoint"));
    }
    endpoints_.erase(endpoints_.begin() + (e - endpoints_.data()));
    if (active_ == name) {
      active_.clear();
      const Endpoint* best = Best(clock_.Now(), false);
      if (best == nullptr) best = Best(clock_.Now(), true);
      listeners_.Enqueue(SwitchEvent{std::string(name), best == nullptr ? "" : best->name,
                                     SwitchReason::kForced, clock_.Now()});
      if (best != nullptr) active_ = best->name;
    }
  }
  listeners_.Deliver();
  return absl::OkStatus();
}

absl::Status EndpointSelector::SetWeight(absl::string_view name, double weight) {
  if (absl::Status s = CheckWeight(name, weight); !s.ok()) return s;
  MutexLock lock(&mu_);
  Endpoint* e = Find(name);
  if (e == nullptr) return Unknown(name);
  e->weight = weight;
  return absl::OkStatus();
}

absl::Status EndpointSelector::SetDisabled(absl::string_view name, bool disabled) {
  {
    MutexLock lock(&mu_);
    Endpoint* e = Find(name);
    if (e == nullptr) return Unknown(name);
    e->disabled = disabled;
    ReselectIfUnusable(SwitchReason::kForced);
  }
  listeners_.Deliver();
  return absl::OkStatus();
}

void EndpointSelector::OnHealthChanged(absl::string_view name, bool healthy) {
  {
    MutexLock lock(&mu_);
    Endpoint* e = Find(name);
    if (e == nullptr) return;
    if (e->healthy && !healthy) StartGrace(*e);
    e->healthy = healthy;
    ReselectIfUnusable(SwitchReason::kHealthCheck);
  }
  listeners_.Deliver();
}

void EndpointSelector::OnBreakerStateChanged(absl::string_view name, CircuitBreakerState state) {
  {
    MutexLock lock(&mu_);
    Endpoint* e = Find(name);
    if (e == nullptr) return;
    if (BreakerAllows(e->breaker) && !BreakerAllows(state)) StartGrace(*e);
    e->breaker = state;
    ReselectIfUnusable(SwitchReason::kCircuitBreaker);
  }
  listeners_.Deliver();
}

void EndpointSelector::CheckFailback() {
  {
    MutexLock lock(&mu_);
    ReselectIfUnusable(SwitchReason::kHealthCheck);
    const MonotonicTime now = clock_.Now();
    const Endpoint* current = active_.empty() ? nullptr : Find(active_);
    if (options_.failback_supported && now >= forced_until_ && current != nullptr &&
        Usable(*current, now)) {
      const Endpoint* best = Best(now, false);
      if (best != nullptr && best->weight > current->weight) {
        SwitchTo(best->name, SwitchReason::kFailback);
      }
    }
  }
  listeners_.Deliver();
}

absl::Status EndpointSelector::SetActive(absl::string_view name) {
  return ForceActive(name, absl::ZeroDuration());
}

absl::Status EndpointSelector::ForceActive(absl::string_view name, absl::Duration duration) {
  {
    MutexLock lock(&mu_);
    Endpoint* e = Find(name);
    if (e == nullptr) return Unknown(name);
    const MonotonicTime now = clock_.Now();
    if (!Usable(*e, now)) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot make redis endpoint '", name, "' active: ", WhyUnusable(*e, now)));
    }
    forced_until_ = now + std::max(duration, absl::ZeroDuration());
    SwitchTo(e->name, SwitchReason::kForced);
  }
  listeners_.Deliver();
  return absl::OkStatus();
}

std::string EndpointSelector::active() const {
  MutexLock lock(&mu_);
  return active_;
}

std::vector<EndpointStatus> EndpointSelector::endpoints() const {
  MutexLock lock(&mu_);
  const MonotonicTime now = clock_.Now();
  std::vector<EndpointStatus> out;
  for (const Endpoint& e : endpoints_) {
    out.push_back(EndpointStatus{e.name, e.weight, e.healthy, e.breaker, e.disabled,
                                 now < e.grace_until, Usable(e, now), e.name == active_});
  }
  return out;
}

}  // namespace redis
}  // namespace failover
