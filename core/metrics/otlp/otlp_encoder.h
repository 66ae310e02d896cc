// OTLP encoding of a MetricsSnapshot: builds the ExportMetricsServiceRequest (OpenTelemetry
// protocol, metrics) that an OTLP exporter sends as the body of POST /v1/metrics. Pure: no I/O,
// no clock (the caller passes the export time and the start of the cumulative interval).
//
// Mapping:
//   - One ResourceMetrics. Its Resource holds `service.name` (the trimmed OtlpResource value;
//     blank -> "unknown_service", OpenTelemetry's default), `service.instance.id` (left out when
//     blank), then the extra attributes in the given order. An extra attribute whose key is already
//     present is left out (the first value wins) and counted in Resource.dropped_attributes_count.
//   - One ScopeMetrics with scope name kOtlpScopeName and version kOtlpScopeVersion.
//   - All series of one meter name become ONE Metric (the snapshot is sorted by name, then tags),
//     named with the meter's dotted name unchanged (OpenTelemetry's convention, unlike
//     Prometheus), unit OtlpUnit(series.unit), no description. One data point per series.
//   - Counter -> Sum{is_monotonic = true, CUMULATIVE}: as_int when the value is an exact
//     non-negative integer that fits int64 (every count below 2^63), else as_double.
//   - Gauge -> Gauge, as_double. NaN and infinities are encoded as they are (OTLP carries any
//     double; the receiver decides what a NaN gauge means).
//   - Histogram and timer -> Histogram{CUMULATIVE}: explicit_bounds = the layout's upper bounds
//     (a final +Inf bound, if a hand-built value has one, is left out: OTLP's last bucket is
//     implicit), bucket_counts = per-bucket counts, exactly explicit_bounds.size() + 1 of them
//     (the last being everything above the last bound), count = their sum, sum = the recorded
//     sum (0 when count is 0), max only when count > 0, min never (HistogramValue keeps none).
//   - Attributes of a point: the series' tags after policy.Apply(tags, ExporterKind::kPush),
//     as string values, in tag (key) order.
//   - Every point: start_time_unix_nano = start_time, time_unix_nano = now (times before the
//     Unix epoch encode as 0).
// Left out and counted in OtlpEncoded::dropped_series (the first series of a name, by name then
// tags, is the one kept): a series whose name already belongs to a series of another kind or
// unit, and a series whose attributes equal those of an earlier point of the same Metric (which
// happens when the policy replaces a series' own `instance` tag with the process id).
//
//   failover::OtlpEncoded encoded = failover::EncodeOtlpMetrics(
//       registry.Snapshot(), {"orders", "orders@host-1", {{"deployment.environment", "prod"}}},
//       policy, process_start, clock.WallNow());
//   std::string body = encoded.request.SerializeAsString();
//
// Thread-safety: free functions over immutable inputs; safe to call concurrently.
#ifndef FAILOVER_CORE_METRICS_OTLP_OTLP_ENCODER_H_
#define FAILOVER_CORE_METRICS_OTLP_OTLP_ENCODER_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/metrics/instance_tag_policy.h"
#include "core/metrics/metrics_snapshot.h"
#include "proto/otlp_metrics.pb.h"

namespace failover {

// The InstrumentationScope every metric is reported under.
inline constexpr absl::string_view kOtlpScopeName = "failover-toolkit";
inline constexpr absl::string_view kOtlpScopeVersion = "1";

// Who is reporting: becomes the OTLP Resource.
struct OtlpResource {
  std::string service_name;         // "" -> "unknown_service" (OpenTelemetry's default)
  std::string service_instance_id;  // "" -> attribute left out
  std::vector<std::pair<std::string, std::string>> attributes;  // extra string attributes
};

struct OtlpEncoded {
  otlp::v1::ExportMetricsServiceRequest request;
  // Data points in `request` (number and histogram points together).
  size_t data_points = 0;
  // Series left out because of a name or attribute clash (see the file comment).
  size_t dropped_series = 0;
};

// The whole request for `snapshot`; see the file comment for the mapping.
OtlpEncoded EncodeOtlpMetrics(const MetricsSnapshot& snapshot, const OtlpResource& resource,
                              const InstanceTagPolicy& policy, absl::Time start_time,
                              absl::Time now);

// A registry unit in UCUM, as OTLP expects: "seconds" -> "s", "milliseconds" -> "ms",
// "microseconds" -> "us", "nanoseconds" -> "ns", "bytes" -> "By", "percent" -> "%", "" -> "";
// anything else unchanged.
std::string OtlpUnit(absl::string_view unit);

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_OTLP_OTLP_ENCODER_H_
