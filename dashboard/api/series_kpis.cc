#include "dashboard/api/series_kpis.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <utility>

#include "absl/strings/string_view.h"

namespace failover {
namespace dashboard {
namespace {

constexpr absl::string_view kStoreTotal = "failover.store.total";
constexpr absl::string_view kRecoveryOutcome = "failover.recovery.outcome.total";
constexpr absl::string_view kCallTotal = "failover.call.total";
constexpr absl::string_view kUpstreamDuration = "failover.upstream.duration";
constexpr absl::string_view kOperationDuration = "failover.operation.duration";
constexpr absl::string_view kExceptionTotal = "failover.exception.total";

// Tags are few (at most a handful per series): a linear scan beats anything cleverer.
const std::string* FindTag(const v1::MetricSeries& series, absl::string_view key) {
  for (const v1::Tag& tag : series.tags()) {
    if (tag.key() == key) return &tag.value();
  }
  return nullptr;
}

bool HasTag(const v1::MetricSeries& series, absl::string_view key, absl::string_view value) {
  const std::string* found = FindTag(series, key);
  return found != nullptr && *found == value;
}

uint64_t CounterCount(const v1::MetricSeries& series) {
  const double value = series.counter();
  if (!(value > 0)) return 0;  // also NaN
  if (value >= 1.8e19) return std::numeric_limits<uint64_t>::max();
  return static_cast<uint64_t>(std::llround(value));
}

void AddCounter(const v1::MetricSeries& series, ApiKpis& api) {
  const uint64_t count = CounterCount(series);
  if (series.name() == kStoreTotal) {
    if (HasTag(series, "stored", "true")) api.counts.stored_successes += count;
    return;
  }
  if (api.domain.empty()) {
    if (const std::string* domain = FindTag(series, "domain")) api.domain = *domain;
  }
  const std::string* tag =
      FindTag(series, series.name() == kRecoveryOutcome ? "outcome" : "result");
  if (tag == nullptr) return;
  if (series.name() == kRecoveryOutcome) {
    if (*tag == "recovered") api.counts.recovered += count;
    if (*tag == "not_recovered") api.counts.not_recovered += count;
    if (*tag == "error") api.counts.errors += count;
  } else if (*tag == "success") {
    api.success_calls += count;
  } else if (*tag == "failover") {
    api.failover_calls += count;
  }
}

LatencySummary Summarise(const v1::Histogram& histogram) {
  LatencySummary summary;
  summary.count = histogram.count();
  summary.sum = histogram.sum();
  summary.max = histogram.max();
  summary.p50 = HistogramQuantile(histogram, 0.50);
  summary.p99 = HistogramQuantile(histogram, 0.99);
  return summary;
}

int Severity(FailoverHealth health) {
  switch (health) {
    case FailoverHealth::kUnhealthy:
      return 0;
    case FailoverHealth::kDegraded:
      return 1;
    case FailoverHealth::kHealthy:
      return 2;
  }
  return 3;
}

}  // namespace

absl::string_view ApiHealthName(const ApiKpis& api) {
  return api.idle() ? "IDLE" : FailoverHealthName(api.kpis.health);
}

bool FleetKpis::any_unhealthy() const {
  return std::any_of(apis.begin(), apis.end(), [](const ApiKpis& api) {
    return !api.idle() && api.kpis.health == FailoverHealth::kUnhealthy;
  });
}

FleetKpis ComputeFleetKpis(const std::vector<v1::MetricSeries>& series,
                           const HealthThresholdsConfig& thresholds) {
  std::map<std::string, ApiKpis, std::less<>> by_name;
  // Histograms per API, merged over `result` (upstream) and per `action` (operation).
  std::map<std::string, v1::Histogram, std::less<>> upstream;
  std::map<std::pair<std::string, std::string>, v1::Histogram> operation;
  for (const v1::MetricSeries& s : series) {
    const bool counter_meter =
        s.name() == kStoreTotal || s.name() == kRecoveryOutcome || s.name() == kCallTotal;
    const bool timer_meter = s.name() == kUpstreamDuration || s.name() == kOperationDuration;
    if (!counter_meter && !timer_meter) continue;
    const std::string* name = FindTag(s, "name");
    if (name == nullptr) continue;
    if (counter_meter && s.value_case() == v1::MetricSeries::kCounter) {
      auto it = by_name.find(*name);
      if (it == by_name.end()) it = by_name.emplace(*name, ApiKpis{}).first;
      it->second.name = *name;
      AddCounter(s, it->second);
    } else if (timer_meter && s.value_case() == v1::MetricSeries::kHistogram) {
      if (s.name() == kUpstreamDuration) {
        v1::Histogram& merged = upstream[*name];
        merged = MergeHistograms(merged, s.histogram());
      } else {
        const std::string* action = FindTag(s, "action");
        v1::Histogram& merged = operation[{*name, action == nullptr ? "" : *action}];
        merged = MergeHistograms(merged, s.histogram());
      }
    }
  }
  FleetKpis fleet;
  fleet.apis.reserve(by_name.size());
  for (auto& [name, api] : by_name) {
    api.kpis = ComputeFailoverKpis(api.counts, thresholds);
    if (auto it = upstream.find(name); it != upstream.end()) {
      api.upstream_latency = Summarise(it->second);
    }
    for (auto it = operation.lower_bound({name, ""});
         it != operation.end() && it->first.first == name; ++it) {
      api.operation_latency[it->first.second] = Summarise(it->second);
    }
    fleet.total_counts += api.counts;
    fleet.success_calls += api.success_calls;
    fleet.failover_calls += api.failover_calls;
    fleet.apis.push_back(std::move(api));
  }
  fleet.total = ComputeFailoverKpis(fleet.total_counts, thresholds);
  return fleet;
}

void SortWorstFirst(std::vector<ApiKpis>& apis) {
  std::sort(apis.begin(), apis.end(), [](const ApiKpis& a, const ApiKpis& b) {
    const auto rank = [](const ApiKpis& api) { return api.idle() ? 3 : Severity(api.kpis.health); };
    return std::make_tuple(rank(a), a.kpis.healthy_rate, a.name) <
           std::make_tuple(rank(b), b.kpis.healthy_rate, b.name);
  });
}

std::vector<ExceptionCount> CountExceptions(const std::vector<v1::MetricSeries>& series) {
  std::map<std::pair<std::string, std::string>, uint64_t> counts;
  for (const v1::MetricSeries& s : series) {
    if (s.name() != kExceptionTotal || s.value_case() != v1::MetricSeries::kCounter) continue;
    const std::string* name = FindTag(s, "name");
    const std::string* type = FindTag(s, "exception_type");
    counts[{name == nullptr ? "" : *name, type == nullptr ? "" : *type}] += CounterCount(s);
  }
  std::vector<ExceptionCount> out;
  out.reserve(counts.size());
  for (const auto& [key, count] : counts) out.push_back({key.first, key.second, count});
  std::stable_sort(out.begin(), out.end(), [](const ExceptionCount& a, const ExceptionCount& b) {
    return a.count > b.count;
  });
  return out;
}

double HistogramQuantile(const v1::Histogram& histogram, double q) {
  if (histogram.count() == 0 || histogram.buckets_size() == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  const double rank = q * static_cast<double>(histogram.count());
  double lower = 0;
  uint64_t below = 0;
  for (const v1::Histogram::Bucket& bucket : histogram.buckets()) {
    const double upper = bucket.upper_bound();
    if (static_cast<double>(bucket.cumulative_count()) >= rank && bucket.cumulative_count() > 0) {
      if (std::isinf(upper)) return std::max(lower, histogram.max());
      const uint64_t in_bucket =
          bucket.cumulative_count() - std::min(below, bucket.cumulative_count());
      const double fraction =
          in_bucket == 0 ? 1.0
                         : (rank - static_cast<double>(below)) / static_cast<double>(in_bucket);
      const double value = lower + (upper - lower) * std::clamp(fraction, 0.0, 1.0);
      return histogram.max() > 0 ? std::min(value, histogram.max()) : value;
    }
    lower = upper;
    below = bucket.cumulative_count();
  }
  return std::max(lower, histogram.max());
}

v1::Histogram MergeHistograms(const v1::Histogram& into, const v1::Histogram& from) {
  if (into.buckets_size() == 0 && into.count() == 0) return from;
  if (from.buckets_size() == 0 && from.count() == 0) return into;
  v1::Histogram merged;
  merged.set_count(into.count() + from.count());
  merged.set_sum(into.sum() + from.sum());
  merged.set_max(std::max(into.max(), from.max()));
  int i = 0;
  int j = 0;
  uint64_t cum_a = 0;
  uint64_t cum_b = 0;
  while (i < into.buckets_size() || j < from.buckets_size()) {
    const double a = i < into.buckets_size() ? into.buckets(i).upper_bound()
                                             : std::numeric_limits<double>::quiet_NaN();
    const double b = j < from.buckets_size() ? from.buckets(j).upper_bound()
                                             : std::numeric_limits<double>::quiet_NaN();
    double bound;
    if (j >= from.buckets_size() || (i < into.buckets_size() && a <= b)) {
      bound = a;
    } else {
      bound = b;
    }
    if (i < into.buckets_size() && into.buckets(i).upper_bound() == bound) {
      cum_a = into.buckets(i++).cumulative_count();
    }
    if (j < from.buckets_size() && from.buckets(j).upper_bound() == bound) {
      cum_b = from.buckets(j++).cumulative_count();
    }
    v1::Histogram::Bucket* bucket = merged.add_buckets();
    bucket->set_upper_bound(bound);
    bucket->set_cumulative_count(cum_a + cum_b);
  }
  return merged;
}

}  // namespace dashboard
}  // namespace failover
