#include "dashboard/api/testing/fake_metrics_source.h"

#include <algorithm>

namespace failover {
namespace dashboard {
namespace {

v1::MetricSeries Named(absl::string_view name, TagList tags) {
  std::vector<std::pair<absl::string_view, absl::string_view>> sorted(tags);
  std::sort(sorted.begin(), sorted.end());
  v1::MetricSeries series;
  series.set_name(std::string(name));
  for (const auto& [key, value] : sorted) {
    v1::Tag* tag = series.add_tags();
    tag->set_key(std::string(key));
    tag->set_value(std::string(value));
  }
  return series;
}

}  // namespace

v1::MetricSeries CounterSeries(absl::string_view name, TagList tags, double value) {
  v1::MetricSeries series = Named(name, tags);
  series.set_counter(value);
  return series;
}

v1::MetricSeries GaugeSeries(absl::string_view name, TagList tags, double value) {
  v1::MetricSeries series = Named(name, tags);
  series.set_gauge(value);
  return series;
}

v1::MetricSeries HistogramSeries(absl::string_view name, TagList tags,
                                 std::vector<std::pair<double, uint64_t>> buckets, double sum,
                                 double max) {
  v1::MetricSeries series = Named(name, tags);
  series.set_unit("seconds");
  v1::Histogram* histogram = series.mutable_histogram();
  for (const auto& [bound, count] : buckets) {
    v1::Histogram::Bucket* bucket = histogram->add_buckets();
    bucket->set_upper_bound(bound);
    bucket->set_cumulative_count(count);
  }
  histogram->set_count(buckets.empty() ? 0 : buckets.back().second);
  histogram->set_sum(sum);
  histogram->set_max(max);
  return series;
}

std::vector<v1::MetricSeries> WorkedExampleSeries(absl::string_view name,
                                                  absl::string_view domain) {
  return {
      CounterSeries("failover.call.total",
                    {{"name", name}, {"domain", domain}, {"result", "success"}}, 90),
      CounterSeries("failover.call.total",
                    {{"name", name}, {"domain", domain}, {"result", "failover"}}, 10),
      CounterSeries("failover.recovery.outcome.total",
                    {{"name", name}, {"domain", domain}, {"outcome", "error"}}, 1),
      CounterSeries("failover.recovery.outcome.total",
                    {{"name", name}, {"domain", domain}, {"outcome", "not_recovered"}}, 1),
      CounterSeries("failover.recovery.outcome.total",
                    {{"name", name}, {"domain", domain}, {"outcome", "recovered"}}, 8),
      CounterSeries("failover.store.total", {{"name", name}, {"stored", "false"}}, 4),
      CounterSeries("failover.store.total", {{"name", name}, {"stored", "true"}}, 90),
  };
}

void FakeMetricsSource::SetSeries(std::vector<v1::MetricSeries> series) {
  MutexLock lock(&mu_);
  series_ = std::move(series);
}

void FakeMetricsSource::SetInstances(std::vector<InstanceStatus> instances) {
  MutexLock lock(&mu_);
  instances_ = std::move(instances);
}

void FakeMetricsSource::SetError(absl::Status error) {
  MutexLock lock(&mu_);
  error_ = std::move(error);
}

int FakeMetricsSource::series_calls() const {
  MutexLock lock(&mu_);
  return series_calls_;
}

absl::StatusOr<std::vector<v1::MetricSeries>> FakeMetricsSource::Series() {
  MutexLock lock(&mu_);
  ++series_calls_;
  if (!error_.ok()) return error_;
  return series_;
}

std::vector<InstanceStatus> FakeMetricsSource::Instances() {
  MutexLock lock(&mu_);
  return instances_;
}

}  // namespace dashboard
}  // namespace failover
