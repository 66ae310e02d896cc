// FailoverRegistry: the failovers of an application, by name. Names are unique: registering a
// name twice fails with ALREADY_EXISTS (the Java framework refuses to start). A Failover
// registers itself in Failover<T>::Create and unregisters when destroyed. The number of
// registered failovers is exported as the gauge `failover.registered.total`.
//
//   failover::FailoverRegistry registry(metrics);
//   absl::Status s = registry.Register("quotes");   // OK
//   s = registry.Register("quotes");                // ALREADY_EXISTS: "failover 'quotes' ..."
//   registry.Unregister("quotes");
//
// Thread-safe. Must outlive every failover registered in it.
#ifndef FAILOVER_STORE_JDBC_CALL_FAILOVER_REGISTRY_H_
#define FAILOVER_STORE_JDBC_CALL_FAILOVER_REGISTRY_H_

#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "core/metrics/metrics_registry.h"
#include "core/sync.h"

namespace failover {

class FailoverRegistry {
 public:
  static constexpr absl::string_view kRegisteredGauge = "failover.registered.total";

  // `metrics` must outlive the registry.
  explicit FailoverRegistry(MetricsRegistry& metrics);
  FailoverRegistry(const FailoverRegistry&) = delete;
  FailoverRegistry& operator=(const FailoverRegistry&) = delete;

  // INVALID_ARGUMENT for an empty name, ALREADY_EXISTS naming it for a duplicate.
  absl::Status Register(absl::string_view name) ABSL_LOCKS_EXCLUDED(mu_);
  // Forgets `name`; no-op if it is not registered.
  void Unregister(absl::string_view name) ABSL_LOCKS_EXCLUDED(mu_);
  // Registered names, sorted.
  std::vector<std::string> names() const ABSL_LOCKS_EXCLUDED(mu_);
  MetricsRegistry& metrics() const { return metrics_; }

 private:
  MetricsRegistry& metrics_;
  Gauge& registered_;
  mutable Mutex mu_;
  std::set<std::string, std::less<>> names_ ABSL_GUARDED_BY(mu_);
};

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_CALL_FAILOVER_REGISTRY_H_
