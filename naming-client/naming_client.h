// NamingClient: the service-discovery API an application calls (the Java client's NamingService:
// getAllInstances, selectInstances, selectOneHealthyInstance, subscribe), answering from
// failover data while the switch is on, else from the service cache, else from the upstream.
//
//   NamingClientParts parts;
//   parts.reactor = *FailoverReactor::Create(*CreateFailoverDataSource("disk", params), clock);
//   parts.holder = *ServiceInfoHolder::Create(holder_options);
//   parts.upstream = *NacosHttpUpstream::Create(...);
//   auto client = NamingClient::Create(std::move(parts), clock, SystemRandom());
//   absl::StatusOr<v1::Instance> one =
//       (*client)->SelectOneHealthyInstance({"DEFAULT_GROUP", "orders", ""});
//   auto id = (*client)->Subscribe({"DEFAULT_GROUP", "orders", ""},
//                                  [](const NamingEvent& e) { ... e.info->hosts() ... });
//
// Lookup order, for every call (docs/naming-client.md, "Naming client"):
//   1. Failover data, when the reactor's switch is on and it has hosts for the key after the
//      cluster filter (FailoverReactor::Lookup).
//   2. With subscribe (the default): the cache, when it holds the key; the service is polled
//      from then on (ServicePoller). Without it, or when the cache does not hold the key: one
//      upstream query, stored in the cache; if that query fails, the cached value when there
//      is one (a lookup never fails while a cached value exists), else the query's error.
// Nothing a lookup returns is shared with stored data in a way that lets it be changed: results
// are copies or immutable shared objects, and cluster filtering builds new objects.
//
// Subscriptions: a listener sees the service's effective instances (what a lookup answers
// without querying: failover data, else the cache) whenever they change: the switch flipping
// either way, failover data edited, or the upstream's data changing. A new listener first gets
// the current value (when there is one), then the changes.
#ifndef FAILOVER_NAMING_CLIENT_NAMING_CLIENT_H_
#define FAILOVER_NAMING_CLIENT_NAMING_CLIENT_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/clock.h"
#include "core/listener_list.h"
#include "core/metrics/metrics_registry.h"
#include "core/metrics/tags.h"
#include "core/random.h"
#include "core/sync.h"
#include "naming-client/failover_reactor.h"
#include "naming-client/instances_diff.h"
#include "naming-client/naming_metrics.h"
#include "naming-client/naming_upstream.h"
#include "naming-client/service_info_holder.h"
#include "naming-client/service_key.h"
#include "naming-client/service_poller.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {

// What a NamingClient is made of. Built from configuration by naming_client_factory.h, or by
// hand (tests, custom upstreams).
struct NamingClientParts {
  // Failover data; null: no failover.
  std::unique_ptr<FailoverReactor> reactor;
  // The service cache. Required.
  std::unique_ptr<ServiceInfoHolder> holder;
  // Where services come from; null: failover data and the cache only (e.g. loaded at start).
  std::unique_ptr<NamingUpstream> upstream;
  // How subscribed services are polled. The default's first poll comes one default_period after
  // the subscribing lookup, which has just queried (as Java's subscribe does).
  ServicePollerOptions poller = DefaultNamingPollerOptions();
  // failover.naming.* metrics go here when set (NamingMetrics); must outlive the client.
  MetricsRegistry* metrics = nullptr;
  Tags metric_tags;

  static ServicePollerOptions DefaultNamingPollerOptions();
};

// A lookup's answer and where it came from.
struct NamingLookup {
  std::shared_ptr<const v1::ServiceInfo> info;  // Never null in a successful lookup.
  LookupSource source = LookupSource::kNone;
};

// A subscribed service's effective instances changed.
struct NamingEvent {
  ServiceKey key;
  std::shared_ptr<const v1::ServiceInfo> info;  // The new value; never null.
  LookupSource source = LookupSource::kNone;    // kFailover or kCache.
  InstancesDiff diff;  // Against the previous event of this subscription (all added at first).
};

using NamingSubscriptionId = uint64_t;

// Thread-safe: every method may be called from any thread. Lookups answered from failover data
// or the cache take no lock and write no shared memory (the reactor and the cache keep per-thread
// pins of their data; a subscribing lookup asks the poller to poll the key only the first time
// the thread sees it, and again after an unsubscription). Queries run on
// the calling thread with no lock held. Listeners run on the thread whose change caused the
// event (the reactor's polling thread, the poller's, or a lookup's), one event at a time, in
// order, with no lock of the client held; they may call the client (Unsubscribe() included,
// which does not wait when called from inside a listener), but must not destroy it.
class NamingClient {
 public:
  // InvalidArgument when parts.holder is null or the poller options are out of range.
  static absl::StatusOr<std::unique_ptr<NamingClient>> Create(NamingClientParts parts, Clock& clock,
                                                              RandomSource& random);
  // Stops polling and the reactor; waits for a listener running on another thread.
  ~NamingClient();
  NamingClient(const NamingClient&) = delete;
  NamingClient& operator=(const NamingClient&) = delete;

  // The service's ServiceInfo by the lookup order above. NotFound when nothing has it and there
  // is no upstream; otherwise the upstream's error when it fails and nothing is cached.
  // InvalidArgument for an empty group or service.
  absl::StatusOr<NamingLookup> Lookup(const ServiceKey& key, bool subscribe = true);

  // Every instance (Java getAllInstances).
  absl::StatusOr<std::vector<v1::Instance>> GetAllInstances(const ServiceKey& key,
                                                            bool subscribe = true);
  // Instances whose healthy flag equals `healthy`, enabled, with weight > 0 (Java
  // selectInstances).
  absl::StatusOr<std::vector<v1::Instance>> SelectInstances(const ServiceKey& key, bool healthy,
                                                            bool subscribe = true);
  // One healthy, enabled instance with weight > 0, chosen at random in proportion to weight
  // (Java selectOneHealthyInstance). NotFound naming the service when there is none.
  absl::StatusOr<v1::Instance> SelectOneHealthyInstance(const ServiceKey& key,
                                                        bool subscribe = true);

  // Polls `key` and calls `listener` with its current value (if any), then on every change.
  // The upstream need not answer: polling goes on until it does. InvalidArgument for an empty
  // group or service or listener.
  absl::StatusOr<NamingSubscriptionId> Subscribe(const ServiceKey& key,
                                                 std::function<void(const NamingEvent&)> listener);
  // Once this returns, the listener is not called again (a call running on another thread is
  // waited for). The key stops being polled when its last listener goes. False for an unknown id.
  bool Unsubscribe(NamingSubscriptionId id);

  FailoverReactor* reactor() const { return reactor_.get(); }
  ServiceInfoHolder& holder() const { return *holder_; }
  // Null when there is no upstream.
  ServicePoller* poller() const { return poller_.get(); }
  NamingUpstream* upstream() const { return upstream_.get(); }

 private:
  struct Subscription {
    ServiceKey key;
    std::function<void(const NamingEvent&)> listener;
    // The value of this subscription's last event (queued), null before the first.
    std::shared_ptr<const v1::ServiceInfo> last;
  };
  struct Delivery {
    NamingSubscriptionId id = 0;
    NamingEvent event;
  };

  NamingClient(NamingClientParts parts, RandomSource& random);
  // Adds the client's listeners to the cache and the reactor; attaches the metrics.
  void Wire();

  // Failover, then cache; no query. source kNone and null info when neither has it.
  NamingLookup Effective(const ServiceKey& key) const;
  absl::StatusOr<NamingLookup> Query(const ServiceKey& key);
  // Has the poller poll `key` (a subscribing lookup), asking it only the first time this thread
  // sees the key since the last unsubscription.
  void EnsurePolled(const ServiceKey& key);
  void Record(LookupSource source);

  // Recomputes the effective value of every subscribed key `matches` accepts; queues events.
  void Reevaluate(const std::function<bool(const ServiceKey&)>& matches) ABSL_LOCKS_EXCLUDED(mu_);
  void Deliver(const Delivery& delivery) ABSL_LOCKS_EXCLUDED(mu_);

  const uint64_t id_;  // Unique in the process (EnsurePolled's per-thread marks key on it).
  // Poller unsubscriptions so far: a change makes every thread forget its "polled" marks.
  std::atomic<uint64_t> unsubscribed_{0};
  const std::unique_ptr<ServiceInfoHolder> holder_;
  const std::unique_ptr<NamingUpstream> upstream_;
  std::unique_ptr<NamingMetrics> metrics_;
  RandomSource& random_;
  // Reset first by the destructor: their threads call back into the client.
  std::unique_ptr<ServicePoller> poller_;
  std::unique_ptr<FailoverReactor> reactor_;

  Mutex mu_;
  NamingSubscriptionId next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::map<NamingSubscriptionId, Subscription> subscriptions_ ABSL_GUARDED_BY(mu_);
  // The subscription whose listener runs now, and on which thread (Unsubscribe waits for it).
  NamingSubscriptionId delivering_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread::id delivering_thread_ ABSL_GUARDED_BY(mu_);
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;

  ListenerList<Delivery> deliveries_;
};

// The instances of `info` whose healthy flag equals `healthy`, enabled, with weight > 0.
std::vector<v1::Instance> SelectInstancesOf(const v1::ServiceInfo& info, bool healthy);

// One healthy, enabled instance of `info` with weight > 0, by weighted random choice with
// `random`; nullopt when there is none.
std::optional<v1::Instance> ChooseByWeight(const v1::ServiceInfo& info, RandomSource& random);

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_NAMING_CLIENT_H_
