#include "store-jdbc/scheduling/failover_summary.h"

#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_format.h"

namespace failover {
namespace {

constexpr absl::string_view kStoreTotal = "failover.store.total";
constexpr absl::string_view kRecoveryOutcome = "failover.recovery.outcome.total";
constexpr absl::string_view kCallTotal = "failover.call.total";

bool Is(const SeriesSnapshot& series, absl::string_view key, absl::string_view value) {
  const std::optional<absl::string_view> found = series.tags.Find(key);
  return found.has_value() && *found == value;
}

// Adds one counter series to the summary of its `name`.
void Accumulate(const SeriesSnapshot& series, FailoverSummary& summary) {
  const uint64_t count = static_cast<uint64_t>(series.value);
  if (series.name == kStoreTotal) {
    if (Is(series, "stored", "true")) summary.stored_successes += count;
    return;
  }
  if (const std::optional<absl::string_view> domain = series.tags.Find("domain");
      domain.has_value() && summary.domain.empty()) {
    summary.domain = std::string(*domain);
  }
  if (series.name == kRecoveryOutcome) {
    if (Is(series, "outcome", "recovered")) summary.recovered += count;
    if (Is(series, "outcome", "not_recovered")) summary.not_recovered += count;
    if (Is(series, "outcome", "error")) summary.errors += count;
  } else if (Is(series, "result", "success")) {
    summary.success_calls += count;
  } else if (Is(series, "result", "failover")) {
    summary.failover_calls += count;
  }
}

void ComputeKpis(const HealthThresholdsConfig& health, FailoverSummary& s) {
  const FailoverKpis kpis = ComputeFailoverKpis(
      FailoverCounts{s.stored_successes, s.recovered, s.not_recovered, s.errors}, health);
  s.success_rate = kpis.success_rate;
  s.failover_rate = kpis.failover_rate;
  s.recovery_rate = kpis.recovery_rate;
  s.non_recovery_rate = kpis.non_recovery_rate;
  s.healthy_rate = kpis.healthy_rate;
  s.health = kpis.health;
}

}  // namespace

std::vector<FailoverSummary> SummarizeFailovers(const MetricsSnapshot& snapshot,
                                                const HealthThresholdsConfig& health) {
  std::map<std::string, FailoverSummary, std::less<>> by_name;
  for (const SeriesSnapshot& series : snapshot.series()) {
    if (series.kind != SeriesKind::kCounter) continue;
    if (series.name != kStoreTotal && series.name != kRecoveryOutcome &&
        series.name != kCallTotal) {
      continue;
    }
    const std::optional<absl::string_view> name = series.tags.Find("name");
    if (!name.has_value()) continue;
    auto it = by_name.find(*name);
    if (it == by_name.end()) {
      it = by_name.emplace(std::string(*name), FailoverSummary{}).first;
      it->second.name = std::string(*name);
    }
    Accumulate(series, it->second);
  }
  std::vector<FailoverSummary> summaries;
  summaries.reserve(by_name.size());
  for (auto& [name, summary] : by_name) {
    ComputeKpis(health, summary);
    summaries.push_back(std::move(summary));
  }
  return summaries;
}

std::string FormatFailoverSummary(const FailoverSummary& s) {
  return absl::StrFormat(
      "name=%s domain=%s health=%s healthy=%.3f success=%.3f failover=%.3f recovery=%.3f "
      "non_recovery=%.3f stored=%d recovered=%d not_recovered=%d error=%d calls=%d/%d",
      s.name, s.domain, FailoverHealthName(s.health), s.healthy_rate, s.success_rate,
      s.failover_rate, s.recovery_rate, s.non_recovery_rate, s.stored_successes, s.recovered,
      s.not_recovered, s.errors, s.success_calls, s.failover_calls);
}

}  // namespace failover
