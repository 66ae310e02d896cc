#include "core/metrics/otlp/otlp_encoder.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "core/metrics/internal/utf8.h"

namespace failover {
namespace {

namespace pb = otlp::v1;

constexpr absl::string_view kUnknownService = "unknown_service";
// 2^63: the first double that no longer fits int64.
constexpr double kTwoPow63 = 9223372036854775808.0;

void SetString(absl::string_view key, absl::string_view value, pb::KeyValue* out) {
  // proto3 strings must be UTF-8: a receiver would refuse the whole request otherwise.
  out->set_key(metrics_internal::ToValidUtf8(key));
  out->mutable_value()->set_string_value(metrics_internal::ToValidUtf8(value));
}

// Nanoseconds since the Unix epoch; 0 for earlier times.
uint64_t UnixNanos(absl::Time t) {
  const int64_t nanos = absl::ToUnixNanos(t);
  return nanos < 0 ? 0 : static_cast<uint64_t>(nanos);
}

void EncodeResource(const OtlpResource& resource, pb::Resource* out) {
  absl::flat_hash_set<std::string> keys;
  auto add = [&](absl::string_view key, absl::string_view value) {
    if (!keys.emplace(key).second) {
      out->set_dropped_attributes_count(out->dropped_attributes_count() + 1);
      return;
    }
    SetString(key, value, out->add_attributes());
  };
  const absl::string_view service_name = absl::StripAsciiWhitespace(resource.service_name);
  add("service.name", service_name.empty() ? kUnknownService : service_name);
  const absl::string_view instance_id = absl::StripAsciiWhitespace(resource.service_instance_id);
  if (!instance_id.empty()) add("service.instance.id", instance_id);
  for (const auto& [key, value] : resource.attributes) add(key, value);
}

void SetAttributes(const Tags& tags, google::protobuf::RepeatedPtrField<pb::KeyValue>* out) {
  out->Reserve(static_cast<int>(tags.size()));
  for (const Tag& tag : tags.items()) SetString(tag.key, tag.value, out->Add());
}

void SetNumberValue(const SeriesSnapshot& series, pb::NumberDataPoint* point) {
  const double v = series.value;
  if (series.kind == SeriesKind::kCounter && v >= 0 && v < kTwoPow63 && std::trunc(v) == v) {
    point->set_as_int(static_cast<int64_t>(v));
  } else {
    point->set_as_double(v);
  }
}

void SetHistogramValue(const HistogramValue& h, pb::HistogramDataPoint* point) {
  size_t bounds = h.upper_bounds.size();
  if (bounds > 0 && std::isinf(h.upper_bounds[bounds - 1]) && h.upper_bounds[bounds - 1] > 0) {
    --bounds;  // OTLP's overflow bucket is implicit.
  }
  point->mutable_explicit_bounds()->Add(h.upper_bounds.begin(), h.upper_bounds.begin() + bounds);
  // bounds + 1 buckets: counts past the last finite bound (normally just the overflow bucket)
  // fold into the last one; missing entries (a malformed hand-built value) count 0.
  auto* counts = point->mutable_bucket_counts();
  counts->Resize(static_cast<int>(bounds + 1), 0);
  uint64_t total = 0;
  for (size_t i = 0; i < h.bucket_counts.size(); ++i) {
    (*counts)[static_cast<int>(std::min(i, bounds))] += h.bucket_counts[i];
    total += h.bucket_counts[i];
  }
  point->set_count(total);  // OTLP requires count == sum of bucket_counts.
  point->set_sum(total == 0 ? 0.0 : h.sum);
  if (total > 0) point->set_max(h.max);
}

// The Metric for the group of series starting with `first`, with its data container set.
pb::Metric* StartMetric(const SeriesSnapshot& first, pb::ScopeMetrics* scope) {
  pb::Metric* metric = scope->add_metrics();
  metric->set_name(metrics_internal::ToValidUtf8(first.name));
  metric->set_unit(metrics_internal::ToValidUtf8(OtlpUnit(first.unit)));
  switch (first.kind) {
    case SeriesKind::kCounter: {
      pb::Sum* sum = metric->mutable_sum();
      sum->set_aggregation_temporality(pb::AGGREGATION_TEMPORALITY_CUMULATIVE);
      sum->set_is_monotonic(true);
      break;
    }
    case SeriesKind::kGauge:
      metric->mutable_gauge();
      break;
    case SeriesKind::kHistogram:
      metric->mutable_histogram()->set_aggregation_temporality(
          pb::AGGREGATION_TEMPORALITY_CUMULATIVE);
      break;
  }
  return metric;
}

}  // namespace

std::string OtlpUnit(absl::string_view unit) {
  if (unit == "seconds") return "s";
  if (unit == "milliseconds") return "ms";
  if (unit == "microseconds") return "us";
  if (unit == "nanoseconds") return "ns";
  if (unit == "bytes") return "By";
  if (unit == "percent") return "%";
  return std::string(unit);
}

OtlpEncoded EncodeOtlpMetrics(const MetricsSnapshot& snapshot, const OtlpResource& resource,
                              const InstanceTagPolicy& policy, absl::Time start_time,
                              absl::Time now) {
  OtlpEncoded encoded;
  pb::ResourceMetrics* resource_metrics = encoded.request.add_resource_metrics();
  EncodeResource(resource, resource_metrics->mutable_resource());
  pb::ScopeMetrics* scope = resource_metrics->add_scope_metrics();
  scope->mutable_scope()->set_name(std::string(kOtlpScopeName));
  scope->mutable_scope()->set_version(std::string(kOtlpScopeVersion));

  const uint64_t start_nanos = UnixNanos(start_time);
  const uint64_t now_nanos = UnixNanos(now);
  const std::vector<SeriesSnapshot>& all = snapshot.series();
  // Sorted by name: each name is one contiguous group, whose first series fixes kind and unit.
  pb::Metric* metric = nullptr;
  const SeriesSnapshot* owner = nullptr;
  absl::flat_hash_set<Tags> seen;  // exported attribute sets of the current group
  for (const SeriesSnapshot& series : all) {
    if (owner == nullptr || owner->name != series.name) {
      owner = &series;
      metric = StartMetric(series, scope);
      seen.clear();
    }
    if (series.kind != owner->kind || series.unit != owner->unit) {
      ++encoded.dropped_series;
      continue;
    }
    Tags tags = policy.Apply(series.tags, ExporterKind::kPush);
    if (seen.contains(tags)) {
      ++encoded.dropped_series;
      continue;
    }
    switch (series.kind) {
      case SeriesKind::kCounter:
      case SeriesKind::kGauge: {
        pb::NumberDataPoint* point = series.kind == SeriesKind::kCounter
                                         ? metric->mutable_sum()->add_data_points()
                                         : metric->mutable_gauge()->add_data_points();
        SetAttributes(tags, point->mutable_attributes());
        point->set_start_time_unix_nano(start_nanos);
        point->set_time_unix_nano(now_nanos);
        SetNumberValue(series, point);
        break;
      }
      case SeriesKind::kHistogram: {
        pb::HistogramDataPoint* point = metric->mutable_histogram()->add_data_points();
        SetAttributes(tags, point->mutable_attributes());
        point->set_start_time_unix_nano(start_nanos);
        point->set_time_unix_nano(now_nanos);
        SetHistogramValue(series.histogram, point);
        break;
      }
    }
    seen.insert(std::move(tags));
    ++encoded.data_points;
  }
  return encoded;
}

}  // namespace failover
