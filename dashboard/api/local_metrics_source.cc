#include "dashboard/api/local_metrics_source.h"

#include <utility>

#include "core/metrics/metrics_snapshot.h"
#include "core/metrics/snapshot_proto.h"

namespace failover {
namespace dashboard {

LocalMetricsSource::LocalMetricsSource(MetricsRegistry& registry, std::string instance_id)
    : registry_(registry), instance_id_(std::move(instance_id)) {}

absl::StatusOr<std::vector<v1::MetricSeries>> LocalMetricsSource::Series() {
  std::vector<SeriesSnapshot> copied = registry_.Snapshot().series();
  for (SeriesSnapshot& series : copied) {
    if (series.kind == SeriesKind::kGauge && !series.tags.Find("instance").has_value()) {
      series.tags = series.tags.With("instance", instance_id_);
    }
  }
  // Re-sorted: the added tag may reorder series of one name.
  const MetricsSnapshot sorted(std::move(copied));
  std::vector<v1::MetricSeries> out(sorted.series().size());
  for (size_t i = 0; i < out.size(); ++i) SeriesToProto(sorted.series()[i], &out[i]);
  return out;
}

std::vector<InstanceStatus> LocalMetricsSource::Instances() {
  InstanceStatus self;
  self.instance_id = instance_id_;
  self.liveness = Liveness::kLive;
  self.series_count = registry_.series_count();
  return {self};
}

}  // namespace dashboard
}  // namespace failover
