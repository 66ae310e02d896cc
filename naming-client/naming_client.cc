#include "naming-client/naming_client.h"

#include <atomic>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace failover {
namespace naming {
namespace {

// NamingClient::id_ values, unique in the process.
std::atomic<uint64_t> next_client_id{1};

absl::Status CheckKey(const ServiceKey& key) {
  if (key.group.empty() || key.service.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("naming client: service key '", key.ToString(),
                     "' needs a group and a service name (e.g. DEFAULT_GROUP@@orders)"));
  }
  return absl::OkStatus();
}

bool Usable(const v1::Instance& host) { return host.enabled() && host.weight() > 0; }

// Whether a listener would see a difference between two values of one service.
bool Differs(const std::shared_ptr<const v1::ServiceInfo>& before,
             const std::shared_ptr<const v1::ServiceInfo>& after) {
  if (before == after) return false;
  if (before == nullptr || after == nullptr) return true;
  return !DiffInstances(before.get(), *after).empty() || !ServiceFieldsEquivalent(*before, *after);
}

}  // namespace

ServicePollerOptions NamingClientParts::DefaultNamingPollerOptions() {
  ServicePollerOptions options;
  options.first_poll_delay = options.default_period;
  return options;
}

std::vector<v1::Instance> SelectInstancesOf(const v1::ServiceInfo& info, bool healthy) {
  std::vector<v1::Instance> selected;
  for (const v1::Instance& host : info.hosts()) {
    if (host.healthy() == healthy && Usable(host)) selected.push_back(host);
  }
  return selected;
}

std::optional<v1::Instance> ChooseByWeight(const v1::ServiceInfo& info, RandomSource& random) {
  double total = 0;
  const v1::Instance* last = nullptr;
  for (const v1::Instance& host : info.hosts()) {
    if (host.healthy() && Usable(host)) {
      total += host.weight();
      last = &host;
    }
  }
  if (last == nullptr) return std::nullopt;
  double point = random.Uniform01() * total;
  for (const v1::Instance& host : info.hosts()) {
    if (!host.healthy() || !Usable(host)) continue;
    if (point < host.weight()) return host;
    point -= host.weight();
  }
  return *last;  // Rounding left `point` just past the end.
}

absl::StatusOr<std::unique_ptr<NamingClient>> NamingClient::Create(NamingClientParts parts,
                                                                   Clock& clock,
                                                                   RandomSource& random) {
  if (parts.holder == nullptr) {
    return absl::InvalidArgumentError(
        "naming client: no service cache (NamingClientParts::holder is null)");
  }
  const ServicePollerOptions poller_options = parts.poller;
  std::unique_ptr<NamingClient> client(new NamingClient(std::move(parts), random));
  NamingClient* self = client.get();
  if (client->upstream_ != nullptr) {
    auto poller = ServicePoller::Create(
        *client->upstream_, clock,
        [self](const v1::ServiceInfo& info) {
          self->holder_->ProcessServiceInfo(info).IgnoreError();
        },
        nullptr, poller_options);
    if (!poller.ok()) {
      return absl::Status(poller.status().code(),
                          absl::StrCat("naming client: ", poller.status().message()));
    }
    client->poller_ = *std::move(poller);
  }
  client->Wire();
  return client;
}

NamingClient::NamingClient(NamingClientParts parts, RandomSource& random)
    : id_(next_client_id.fetch_add(1, std::memory_order_relaxed)),
      holder_(std::move(parts.holder)),
      upstream_(std::move(parts.upstream)),
      random_(random),
      reactor_(std::move(parts.reactor)) {
  if (parts.metrics != nullptr) {
    metrics_ = std::make_unique<NamingMetrics>(*parts.metrics, parts.metric_tags);
  }
}

void NamingClient::Wire() {
  holder_->AddListener([this](const ServiceInfoChangeEvent& e) {
    Reevaluate([&e](const ServiceKey& key) { return key == e.key; });
  });
  deliveries_.Add([this](const Delivery& delivery) { Deliver(delivery); });
  if (reactor_ == nullptr) return;
  if (metrics_ != nullptr) metrics_->AttachTo(*reactor_).IgnoreError();  // First attach: OK.
  reactor_->AddSwitchListener(
      [this](const FailoverSwitchEvent&) { Reevaluate([](const ServiceKey&) { return true; }); });
  reactor_->AddServiceListener([this](const FailoverServiceEvent& e) {
    // Data stored without clusters also serves keys with clusters.
    Reevaluate([&e](const ServiceKey& key) {
      return key.ToString() == e.key || key.GroupedName() == e.key;
    });
  });
}

NamingClient::~NamingClient() {
  {
    MutexLock lock(&mu_);
    stopped_ = true;
  }
  poller_.reset();
  reactor_.reset();
  MutexLock lock(&mu_);
  mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return delivering_ == 0 || delivering_thread_ == std::this_thread::get_id();
  });
}

void NamingClient::EnsurePolled(const ServiceKey& key) {
  // The keys this thread has seen polled, for one client and one count of unsubscriptions:
  // a cached lookup then takes no lock of the poller. Client ids are unique in the process, so
  // a new client at a destroyed one's address never inherits its marks.
  struct Polled {
    uint64_t client_id = 0;
    uint64_t unsubscribed = 0;
    absl::flat_hash_set<std::string> keys;
  };
  thread_local Polled polled;
  const uint64_t unsubscribed = unsubscribed_.load(std::memory_order_acquire);
  if (polled.client_id != id_ || polled.unsubscribed != unsubscribed) {
    polled.client_id = id_;
    polled.unsubscribed = unsubscribed;
    polled.keys.clear();
  }
  thread_local std::string name;  // Grows once; no allocation per lookup after that.
  name.clear();
  absl::StrAppend(&name, key.group, kKeySeparator, key.service);
  if (!key.clusters.empty()) absl::StrAppend(&name, kKeySeparator, key.clusters);
  if (polled.keys.contains(name)) return;
  poller_->Subscribe(key);
  polled.keys.insert(name);
}

void NamingClient::Record(LookupSource source) {
  if (metrics_ != nullptr) metrics_->RecordLookup(source);
}

NamingLookup NamingClient::Effective(const ServiceKey& key) const {
  if (reactor_ != nullptr) {
    if (auto info = reactor_->Lookup(key)) return {std::move(info), LookupSource::kFailover};
  }
  if (auto info = holder_->Get(key)) return {std::move(info), LookupSource::kCache};
  return {};
}

absl::StatusOr<NamingLookup> NamingClient::Query(const ServiceKey& key) {
  absl::StatusOr<v1::ServiceInfo> queried = upstream_->Query(key, /*healthy_only=*/false);
  if (!queried.ok()) return queried.status();
  auto fresh = std::make_shared<const v1::ServiceInfo>(*queried);
  absl::StatusOr<ServiceUpdateResult> stored = holder_->ProcessServiceInfo(*std::move(queried));
  // Ignored (empty with push-empty protection): the cache keeps what it had, the caller gets
  // what the server said.
  if (stored.ok() && stored->info != nullptr)
    return NamingLookup{stored->info, LookupSource::kUpstream};
  return NamingLookup{std::move(fresh), LookupSource::kUpstream};
}

absl::StatusOr<NamingLookup> NamingClient::Lookup(const ServiceKey& key, bool subscribe) {
  if (absl::Status bad = CheckKey(key); !bad.ok()) return bad;
  if (reactor_ != nullptr) {
    if (auto info = reactor_->Lookup(key)) {
      Record(LookupSource::kFailover);
      return NamingLookup{std::move(info), LookupSource::kFailover};
    }
  }
  if (subscribe || upstream_ == nullptr) {
    if (auto cached = holder_->Get(key)) {
      if (subscribe && poller_ != nullptr) EnsurePolled(key);
      Record(LookupSource::kCache);
      return NamingLookup{std::move(cached), LookupSource::kCache};
    }
  }
  if (upstream_ == nullptr) {
    Record(LookupSource::kNone);
    return absl::NotFoundError(absl::StrCat("naming client: no failover data or cached value for ",
                                            key.ToString(), ", and no upstream to ask"));
  }
  absl::StatusOr<NamingLookup> queried = Query(key);
  // Polling starts even when the query failed: the service will be there once the server is.
  if (subscribe) EnsurePolled(key);
  if (queried.ok()) {
    Record(LookupSource::kUpstream);
    return queried;
  }
  if (auto cached = holder_->Get(key)) {
    Record(LookupSource::kCache);
    return NamingLookup{std::move(cached), LookupSource::kCache};
  }
  Record(LookupSource::kNone);
  return absl::Status(queried.status().code(),
                      absl::StrCat("naming client: ", key.ToString(),
                                   ": no failover data, nothing cached, and the upstream failed: ",
                                   queried.status().message()));
}

absl::StatusOr<std::vector<v1::Instance>> NamingClient::GetAllInstances(const ServiceKey& key,
                                                                        bool subscribe) {
  absl::StatusOr<NamingLookup> found = Lookup(key, subscribe);
  if (!found.ok()) return found.status();
  return std::vector<v1::Instance>(found->info->hosts().begin(), found->info->hosts().end());
}

absl::StatusOr<std::vector<v1::Instance>> NamingClient::SelectInstances(const ServiceKey& key,
                                                                        bool healthy,
                                                                        bool subscribe) {
  absl::StatusOr<NamingLookup> found = Lookup(key, subscribe);
  if (!found.ok()) return found.status();
  return SelectInstancesOf(*found->info, healthy);
}

absl::StatusOr<v1::Instance> NamingClient::SelectOneHealthyInstance(const ServiceKey& key,
                                                                    bool subscribe) {
  absl::StatusOr<NamingLookup> found = Lookup(key, subscribe);
  if (!found.ok()) return found.status();
  std::optional<v1::Instance> chosen = ChooseByWeight(*found->info, random_);
  if (!chosen.has_value()) {
    return absl::NotFoundError(absl::StrCat("naming client: no healthy instance of ",
                                            key.ToString(), " (", found->info->hosts_size(),
                                            " instances from ", LookupSourceName(found->source),
                                            ", none healthy and enabled with weight > 0)"));
  }
  return *std::move(chosen);
}

absl::StatusOr<NamingSubscriptionId> NamingClient::Subscribe(
    const ServiceKey& key, std::function<void(const NamingEvent&)> listener) {
  if (absl::Status bad = CheckKey(key); !bad.ok()) return bad;
  if (!listener) return absl::InvalidArgumentError("naming client: Subscribe() without a listener");
  NamingSubscriptionId id;
  {
    MutexLock lock(&mu_);
    id = next_id_++;
    subscriptions_[id] = Subscription{key, std::move(listener), nullptr};
  }
  if (poller_ != nullptr) {
    poller_->Subscribe(key);
    // As Java's subscribe, ask at once when nothing answers yet; a failure is not an error here:
    // polling goes on and the listener hears when the service shows up.
    if (Effective(key).info == nullptr) Query(key).IgnoreError();
  }
  Reevaluate([id_key = key](const ServiceKey& k) { return k == id_key; });
  return id;
}

bool NamingClient::Unsubscribe(NamingSubscriptionId id) {
  ServiceKey key;
  bool last = true;
  {
    MutexLock lock(&mu_);
    auto it = subscriptions_.find(id);
    if (it == subscriptions_.end()) return false;
    key = it->second.key;
    subscriptions_.erase(it);
    for (const auto& [other_id, other] : subscriptions_) {
      if (other.key == key) last = false;
    }
    mu_.Await([this, id]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return delivering_ != id || delivering_thread_ == std::this_thread::get_id();
    });
  }
  if (last && poller_ != nullptr) {
    // Threads forget their "polled" marks (EnsurePolled): counted before and after, so a thread
    // that re-marks the key while the poller still has it sees the second count later.
    unsubscribed_.fetch_add(1, std::memory_order_release);
    poller_->Unsubscribe(key);
    unsubscribed_.fetch_add(1, std::memory_order_release);
  }
  return true;
}

void NamingClient::Reevaluate(const std::function<bool(const ServiceKey&)>& matches) {
  {
    MutexLock lock(&mu_);
    if (stopped_) return;
    std::map<ServiceKey, NamingLookup> now;
    for (auto& [id, sub] : subscriptions_) {
      if (!matches(sub.key)) continue;
      auto found = now.find(sub.key);
      if (found == now.end()) found = now.emplace(sub.key, Effective(sub.key)).first;
      const NamingLookup& effective = found->second;
      if (effective.info == nullptr || !Differs(sub.last, effective.info)) continue;
      NamingEvent event{sub.key, effective.info, effective.source,
                        DiffInstances(sub.last.get(), *effective.info)};
      sub.last = effective.info;
      deliveries_.Enqueue(Delivery{id, std::move(event)});
    }
  }
  deliveries_.Deliver();
}

void NamingClient::Deliver(const Delivery& delivery) {
  std::function<void(const NamingEvent&)> listener;
  {
    MutexLock lock(&mu_);
    auto it = subscriptions_.find(delivery.id);
    if (stopped_ || it == subscriptions_.end()) return;
    listener = it->second.listener;
    delivering_ = delivery.id;
    delivering_thread_ = std::this_thread::get_id();
  }
  listener(delivery.event);
  MutexLock lock(&mu_);
  delivering_ = 0;
}

}  // namespace naming
}  // namespace failover
