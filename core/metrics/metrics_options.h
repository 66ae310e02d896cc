// MetricsOptions: typed settings for the metrics registry and publisher, one field per
// `failover.observable.*` property, with the documented defaults. Plain values; whoever parses
// configuration fills them in and calls ValidateMetricsOptions() once at load.
//
//   failover::MetricsOptions options;                 // the documented defaults
//   options.cardinality.max_apis = 200;
//   absl::Status status = failover::ValidateMetricsOptions(options);
//   failover::MetricsRegistry registry(options.cardinality);
#ifndef FAILOVER_CORE_METRICS_METRICS_OPTIONS_H_
#define FAILOVER_CORE_METRICS_METRICS_OPTIONS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace failover {

// failover.observable.instance.mode: which exporters get an `instance` tag.
enum class InstanceMode {
  // Push exporters get the tag; pull (Prometheus-style) exporters do not, the scraper adds it.
  kAuto,
  // Every exporter, pull exporters included.
  kAlways,
  // No exporter.
  kNever,
};

// Parses "auto", "always" or "never" (case-insensitive); the error names the property.
absl::StatusOr<InstanceMode> ParseInstanceMode(absl::string_view text);
absl::string_view InstanceModeName(InstanceMode mode);

// failover.observable.cardinality.*
struct CardinalityOptions {
  // Cap distinct `name` tag values across failover.* meters.
  bool enabled = true;
  // Distinct `name` values admitted before new ones are denied. Must be >= 1.
  int max_apis = 1000;
};

// failover.observable.async.*
struct AsyncOptions {
  // Apply updates on a background worker through a bounded queue; false applies them on the
  // caller's thread.
  bool enabled = true;
  // Bounded queue size; a full queue drops the update (counted). Must be >= 1.
  int queue_capacity = 10000;
};

// failover.observable.instance.*
struct InstanceOptions {
  InstanceMode mode = InstanceMode::kAuto;
  // Instance tag value; blank resolves from application name and host name at startup.
  std::string id;
};

// Thread-compatible value type.
struct MetricsOptions {
  CardinalityOptions cardinality;
  AsyncOptions async;
  InstanceOptions instance;
};

// OK, or InvalidArgument naming the first offending property.
absl::Status ValidateMetricsOptions(const MetricsOptions& options);

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_METRICS_OPTIONS_H_
