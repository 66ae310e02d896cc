// Prometheus text exposition (format 0.0.4) of a MetricsSnapshot, for a /metrics endpoint that a
// Prometheus server scrapes. Meter names become Prometheus names (dots and other invalid
// characters -> '_'; counters end in `_total`, not doubled; a unit is appended as `_<unit>` when
// the name lacks it, so timers become `..._seconds`); histograms and timers are written as
// cumulative `_bucket{le=...}` series ending with `le="+Inf"`, plus `_sum` and `_count`. Each
// family has one HELP line (the meter's own dotted name, so a reader can map it back) and one TYPE
// line; families are sorted by name, samples by label set. The `instance` tag follows the
// InstanceTagPolicy for pull exporters (`auto` leaves it to the scraper).
//
// Serve the result with any HTTP server (core links none):
//
//   failover::PrometheusExposition page =
//       failover::RenderPrometheusExposition(registry.Snapshot(), instance_policy);
//   res.set_content(page.body, page.content_type);
//
// Series that would be invalid or ambiguous in Prometheus are left out rather than breaking the
// whole page: a series whose family name is already taken by a meter of another kind (e.g. a gauge
// `x.total` and a counter `x`), a second series with the same family and label set, and a series
// two of whose tag keys map to one label name (keys that differ only in characters the sanitising
// maps to '_'), and a series whose family name is a sample name of a histogram family or the
// reverse (a gauge `h_count` beside a histogram `h`). Of such a clash the meter that sorts first
// by name, then tags, is kept. Bytes that are not valid UTF-8 in tag values and HELP text are
// replaced with U+FFFD (Prometheus rejects the whole page otherwise).
// `dropped_series` counts the rest.
//
// Thread-safety: free functions over immutable inputs; safe to call concurrently.
#ifndef FAILOVER_CORE_METRICS_PROMETHEUS_TEXT_H_
#define FAILOVER_CORE_METRICS_PROMETHEUS_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "core/metrics/instance_tag_policy.h"
#include "core/metrics/metrics_snapshot.h"

namespace failover {

inline constexpr absl::string_view kPrometheusTextContentType =
    "text/plain; version=0.0.4; charset=utf-8";

struct PrometheusExposition {
  // kPrometheusTextContentType.
  std::string content_type;
  std::string body;
  // Series left out because their name or label set clashed with another (see above).
  size_t dropped_series = 0;
};

// The whole page for `snapshot`, tagged as `instance_policy` says for
// ExporterKind::kPrometheusPull.
PrometheusExposition RenderPrometheusExposition(const MetricsSnapshot& snapshot,
                                                const InstanceTagPolicy& instance_policy);

// The family name a meter is exposed under, e.g. ("failover.call.total", kCounter, "") ->
// "failover_call_total", ("failover.store", kCounter, "") -> "failover_store_total",
// ("failover.operation.duration", kHistogram, "seconds") -> "failover_operation_duration_seconds".
// Histogram samples add `_bucket`, `_sum` and `_count` to it.
std::string PrometheusFamilyName(absl::string_view meter_name, SeriesKind kind,
                                 absl::string_view unit);

// A tag key as a label name matching [a-zA-Z_][a-zA-Z0-9_]*: invalid characters become '_', a
// leading digit gets a '_' prefix, and an empty key becomes "_". Names Prometheus reserves (a
// leading "__") get the prefix "tag". (The renderer also renames a histogram's own `le` tag to
// `tag_le`, since `le` holds the bucket bound there.)
std::string PrometheusLabelName(absl::string_view tag_key);

// `value` with \ " and newline escaped, for a label value between double quotes; invalid UTF-8
// replaced with U+FFFD.
std::string EscapePrometheusLabelValue(absl::string_view value);

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_PROMETHEUS_TEXT_H_
