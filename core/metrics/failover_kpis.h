// The dashboard's per-failover KPIs and health class, from four counts of the reference's meters:
//   S             failover.store.total{stored="true"}            (stored successes)
//   recovered     failover.recovery.outcome.total{outcome="recovered"}
//   not_recovered failover.recovery.outcome.total{outcome="not_recovered"}
//   errors        failover.recovery.outcome.total{outcome="error"}
// With F = recovered + not_recovered + errors:
//   success = S/(S+F), failover = F/(S+F), recovery = recovered/F,
//   non-recovery = (not_recovered+errors)/F, healthy = (S+recovered)/(S+F); 0 when the
//   denominator is 0 (so a failover with no traffic is UNHEALTHY, as in the reference).
// Health: HEALTHY if healthy >= degraded_threshold (0.99), DEGRADED if >= unhealthy_threshold
// (0.90), else UNHEALTHY.
//
//   failover::FailoverCounts counts{.stored_successes = 90, .recovered = 8,
//                                   .not_recovered = 1, .errors = 1};
//   failover::FailoverKpis kpis = failover::ComputeFailoverKpis(counts, config.dashboard.health);
//   // kpis.healthy_rate == 0.98, kpis.health == FailoverHealth::kDegraded
//
// Plain values and pure functions: thread-safe.
#ifndef FAILOVER_CORE_METRICS_FAILOVER_KPIS_H_
#define FAILOVER_CORE_METRICS_FAILOVER_KPIS_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "core/config/dashboard_config.h"

namespace failover {

enum class FailoverHealth { kHealthy, kDegraded, kUnhealthy };

// "HEALTHY", "DEGRADED", "UNHEALTHY".
absl::string_view FailoverHealthName(FailoverHealth health);

struct FailoverCounts {
  uint64_t stored_successes = 0;  // S
  uint64_t recovered = 0;
  uint64_t not_recovered = 0;
  uint64_t errors = 0;

  uint64_t failovers() const { return recovered + not_recovered + errors; }  // F
  FailoverCounts& operator+=(const FailoverCounts& other);
};

struct FailoverKpis {
  double success_rate = 0;
  double failover_rate = 0;
  double recovery_rate = 0;
  double non_recovery_rate = 0;
  double healthy_rate = 0;
  FailoverHealth health = FailoverHealth::kUnhealthy;
};

// The health class of a healthy rate under `thresholds`.
FailoverHealth ClassifyHealth(double healthy_rate, const HealthThresholdsConfig& thresholds);

FailoverKpis ComputeFailoverKpis(const FailoverCounts& counts,
                                 const HealthThresholdsConfig& thresholds = {});

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_FAILOVER_KPIS_H_
