// FailoverSummary: the per-failover figures of the scheduled report (failover.scheduler.
// report-cron), computed from a MetricsSnapshot with the reference's meter names:
//   failover.store.total{name,stored}          S = series with stored="true"
//   failover.recovery.outcome.total{name,domain,outcome=recovered|not_recovered|error}
//   failover.call.total{name,domain,result=success|failover}   (calls, shown for context)
// and the dashboard's KPIs and health class (core/metrics/failover_kpis.h).
//
//   std::vector<failover::FailoverSummary> summaries =
//       failover::SummarizeFailovers(registry.Snapshot(), config.dashboard.health);
//   for (const auto& s : summaries) std::puts(failover::FormatFailoverSummary(s).c_str());
//
// Plain values and pure functions: thread-safe.
#ifndef FAILOVER_STORE_JDBC_SCHEDULING_FAILOVER_SUMMARY_H_
#define FAILOVER_STORE_JDBC_SCHEDULING_FAILOVER_SUMMARY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/config/dashboard_config.h"
#include "core/metrics/failover_kpis.h"
#include "core/metrics/metrics_snapshot.h"

namespace failover {

struct FailoverSummary {
  std::string name;               // the `name` tag
  std::string domain;             // the `domain` tag of its recovery/call series; empty when none
  uint64_t stored_successes = 0;  // S
  uint64_t recovered = 0;
  uint64_t not_recovered = 0;
  uint64_t errors = 0;
  uint64_t success_calls = 0;   // failover.call.total{result=success}
  uint64_t failover_calls = 0;  // failover.call.total{result=failover}
  double success_rate = 0;
  double failover_rate = 0;
  double recovery_rate = 0;
  double non_recovery_rate = 0;
  double healthy_rate = 0;
  FailoverHealth health = FailoverHealth::kHealthy;

  uint64_t failovers() const { return recovered + not_recovered + errors; }  // F
};

// One summary per `name` seen on any of the three meters (summed over domains), by name.
std::vector<FailoverSummary> SummarizeFailovers(const MetricsSnapshot& snapshot,
                                                const HealthThresholdsConfig& health = {});

// "name=quotes domain=orders health=DEGRADED healthy=0.980 success=0.900 failover=0.100
// recovery=0.800 non_recovery=0.200 stored=90 recovered=8 not_recovered=1 error=1 calls=90/10"
// (calls = success/failover from failover.call.total).
std::string FormatFailoverSummary(const FailoverSummary& summary);

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SCHEDULING_FAILOVER_SUMMARY_H_
