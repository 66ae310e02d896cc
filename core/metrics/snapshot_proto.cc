#include "core/metrics/snapshot_proto.h"

#include <limits>
#include <utility>

#include "core/metrics/internal/utf8.h"

namespace failover {
namespace {

void HistogramToProto(const HistogramValue& value, v1::Histogram* out) {
  out->set_count(value.count);
  out->set_sum(value.sum);
  out->set_max(value.max);
  uint64_t cumulative = 0;
  for (size_t i = 0; i < value.bucket_counts.size(); ++i) {
    cumulative += value.bucket_counts[i];
    v1::Histogram::Bucket* bucket = out->add_buckets();
    bucket->set_upper_bound(i < value.upper_bounds.size()
                                ? value.upper_bounds[i]
                                : std::numeric_limits<double>::infinity());
    bucket->set_cumulative_count(cumulative);
  }
}

}  // namespace

void SeriesToProto(const SeriesSnapshot& series, v1::MetricSeries* out) {
  out->Clear();
  // proto3 strings must be UTF-8: the dashboard would refuse the whole snapshot otherwise.
  out->set_name(metrics_internal::ToValidUtf8(series.name));
  for (const Tag& tag : series.tags.items()) {
    v1::Tag* t = out->add_tags();
    t->set_key(metrics_internal::ToValidUtf8(tag.key));
    t->set_value(metrics_internal::ToValidUtf8(tag.value));
  }
  out->set_unit(metrics_internal::ToValidUtf8(series.unit));
  switch (series.kind) {
    case SeriesKind::kCounter:
      out->set_counter(series.value);
      break;
    case SeriesKind::kGauge:
      out->set_gauge(series.value);
      break;
    case SeriesKind::kHistogram:
      HistogramToProto(series.histogram, out->mutable_histogram());
      break;
  }
}

SnapshotProtoEncoder::SnapshotProtoEncoder(const Clock& clock, std::string instance_id,
                                           absl::Time process_start)
    : clock_(clock),
      instance_id_(std::move(instance_id)),
      process_start_unix_nanos_(absl::ToUnixNanos(process_start)) {}

v1::MetricsSnapshot SnapshotProtoEncoder::Encode(const MetricsSnapshot& snapshot) {
  v1::MetricsSnapshot out;
  out.set_instance_id(instance_id_);
  out.set_taken_at_unix_nanos(absl::ToUnixNanos(clock_.WallNow()));
  out.set_process_start_unix_nanos(process_start_unix_nanos_);
  out.set_sequence(sequence_.fetch_add(1, std::memory_order_relaxed) + 1);
  out.mutable_series()->Reserve(static_cast<int>(snapshot.series().size()));
  for (const SeriesSnapshot& series : snapshot.series()) SeriesToProto(series, out.add_series());
  return out;
}

}  // namespace failover
