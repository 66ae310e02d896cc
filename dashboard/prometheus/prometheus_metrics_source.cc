#include "dashboard/prometheus/prometheus_metrics_source.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/metrics/metrics_registry.h"
#include "core/metrics/prometheus_text.h"
#include "dashboard/prometheus/httplib_prometheus_client.h"
#include "dashboard/prometheus/internal/query_response.h"

namespace failover {
namespace dashboard {
namespace {

using Labels = std::map<std::string, std::string>;

// Labels Prometheus attaches per target: summed away for counters and histograms.
constexpr char kWithoutTarget[] = "sum without (instance, job, exported_instance) ";

// `labels` without the ones in `drop`, as sorted tags of `out`.
void SetTags(const Labels& labels, const std::set<std::string>& drop, v1::MetricSeries* out) {
  for (const auto& [key, value] : labels) {
    if (key == "__name__" || drop.count(key) > 0) continue;
    v1::Tag* tag = out->add_tags();
    tag->set_key(key);
    tag->set_value(value);
  }
}

bool SeriesLess(const v1::MetricSeries& a, const v1::MetricSeries& b) {
  if (a.name() != b.name()) return a.name() < b.name();
  const int n = std::min(a.tags_size(), b.tags_size());
  for (int i = 0; i < n; ++i) {
    if (a.tags(i).key() != b.tags(i).key()) return a.tags(i).key() < b.tags(i).key();
    if (a.tags(i).value() != b.tags(i).value()) return a.tags(i).value() < b.tags(i).value();
  }
  return a.tags_size() < b.tags_size();
}

uint64_t ToCount(double value) {
  if (!(value > 0)) return 0;  // NaN and negatives (never from a counter) as 0
  if (value >= static_cast<double>(std::numeric_limits<uint64_t>::max())) {
    return std::numeric_limits<uint64_t>::max();
  }
  return static_cast<uint64_t>(std::llround(value));
}

// The pieces of one histogram series gathered from the three queries.
struct HistogramParts {
  std::map<double, double> buckets;  // upper bound -> cumulative count
  double sum = 0;
  double count = -1;  // -1: no _count sample
};

}  // namespace

absl::StatusOr<std::unique_ptr<PrometheusMetricsSource>> PrometheusMetricsSource::Create(
    const PrometheusClusterConfig& config, PrometheusMetricsSourceOptions options) {
  absl::StatusOr<std::unique_ptr<PrometheusClient>> client = NewHttplibPrometheusClient(config);
  if (!client.ok()) return client.status();
  return std::make_unique<PrometheusMetricsSource>(*std::move(client), std::move(options));
}

PrometheusMetricsSource::PrometheusMetricsSource(std::unique_ptr<PrometheusClient> client,
                                                 PrometheusMetricsSourceOptions options)
    : client_(std::move(client)), options_(std::move(options)) {}

std::string PrometheusMetricsSource::LastOverTime(const std::string& prometheus_name) const {
  const int64_t seconds = std::max<int64_t>(1, absl::ToInt64Seconds(options_.lookback));
  return absl::StrCat("last_over_time(", prometheus_name, "[", seconds, "s])");
}

absl::StatusOr<std::vector<PrometheusSample>> PrometheusMetricsSource::Query(
    const std::string& promql, const MeterFamily& family) {
  absl::StatusOr<std::vector<PrometheusSample>> samples = client_->Query(promql);
  if (!samples.ok()) {
    return absl::Status(samples.status().code(),
                        absl::StrCat("reading ", family.name, " with '", promql,
                                     "': ", samples.status().message()));
  }
  return samples;
}

absl::StatusOr<std::vector<v1::MetricSeries>> PrometheusMetricsSource::Series() {
  std::vector<v1::MetricSeries> out;
  for (const MeterFamily& family : options_.families) {
    absl::Status status = AppendFamily(family, &out);
    if (!status.ok()) return status;
  }
  std::sort(out.begin(), out.end(), SeriesLess);
  return out;
}

absl::Status PrometheusMetricsSource::AppendFamily(const MeterFamily& family,
                                                   std::vector<v1::MetricSeries>* out) {
  const std::string name = PrometheusFamilyName(family.name, family.kind, family.unit);
  if (family.kind == SeriesKind::kHistogram) return AppendHistograms(family, name, out);
  const bool counter = family.kind == SeriesKind::kCounter;
  const std::string promql =
      counter ? absl::StrCat(kWithoutTarget, "(", LastOverTime(name), ")") : LastOverTime(name);
  absl::StatusOr<std::vector<PrometheusSample>> samples = Query(promql, family);
  if (!samples.ok()) return samples.status();
  for (const PrometheusSample& sample : *samples) {
    v1::MetricSeries& series = out->emplace_back();
    series.set_name(family.name);
    series.set_unit(family.unit);
    if (counter) {
      SetTags(sample.labels, {}, &series);
      series.set_counter(sample.value);
    } else {
      SetTags(sample.labels, {"job", "exported_instance"}, &series);
      series.set_gauge(sample.value);
    }
  }
  return absl::OkStatus();
}

absl::Status PrometheusMetricsSource::AppendHistograms(const MeterFamily& family,
                                                       const std::string& prometheus_name,
                                                       std::vector<v1::MetricSeries>* out) {
  std::map<Labels, HistogramParts> histograms;
  for (const absl::string_view suffix : {"_bucket", "_sum", "_count"}) {
    const std::string promql =
        absl::StrCat(kWithoutTarget, "(", LastOverTime(absl::StrCat(prometheus_name, suffix)), ")");
    absl::StatusOr<std::vector<PrometheusSample>> samples = Query(promql, family);
    if (!samples.ok()) return samples.status();
    for (PrometheusSample& sample : *samples) {
      if (suffix == "_sum") {
        histograms[sample.labels].sum = sample.value;
        continue;
      }
      if (suffix == "_count") {
        histograms[sample.labels].count = sample.value;
        continue;
      }
      const auto le = sample.labels.find("le");
      if (le == sample.labels.end()) continue;
      absl::StatusOr<double> bound = prometheus_internal::ParseSampleValue(le->second);
      if (!bound.ok()) {
        return absl::InternalError(absl::StrCat("reading ", family.name, ": bucket le='",
                                                le->second, "' is not a number"));
      }
      sample.labels.erase(le);
      histograms[sample.labels].buckets[*bound] = sample.value;
    }
  }
  constexpr double kInf = std::numeric_limits<double>::infinity();
  for (auto& [labels, parts] : histograms) {
    if (parts.buckets.empty() && parts.count < 0) continue;
    if (parts.count < 0) parts.count = parts.buckets.rbegin()->second;
    parts.buckets.emplace(kInf, parts.count);  // keeps a +Inf bucket already there
    v1::MetricSeries& series = out->emplace_back();
    series.set_name(family.name);
    series.set_unit(family.unit);
    SetTags(labels, {}, &series);
    v1::Histogram* histogram = series.mutable_histogram();
    histogram->set_count(ToCount(parts.count));
    histogram->set_sum(parts.sum);
    for (const auto& [bound, cumulative] : parts.buckets) {
      v1::Histogram::Bucket* bucket = histogram->add_buckets();
      bucket->set_upper_bound(bound);
      bucket->set_cumulative_count(ToCount(cumulative));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<InstanceStatus>> PrometheusMetricsSource::QueryInstances() {
  static const MeterFamily kUp{"up", SeriesKind::kGauge, ""};
  const std::string marker =
      PrometheusFamilyName(MetricsRegistry::kDeniedMetric, SeriesKind::kCounter, "");
  const std::string promql =
      absl::StrCat("max by (instance) (up and on (instance, job) group by (instance, job) (",
                   LastOverTime(marker), "))");
  absl::StatusOr<std::vector<PrometheusSample>> samples = Query(promql, kUp);
  if (!samples.ok()) return samples.status();
  std::vector<InstanceStatus> instances;
  for (const PrometheusSample& sample : *samples) {
    const auto instance = sample.labels.find("instance");
    if (instance == sample.labels.end()) continue;
    InstanceStatus& status = instances.emplace_back();
    status.instance_id = instance->second;
    status.liveness = sample.value == 1 ? Liveness::kLive : Liveness::kDown;
  }
  std::sort(instances.begin(), instances.end(),
            [](const InstanceStatus& a, const InstanceStatus& b) {
              return a.instance_id < b.instance_id;
            });
  return instances;
}

std::vector<InstanceStatus> PrometheusMetricsSource::Instances() {
  absl::StatusOr<std::vector<InstanceStatus>> instances = QueryInstances();
  if (!instances.ok()) return {};
  return *std::move(instances);
}

}  // namespace dashboard
}  // namespace failover
