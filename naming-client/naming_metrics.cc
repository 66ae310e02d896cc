#include "naming-client/naming_metrics.h"

#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "core/sync.h"

namespace failover {
namespace naming {

absl::string_view LookupSourceName(LookupSource source) {
  switch (source) {
    case LookupSource::kFailover:
      return "failover";
    case LookupSource::kCache:
      return "cache";
    case LookupSource::kUpstream:
      return "upstream";
    case LookupSource::kNone:
      break;
  }
  return "none";
}

struct NamingMetrics::Exporter {
  Exporter(MetricsRegistry& registry, const Tags& tags)
      : registry(registry),
        tags(tags),
        switch_on(registry.GetGauge(kSwitch, tags)),
        bad_files(registry.GetGauge(kBadFiles, tags)),
        reloads_ok(registry.GetCounter(kReloads, tags.With("result", "ok"))),
        reloads_error(registry.GetCounter(kReloads, tags.With("result", "error"))),
        source_errors(registry.GetCounter(kSourceErrors, tags)) {}

  // Brings every gauge to the reactor's current state. Polls publish their state before their
  // event is delivered, so the refresh after the last poll always sees that poll's state.
  void Refresh(const FailoverReactor& reactor) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    const FailoverGauges gauges = reactor.Gauges();
    switch_on.Set(gauges.switch_on);
    bad_files.Set(static_cast<double>(reactor.problems().size()));
    const uint64_t errors = reactor.error_count();
    if (errors > errors_counted) {
      source_errors.Increment(errors - errors_counted);
      errors_counted = errors;
    }
    for (const std::string& service : services) {
      if (gauges.instances.count(service) == 0) {
        registry.Retire(kFailoverInstances, tags.With("service", service));
      }
    }
    services.clear();
    for (const auto& [service, instances] : gauges.instances) {
      registry.GetGauge(kFailoverInstances, tags.With("service", service))
          .Set(static_cast<double>(instances));
      services.insert(service);
    }
  }

  MetricsRegistry& registry;
  const Tags tags;
  Gauge& switch_on;
  Gauge& bad_files;
  Counter& reloads_ok;
  Counter& reloads_error;
  Counter& source_errors;

  Mutex mu;
  bool attached ABSL_GUARDED_BY(mu) = false;
  bool detached ABSL_GUARDED_BY(mu) = false;  // The NamingMetrics is gone.
  // Services whose instances series this object exports.
  std::set<std::string> services ABSL_GUARDED_BY(mu);
  // The reactor's error_count() already added to source_errors.
  uint64_t errors_counted ABSL_GUARDED_BY(mu) = 0;
};

NamingMetrics::NamingMetrics(MetricsRegistry& registry, const Tags& tags)
    : exporter_(std::make_shared<Exporter>(registry, tags)) {
  for (size_t i = 0; i < kLookupSources; ++i) {
    lookups_[i] = &registry.GetCounter(
        kLookups, tags.With("source", LookupSourceName(static_cast<LookupSource>(i))));
  }
}

NamingMetrics::~NamingMetrics() {
  // Waits for a refresh in progress; later poll events find `detached` and do nothing.
  MutexLock lock(&exporter_->mu);
  exporter_->detached = true;
}

absl::Status NamingMetrics::AttachTo(FailoverReactor& reactor) {
  {
    MutexLock lock(&exporter_->mu);
    if (exporter_->attached) {
      return absl::FailedPreconditionError(
          "naming metrics: already attached to a failover reactor");
    }
    exporter_->attached = true;
  }
  // The listener first, then the refresh: a poll in between is seen by one or both, never by
  // neither, and refreshing twice is harmless.
  reactor.AddPollListener([exporter = exporter_, &reactor](const FailoverPollEvent& event) {
    MutexLock lock(&exporter->mu);
    if (exporter->detached) return;
    (event.data_read ? exporter->reloads_ok : exporter->reloads_error).Increment();
    exporter->Refresh(reactor);
  });
  MutexLock lock(&exporter_->mu);
  exporter_->Refresh(reactor);
  return absl::OkStatus();
}

}  // namespace naming
}  // namespace failover
