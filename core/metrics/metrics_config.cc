#include "core/metrics/metrics_config.h"

namespace failover {
namespace {

InstanceMode ToInstanceMode(InstanceTagMode mode) {
  switch (mode) {
    case InstanceTagMode::kAuto:
      return InstanceMode::kAuto;
    case InstanceTagMode::kAlways:
      return InstanceMode::kAlways;
    case InstanceTagMode::kNever:
      return InstanceMode::kNever;
  }
  return InstanceMode::kAuto;
}

}  // namespace

MetricsOptions MetricsOptionsFromConfig(const ObservableConfig& observable) {
  MetricsOptions options;
  options.cardinality.enabled = observable.cardinality.enabled;
  options.cardinality.max_apis = observable.cardinality.max_apis;
  options.async.enabled = observable.async.enabled;
  options.async.queue_capacity = observable.async.queue_capacity;
  options.instance.mode = ToInstanceMode(observable.instance.mode);
  options.instance.id = observable.instance.id;
  return options;
}

}  // namespace failover
