// MetricsOptions: the settings of the metrics registry, publisher and instance tag are the
// `failover.observable.*` section of the typed configuration (core/config/failover_config.h), so
// the YAML file a process loads sets them up directly; the names below are the metrics module's
// names for those structs. Defaults are the documented ones.
//
//   failover::MetricsOptions options;                 // the documented defaults
//   options.cardinality.max_apis = 200;
//   absl::Status status = failover::ValidateMetricsOptions(options);
//   failover::MetricsRegistry registry(options.cardinality);
//
//   // Or from configuration:
//   failover::MetricsRegistry registry(config->observable.cardinality);
#ifndef FAILOVER_CORE_METRICS_METRICS_OPTIONS_H_
#define FAILOVER_CORE_METRICS_METRICS_OPTIONS_H_

#include "absl/status/status.h"
#include "core/config/failover_config.h"

namespace failover {

// failover.observable.instance.mode: kAuto tags push exporters only (a Prometheus scraper adds
// `instance` itself), kAlways every exporter, kNever none.
using InstanceMode = InstanceTagMode;
// failover.observable.cardinality.*
using CardinalityOptions = CardinalityConfig;
// failover.observable.async.*
using AsyncOptions = ObservableAsyncConfig;
// failover.observable.instance.*
using InstanceOptions = InstanceTagConfig;
// failover.observable.*
using MetricsOptions = ObservableConfig;

// OK, or InvalidArgument naming the first offending property.
absl::Status ValidateMetricsOptions(const MetricsOptions& options);

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_METRICS_OPTIONS_H_
