// RedisFailoverClient: set-up, endpoints, events and control. The command path is in
// redis_client_run.cc, the typed helpers in redis_client_commands.cc.
#include "redis-failover/redis_client.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "redis-failover/internal/client_endpoint.h"

namespace failover {
namespace redis {

absl::StatusOr<std::unique_ptr<RedisFailoverClient>> RedisFailoverClient::Create(
    RedisClientOptions options, Clock& clock, RandomSource& random, MetricsRegistry* metrics) {
  if (absl::Status s = options.Validate(); !s.ok()) return s;
  if (!options.connection_factory) options.connection_factory = ConnectRedis;
  std::unique_ptr<RedisFailoverClient> client(
      new RedisFailoverClient(std::move(options), clock, random, metrics));
  if (absl::Status s = client->Start(); !s.ok()) {
    client->Close();
    return s;
  }
  return client;
}

RedisFailoverClient::RedisFailoverClient(RedisClientOptions options, Clock& clock,
                                         RandomSource& random, MetricsRegistry* metrics)
    : options_(std::move(options)),
      clock_(clock),
      random_(random),
      own_metrics_(metrics == nullptr ? std::make_unique<MetricsRegistry>() : nullptr),
      metrics_(metrics == nullptr ? own_metrics_.get() : metrics),
      selector_(clock, EndpointSelectorOptions{options_.failback.grace_period,
                                               options_.failback.supported}),
      availability_(clock, options_.all_down) {}

RedisFailoverClient::~RedisFailoverClient() { Close(); }

absl::Status RedisFailoverClient::Start() {
  RetryOptions retry = options_.retry;
  // "No endpoint is usable" is answered at once; retrying it would only delay the answer.
  retry.ignore_if = [user = options_.retry.ignore_if](const absl::Status& s) {
    return IsAllEndpointsDown(s) || (user && user(s));
  };
  absl::StatusOr<std::unique_ptr<Retry>> r =
      Retry::Create("redis", std::move(retry), clock_, random_);
  if (!r.ok()) return r.status();
  retry_ = std::move(*r);

  selector_.AddListener([this](const SwitchEvent& e) { OnSwitch(e); });
  for (const RedisEndpointOptions& e : options_.endpoints) {
    absl::StatusOr<std::shared_ptr<Endpoint>> endpoint = MakeEndpoint(e);
    if (!endpoint.ok()) return endpoint.status();
    {
      MutexLock lock(&mu_);
      endpoints_.push_back(*endpoint);
    }
    if (absl::Status s = selector_.AddEndpoint(e.name, e.weight); !s.ok()) return s;
  }
  {
    MutexLock lock(&mu_);
    active_ = endpoints_.empty() ? nullptr : endpoints_.front();
    for (const auto& e : endpoints_) {
      if (e->options.name == selector_.active()) active_ = e;
    }
  }
  UpdateEndpointGauges();

  std::vector<std::shared_ptr<Endpoint>> endpoints;
  {
    MutexLock lock(&mu_);
    endpoints = endpoints_;
  }
  for (const auto& e : endpoints) {
    if (e->checker != nullptr) e->checker->Start();
  }
  if (absl::Status s = CheckStartupPolicy(); !s.ok()) return s;
  MutexLock lock(&mu_);
  ScheduleFailbackCheck();
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<RedisFailoverClient::Endpoint>> RedisFailoverClient::MakeEndpoint(
    const RedisEndpointOptions& options) {
  absl::StatusOr<RedisAddress> address = ParseRedisUri(options.uri);
  if (!address.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("endpoint ", options.name, ": ", address.status().message()));
  }
  auto e = std::make_shared<Endpoint>(options, *address, *metrics_);
  RedisConnectionFactory factory = options_.connection_factory;
  RedisConnectionOptions connection = options_.connection;
  e->pool = std::make_unique<ConnectionPool>(
      [factory, address = *address, connection] { return factory(address, connection); },
      options_.pool);
  absl::StatusOr<std::unique_ptr<CircuitBreaker>> breaker =
      CircuitBreaker::Create(options.name, options_.circuit_breaker, clock_);
  if (!breaker.ok()) return breaker.status();
  e->breaker = std::move(*breaker);
  e->breaker->AddListener(
      [this, name = options.name](const StateTransitionEvent& event) { OnBreaker(name, event); });
  if (options.health_check) {
    std::weak_ptr<Endpoint> weak = e;
    e->checker =
        std::make_unique<HealthChecker>(options.name, ProbeFor(e), options_.health_check, clock_,
                                        [this, weak](const HealthChange& change) {
                                          if (std::shared_ptr<Endpoint> endpoint = weak.lock())
                                            OnHealth(endpoint, change);
                                        });
  }
  return e;
}

HealthProbe RedisFailoverClient::ProbeFor(const std::shared_ptr<Endpoint>& endpoint) {
  HealthProbe probe;
  switch (options_.health_strategy) {
    case HealthStrategy::kPing:
      probe = PingProbe(endpoint->address);
      break;
    case HealthStrategy::kEcho:
      probe = EchoProbe(endpoint->address, random_);
      break;
    case HealthStrategy::kCustom:
      probe = options_.custom_probe(endpoint->options, endpoint->address);
      break;
  }
  if (!options_.check_active_only_when_idle) return probe;
  // Traffic proves the active endpoint healthy: probe it only after an idle interval.
  Endpoint* raw = endpoint.get();
  return [this, raw, probe = std::move(probe)](absl::Duration timeout) -> absl::Status {
    const MonotonicTime last = MonotonicTime::FromNanos(raw->last_success_ns.load());
    if (Active().get() == raw && clock_.Now() - last < options_.health_check.interval) {
      return absl::OkStatus();
    }
    return probe(timeout);
  };
}

absl::Status RedisFailoverClient::CheckStartupPolicy() {
  const MonotonicTime deadline = clock_.Now() + options_.startup.max_wait;
  std::vector<std::shared_ptr<Endpoint>> endpoints;
  {
    MutexLock lock(&mu_);
    endpoints = endpoints_;
  }
  int available = 0;
  std::vector<std::string> down;
  for (const auto& e : endpoints) {
    if (e->checker == nullptr) {
      ++available;
      continue;
    }
    const absl::Duration left = std::max(deadline - clock_.Now(), absl::ZeroDuration());
    if (!e->checker->WaitForRounds(1, left)) {
      down.push_back(absl::StrCat(e->options.name, ": no health-check answer within ",
                                  absl::FormatDuration(options_.startup.max_wait)));
    } else if (e->checker->healthy()) {
      ++available;
    } else {
      down.push_back(absl::StrCat(e->options.name, ": ", e->last_health_error().message()));
    }
  }
  const int total = static_cast<int>(endpoints.size());
  int needed = 1;
  if (options_.startup.policy == StartupPolicy::kAll) needed = total;
  if (options_.startup.policy == StartupPolicy::kMajority) needed = total / 2 + 1;
  if (available >= needed) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat("redis start-up policy '",
                                             StartupPolicyName(options_.startup.policy), "' needs ",
                                             needed, " of ", total, " endpoints available, ",
                                             available, " are (", absl::StrJoin(down, "; "), ")"));
}

void RedisFailoverClient::Close() {
  std::vector<std::shared_ptr<Endpoint>> endpoints;
  std::vector<Subscription*> subscriptions;
  TimerId timer;
  {
    MutexLock lock(&mu_);
    if (closed_) return;
    closed_ = true;
    endpoints = endpoints_;
    subscriptions = subscriptions_;
    timer = std::exchange(failback_timer_, kNoTimer);
  }
  if (timer != kNoTimer) clock_.Cancel(timer);  // Waits for a running check.
  // Subscriptions close their own connections; they unregister themselves when destroyed.
  for (Subscription* s : subscriptions) s->OnActiveChanged("");
  for (const auto& e : endpoints) {
    e->checker.reset();  // Joins the health-check thread.
    e->pool->Close();
  }
}

// --- Events -----------------------------------------------------------------------------------

void RedisFailoverClient::OnSwitch(const SwitchEvent& event) {
  std::shared_ptr<Endpoint> from;
  std::vector<Subscription*> subscriptions;
  {
    MutexLock lock(&mu_);
    from = active_;
    active_ = nullptr;
    for (const auto& e : endpoints_) {
      if (e->options.name == event.to) active_ = e;
    }
    subscriptions = subscriptions_;
  }
  metrics_
      ->GetCounter("failover.redis.switches.total",
                   {{"reason", SwitchReasonName(event.reason)},
                    {"to", event.to.empty() ? "(none)" : event.to}})
      .Increment();
  UpdateEndpointGauges();
  if (event.to.empty()) {
    availability_.OnAllDown();
  } else if (event.from.empty()) {
    availability_.OnRecovered();
  }
  if (options_.fast_failover && from != nullptr && from->options.name == event.from) {
    from->interrupts.fetch_add(1);
    from->pool->InterruptAll();
  }
  for (Subscription* s : subscriptions) s->OnActiveChanged(event.to);
  switch_listeners_.Enqueue(event);
  switch_listeners_.Deliver();
}

void RedisFailoverClient::OnHealth(const std::shared_ptr<Endpoint>& endpoint,
                                   const HealthChange& change) {
  endpoint->set_last_health_error(change.reason);
  endpoint->healthy_gauge->Set(change.healthy ? 1 : 0);
  metrics_
      ->GetCounter(
          "failover.redis.health.changes.total",
          {{"endpoint", endpoint->options.name}, {"healthy", change.healthy ? "true" : "false"}})
      .Increment();
  selector_.OnHealthChanged(change.endpoint, change.healthy);
  health_listeners_.Enqueue(change);
  health_listeners_.Deliver();
}

void RedisFailoverClient::OnBreaker(const std::string& endpoint,
                                    const StateTransitionEvent& event) {
  selector_.OnBreakerStateChanged(endpoint, event.to);
  if (std::shared_ptr<Endpoint> e = Find(endpoint)) {
    e->breaker_gauge->Set(static_cast<double>(event.to));
  }
  breaker_listeners_.Enqueue(event);
  breaker_listeners_.Deliver();
}

void RedisFailoverClient::ScheduleFailbackCheck() {
  if (closed_) return;
  failback_timer_ =
      clock_.ScheduleAfter(options_.failback.check_interval, [this] { FailbackCheck(); });
}

void RedisFailoverClient::FailbackCheck() {
  selector_.CheckFailback();
  MutexLock lock(&mu_);
  ScheduleFailbackCheck();
}

void RedisFailoverClient::UpdateEndpointGauges() {
  std::vector<std::shared_ptr<Endpoint>> endpoints;
  std::shared_ptr<Endpoint> active;
  {
    MutexLock lock(&mu_);
    endpoints = endpoints_;
    active = active_;
  }
  for (const auto& e : endpoints) e->active_gauge->Set(e == active ? 1 : 0);
}

void RedisFailoverClient::AddSwitchListener(std::function<void(const SwitchEvent&)> listener) {
  switch_listeners_.Add(std::move(listener));
}
void RedisFailoverClient::AddHealthListener(std::function<void(const HealthEvent&)> listener) {
  health_listeners_.Add(std::move(listener));
}
void RedisFailoverClient::AddBreakerListener(std::function<void(const BreakerEvent&)> listener) {
  breaker_listeners_.Add(std::move(listener));
}
void RedisFailoverClient::AddAvailabilityListener(
    std::function<void(const AvailabilityEvent&)> listener) {
  availability_.AddListener(std::move(listener));
}

// --- Control and observing ----------------------------------------------------------------------

absl::Status RedisFailoverClient::SetActive(absl::string_view endpoint) {
  return selector_.SetActive(endpoint);
}

absl::Status RedisFailoverClient::ForceActive(absl::string_view endpoint, absl::Duration duration) {
  return selector_.ForceActive(endpoint, duration);
}

absl::Status RedisFailoverClient::SetWeight(absl::string_view endpoint, double weight) {
  return selector_.SetWeight(endpoint, weight);
}

absl::Status RedisFailoverClient::AddEndpoint(const RedisEndpointOptions& endpoint) {
  RedisClientOptions check = options_;
  check.endpoints = {endpoint};
  if (absl::Status s = check.Validate(); !s.ok()) return s;
  {
    MutexLock lock(&mu_);
    if (closed_) return absl::FailedPreconditionError("the redis client is closed");
    for (const auto& e : endpoints_) {
      if (e->options.name == endpoint.name) {
        return absl::AlreadyExistsError(
            absl::StrCat("redis endpoint '", endpoint.name, "' already exists"));
      }
    }
  }
  absl::StatusOr<std::shared_ptr<Endpoint>> e = MakeEndpoint(endpoint);
  if (!e.ok()) return e.status();
  {
    MutexLock lock(&mu_);
    endpoints_.push_back(*e);
  }
  if (absl::Status s = selector_.AddEndpoint(endpoint.name, endpoint.weight); !s.ok()) {
    MutexLock lock(&mu_);
    endpoints_.pop_back();
    return s;
  }
  if ((*e)->checker != nullptr) (*e)->checker->Start();
  UpdateEndpointGauges();
  return absl::OkStatus();
}

absl::Status RedisFailoverClient::RemoveEndpoint(absl::string_view endpoint) {
  if (absl::Status s = selector_.RemoveEndpoint(endpoint); !s.ok()) return s;
  std::shared_ptr<Endpoint> removed;
  {
    MutexLock lock(&mu_);
    auto it = std::find_if(endpoints_.begin(), endpoints_.end(),
                           [&](const auto& e) { return e->options.name == endpoint; });
    if (it != endpoints_.end()) {
      removed = *it;
      endpoints_.erase(it);
    }
  }
  if (removed != nullptr) {
    removed->checker.reset();
    removed->interrupts.fetch_add(1);
    removed->pool->InterruptAll();
    removed->pool->Close();
    removed->active_gauge->Set(0);
  }
  return absl::OkStatus();
}

std::string RedisFailoverClient::active_endpoint() const {
  MutexLock lock(&mu_);
  return active_ == nullptr ? "" : active_->options.name;
}

std::vector<EndpointStatus> RedisFailoverClient::endpoints() const { return selector_.endpoints(); }

std::shared_ptr<RedisFailoverClient::Endpoint> RedisFailoverClient::Active() const {
  MutexLock lock(&mu_);
  return active_;
}

std::shared_ptr<RedisFailoverClient::Endpoint> RedisFailoverClient::Find(
    absl::string_view name) const {
  MutexLock lock(&mu_);
  for (const auto& e : endpoints_) {
    if (e->options.name == name) return e;
  }
  return nullptr;
}

std::string RedisFailoverClient::DescribeEndpoints() const {
  std::vector<std::string> parts;
  for (const EndpointStatus& s : selector_.endpoints()) {
    std::vector<std::string> why;
    if (!s.healthy) {
      std::string reason = "unhealthy";
      if (std::shared_ptr<Endpoint> e = Find(s.name)) {
        const absl::Status error = e->last_health_error();
        if (!error.ok()) absl::StrAppend(&reason, " (", error.message(), ")");
      }
      why.push_back(std::move(reason));
    }
    if (s.breaker == CircuitBreakerState::kOpen || s.breaker == CircuitBreakerState::kForcedOpen) {
      why.push_back(absl::StrCat("circuit breaker ", StateName(s.breaker)));
    }
    if (s.disabled) why.push_back("disabled");
    if (s.in_grace_period) why.push_back("in grace period");
    parts.push_back(absl::StrCat(s.name, ": ", why.empty() ? "usable" : absl::StrJoin(why, ", ")));
  }
  return absl::StrJoin(parts, "; ");
}

}  // namespace redis
}  // namespace failover
