// FailoverdMetrics: the meters failoverd keeps about itself in its MetricsRegistry, which it
// serves on /metrics, next to the ones its parts register (e.g. the payload store's maintenance
// gauges):
//   failover.dashboard.ingest.total{transport="http|grpc", result="accepted|rejected|unauthorized"}
//       counters (IngestCounters), updated by the HTTP and gRPC ingest endpoints;
//   failover.dashboard.instances{liveness="LIVE|DOWN|UNKNOWN"}
//       gauges, shared-store mode only: the instances the fleet store knows, by liveness, as of
//       the last Refresh() (failoverd calls it before rendering each /metrics page, because
//       liveness changes with time, not with events);
//   failover.dashboard.naming.switch{namespace="public"}
//       gauge: 1 while the naming failover switch failoverd serves for the namespace is on, else
//       0 (kept current by OnNamingChange(), the naming data store's change listener; "public"
//       is reported from the start).
//
//   FailoverdMetrics metrics(registry, fleet.get());   // fleet: nullptr outside shared-store
//   naming_store.SetChangeListener([&metrics](const std::string& ns, const StoreChange& c) {
//     metrics.OnNamingChange(ns, c);
//   });
//   http_services.ingest_counters = &metrics.ingest_counters();
//   http_services.refresh_metrics = [&metrics] { metrics.Refresh(); };
//
// Thread-safe: every method may be called from any thread.
#ifndef FAILOVER_DASHBOARD_SERVER_FAILOVERD_METRICS_H_
#define FAILOVER_DASHBOARD_SERVER_FAILOVERD_METRICS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "core/metrics/meters.h"
#include "core/metrics/metrics_registry.h"
#include "core/sync.h"
#include "dashboard/ingest_counters.h"
#include "dashboard/metrics_source.h"
#include "naming-client/failover_data_store.h"

namespace failover {
namespace dashboard {

class FailoverdMetrics {
 public:
  static constexpr absl::string_view kInstancesMetric = "failover.dashboard.instances";
  static constexpr absl::string_view kNamingSwitchMetric = "failover.dashboard.naming.switch";

  // `registry` and `fleet` (nullptr: no instance gauges) must outlive this.
  FailoverdMetrics(MetricsRegistry& registry, MetricsSource* fleet);
  FailoverdMetrics(const FailoverdMetrics&) = delete;
  FailoverdMetrics& operator=(const FailoverdMetrics&) = delete;

  IngestCounters& ingest_counters() { return ingest_; }

  // Sets the instance gauges from the fleet's Instances(); nothing without a fleet.
  void Refresh() ABSL_LOCKS_EXCLUDED(refresh_mu_);

  // Sets the namespace's switch gauge when `change` is a switch change.
  void OnNamingChange(const std::string& nacos_namespace, const naming::StoreChange& change);

 private:
  MetricsRegistry& registry_;
  MetricsSource* const fleet_;
  IngestCounters ingest_;
  Gauge* live_ = nullptr;
  Gauge* down_ = nullptr;
  Gauge* unknown_ = nullptr;
  // One refresh at a time, so concurrent scrapes cannot leave a mix of two samples.
  Mutex refresh_mu_;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_SERVER_FAILOVERD_METRICS_H_
