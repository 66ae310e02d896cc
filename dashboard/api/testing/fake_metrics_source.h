// FakeMetricsSource: a MetricsSource whose series, instances and failure tests set by hand, and
// builders for v1::MetricSeries. Test-only.
//
//   FakeMetricsSource source;
//   source.SetSeries({CounterSeries("failover.store.total", {{"name", "q"}, {"stored", "true"}},
//   90)}); source.SetError(absl::UnavailableError("db down"));  // Series() fails from now on
//
// Thread-safe.
#ifndef FAILOVER_DASHBOARD_API_TESTING_FAKE_METRICS_SOURCE_H_
#define FAILOVER_DASHBOARD_API_TESTING_FAKE_METRICS_SOURCE_H_

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "core/sync.h"
#include "dashboard/metrics_source.h"

namespace failover {
namespace dashboard {

using TagList = std::initializer_list<std::pair<absl::string_view, absl::string_view>>;

// Tags are sorted by key, as MetricsSource promises.
v1::MetricSeries CounterSeries(absl::string_view name, TagList tags, double value);
v1::MetricSeries GaugeSeries(absl::string_view name, TagList tags, double value);
// Cumulative buckets (upper bound, cumulative count); the last bound should be +Inf.
v1::MetricSeries HistogramSeries(absl::string_view name, TagList tags,
                                 std::vector<std::pair<double, uint64_t>> buckets, double sum,
                                 double max);

// The reference's worked example for failover `name`: 90 stored successes, 8 recovered,
// 1 not recovered, 1 error, calls 90/10.
std::vector<v1::MetricSeries> WorkedExampleSeries(absl::string_view name, absl::string_view domain);

class FakeMetricsSource final : public MetricsSource {
 public:
  explicit FakeMetricsSource(std::string mode = "shared-store") : mode_(std::move(mode)) {}

  void SetSeries(std::vector<v1::MetricSeries> series);
  void SetInstances(std::vector<InstanceStatus> instances);
  // Series() answers `error` (OK: the series again).
  void SetError(absl::Status error);
  int series_calls() const;

  std::string mode() const override { return mode_; }
  absl::StatusOr<std::vector<v1::MetricSeries>> Series() override;
  std::vector<InstanceStatus> Instances() override;

 private:
  const std::string mode_;
  mutable Mutex mu_;
  std::vector<v1::MetricSeries> series_ ABSL_GUARDED_BY(mu_);
  std::vector<InstanceStatus> instances_ ABSL_GUARDED_BY(mu_);
  absl::Status error_ ABSL_GUARDED_BY(mu_);
  int series_calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_API_TESTING_FAKE_METRICS_SOURCE_H_
