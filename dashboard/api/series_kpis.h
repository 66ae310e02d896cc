// Per-failover KPIs from the fleet's series (MetricsSource::Series()), with the reference's meter
// names:
//   failover.store.total{name,stored="true"}                         S (stored successes)
//   failover.recovery.outcome.total{name,domain,outcome=recovered|not_recovered|error}
//   failover.call.total{name,domain,result=success|failover}         calls, for context
//   failover.upstream.duration{name,result}                          histogram (seconds)
//   failover.operation.duration{name,action}                         histogram (seconds)
//   failover.exception.total{name,exception_type,...}                CountExceptions()
// The KPI math and health classes are core's (core/metrics/failover_kpis.h).
//
//   absl::StatusOr<std::vector<v1::MetricSeries>> series = source.Series();
//   FleetKpis fleet = ComputeFleetKpis(*series, config.dashboard.health);
//   SortWorstFirst(fleet.apis);
//   bool down = fleet.any_unhealthy();
//
// Plain values and pure functions: thread-safe.
#ifndef FAILOVER_DASHBOARD_API_SERIES_KPIS_H_
#define FAILOVER_DASHBOARD_API_SERIES_KPIS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/config/dashboard_config.h"
#include "core/metrics/failover_kpis.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace dashboard {

// A latency histogram summarised; values in the histogram's unit (seconds for timers).
struct LatencySummary {
  uint64_t count = 0;
  double sum = 0;
  double max = 0;
  double p50 = 0;
  double p99 = 0;
};

struct ApiKpis {
  std::string name;    // the `name` tag
  std::string domain;  // the `domain` tag of its recovery/call series; empty when none
  FailoverCounts counts;
  FailoverKpis kpis;
  uint64_t success_calls = 0;   // failover.call.total{result=success}
  uint64_t failover_calls = 0;  // failover.call.total{result=failover}
  // failover.upstream.duration over every `result`; nullopt when the API has no such series.
  std::optional<LatencySummary> upstream_latency;
  // failover.operation.duration by `action` (e.g. "store", "recover").
  std::map<std::string, LatencySummary> operation_latency;

  // No stored success and no failover yet (S + F = 0): the reference's formula gives healthy 0,
  // which would call an API that has not been used UNHEALTHY and the whole fleet DOWN. The
  // dashboard shows it as IDLE instead, sorted last and never making the fleet DOWN.
  bool idle() const { return counts.stored_successes + counts.failovers() == 0; }
};

// "IDLE" for an idle API, else the health class's name.
absl::string_view ApiHealthName(const ApiKpis& api);

struct FleetKpis {
  // One per `name` seen on failover.store.total, failover.recovery.outcome.total or
  // failover.call.total (summed over domains and other tags), by name.
  std::vector<ApiKpis> apis;
  FailoverCounts total_counts;  // summed over apis
  FailoverKpis total;           // the KPIs of total_counts
  uint64_t success_calls = 0;
  uint64_t failover_calls = 0;

  // True when an API (not idle) is UNHEALTHY: the reference's failover-health is then DOWN.
  bool any_unhealthy() const;
};

FleetKpis ComputeFleetKpis(const std::vector<v1::MetricSeries>& series,
                           const HealthThresholdsConfig& thresholds);

// Worst first: UNHEALTHY, then DEGRADED, then HEALTHY; within a class the lowest healthy rate
// first; ties by name.
void SortWorstFirst(std::vector<ApiKpis>& apis);

struct ExceptionCount {
  std::string name;            // the failover's `name` tag
  std::string exception_type;  // the `exception_type` tag
  uint64_t count = 0;          // summed over the series' other tags
};

// failover.exception.total grouped by (name, exception_type): largest count first, ties by name
// then type.
std::vector<ExceptionCount> CountExceptions(const std::vector<v1::MetricSeries>& series);

// The q-quantile (0 <= q <= 1) of a cumulative histogram, interpolated linearly inside its
// bucket as Prometheus' histogram_quantile() does (the first bucket from 0). A quantile in the
// +Inf bucket answers the largest finite bound (or max when larger). 0 when empty.
double HistogramQuantile(const v1::Histogram& histogram, double q);

// `into` plus `from`, bucket by bucket over the union of their bounds (a histogram lacking a
// bound contributes its cumulative count at its largest bound below it).
v1::Histogram MergeHistograms(const v1::Histogram& into, const v1::Histogram& from);

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_API_SERIES_KPIS_H_
