#include "core/metrics/failover_kpis.h"

namespace failover {
namespace {

double Ratio(uint64_t numerator, uint64_t denominator) {
  return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

}  // namespace

absl::string_view FailoverHealthName(FailoverHealth health) {
  switch (health) {
    case FailoverHealth::kHealthy:
      return "HEALTHY";
    case FailoverHealth::kDegraded:
      return "DEGRADED";
    case FailoverHealth::kUnhealthy:
      return "UNHEALTHY";
  }
  return "UNKNOWN";
}

FailoverCounts& FailoverCounts::operator+=(const FailoverCounts& other) {
  stored_successes += other.stored_successes;
  recovered += other.recovered;
  not_recovered += other.not_recovered;
  errors += other.errors;
  return *this;
}

FailoverHealth ClassifyHealth(double healthy_rate, const HealthThresholdsConfig& thresholds) {
  if (healthy_rate >= thresholds.degraded_threshold) return FailoverHealth::kHealthy;
  if (healthy_rate >= thresholds.unhealthy_threshold) return FailoverHealth::kDegraded;
  return FailoverHealth::kUnhealthy;
}

FailoverKpis ComputeFailoverKpis(const FailoverCounts& counts,
                                 const HealthThresholdsConfig& thresholds) {
  const uint64_t f = counts.failovers();
  const uint64_t total = counts.stored_successes + f;
  FailoverKpis kpis;
  kpis.success_rate = Ratio(counts.stored_successes, total);
  kpis.failover_rate = Ratio(f, total);
  kpis.recovery_rate = Ratio(counts.recovered, f);
  kpis.non_recovery_rate = Ratio(counts.not_recovered + counts.errors, f);
  kpis.healthy_rate = Ratio(counts.stored_successes + counts.recovered, total);
  kpis.health = ClassifyHealth(kpis.healthy_rate, thresholds);
  return kpis;
}

}  // namespace failover
