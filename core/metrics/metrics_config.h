// MetricsOptionsFromConfig: the metrics options of a loaded `failover.observable.*` section, so
// a process configured by YAML (core/config) sets up its registry, publisher and instance tag
// from the same file. MetricsOptions stays usable without the config loader.
//
//   absl::StatusOr<failover::FailoverConfig> config =
//       failover::LoadFailoverConfigFile("application.yml", failover::ProcessEnvironment());
//   failover::MetricsOptions options = failover::MetricsOptionsFromConfig(config->observable);
//   failover::MetricsRegistry registry(options.cardinality);
#ifndef FAILOVER_CORE_METRICS_METRICS_CONFIG_H_
#define FAILOVER_CORE_METRICS_METRICS_CONFIG_H_

#include "core/config/failover_config.h"
#include "core/metrics/metrics_options.h"

namespace failover {

// Pure function; the config loader has already validated the values.
MetricsOptions MetricsOptionsFromConfig(const ObservableConfig& observable);

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_METRICS_CONFIG_H_
