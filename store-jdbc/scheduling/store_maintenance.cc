#include "store-jdbc/scheduling/store_maintenance.h"

#include <cstdio>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace failover {

ReportSink StderrReportSink() {
  return [](const std::vector<FailoverSummary>& summaries) {
    std::string text;
    for (const FailoverSummary& summary : summaries) {
      absl::StrAppend(&text, "failover: report: ", FormatFailoverSummary(summary), "\n");
    }
    if (summaries.empty()) text = "failover: report: no failover activity\n";
    std::fwrite(text.data(), 1, text.size(), stderr);  // one write: lines do not interleave
  };
}

StoreMaintenance::StoreMaintenance(FailoverStore& store, MetricsRegistry& registry, Clock& clock,
                                   StoreMaintenanceOptions options)
    : store_(store),
      registry_(registry),
      clock_(clock),
      options_(std::move(options)),
      cleanup_total_(registry.GetCounter(kCleanupTotal)),
      cleanup_last_removed_(registry.GetGauge(kCleanupLastRemoved)),
      cleanup_errors_(registry.GetCounter(kCleanupErrors)) {}

StoreMaintenance::~StoreMaintenance() { Stop(); }

void StoreMaintenance::ScheduleCleanup(const CronExpression& cron) {
  cleanup_ = std::make_unique<CronScheduler>(
      cron, clock_, [this](absl::Time) { RunCleanup(); }, options_.time_zone);
}

void StoreMaintenance::ScheduleReport(const CronExpression& cron) {
  report_ = std::make_unique<CronScheduler>(
      cron, clock_, [this](absl::Time) { RunReport(); }, options_.time_zone);
}

void StoreMaintenance::RunCleanup() {
  const absl::StatusOr<int64_t> removed = store_.CleanByExpiry(clock_.WallNow());
  if (!removed.ok()) {
    cleanup_errors_.Increment();
    options_.warnings(
        absl::StrCat("failover.scheduler.cleanup-cron: cleaning expired store entries failed: ",
                     removed.status().ToString()));
    return;
  }
  cleanup_total_.Increment(static_cast<uint64_t>(*removed));
  cleanup_last_removed_.Set(static_cast<double>(*removed));
}

void StoreMaintenance::RunReport() {
  const std::vector<FailoverSummary> summaries =
      SummarizeFailovers(registry_.Snapshot(), options_.health);
  RefreshGauges(summaries);
  options_.report_sink(summaries);
}

void StoreMaintenance::RefreshGauges(const std::vector<FailoverSummary>& summaries) {
  const absl::Time now = clock_.WallNow();
  for (const FailoverSummary& summary : summaries) {
    const Tags tags{{"name", summary.name}};
    registry_.GetGauge(kApiHealth, tags).Set(summary.healthy_rate);
    const uint64_t served = summary.stored_successes + summary.recovered;
    registry_.GetGauge(kStaleServedRatio, tags)
        .Set(served == 0 ? 0.0 : static_cast<double>(summary.recovered) / served);
    const std::string& storage_namespace = summary.domain.empty() ? summary.name : summary.domain;
    absl::StatusOr<std::vector<FailoverStoreEntry>> entries = store_.FindAll(storage_namespace);
    if (!entries.ok()) {
      options_.warnings(absl::StrCat("failover.live.entries{name=", summary.name,
                                     "}: counting the entries of '", storage_namespace,
                                     "' failed: ", entries.status().ToString()));
      continue;
    }
    int64_t live = 0;
    for (const FailoverStoreEntry& entry : *entries) live += entry.ExpiredAt(now) ? 0 : 1;
    registry_.GetGauge(kLiveEntries, tags).Set(static_cast<double>(live));
  }
}

std::optional<absl::Time> StoreMaintenance::next_cleanup() const {
  return cleanup_ == nullptr ? std::nullopt : cleanup_->next_fire_time();
}

std::optional<absl::Time> StoreMaintenance::next_report() const {
  return report_ == nullptr ? std::nullopt : report_->next_fire_time();
}

void StoreMaintenance::Stop() {
  if (cleanup_ != nullptr) cleanup_->Stop();
  if (report_ != nullptr) report_->Stop();
}

absl::StatusOr<std::unique_ptr<StoreMaintenance>> StartStoreMaintenance(
    const SchedulerConfig& config, FailoverStore& store, MetricsRegistry& registry, Clock& clock,
    StoreMaintenanceOptions options) {
  auto maintenance = std::make_unique<StoreMaintenance>(store, registry, clock, std::move(options));
  if (!config.enabled) return maintenance;
  const auto parse = [](absl::string_view key,
                        absl::string_view text) -> absl::StatusOr<std::optional<CronExpression>> {
    if (absl::StripAsciiWhitespace(text) == "-") return std::optional<CronExpression>();
    absl::StatusOr<CronExpression> cron = CronExpression::Parse(text);
    if (!cron.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("failover.scheduler.", key, ": ", cron.status().message()));
    }
    return std::optional<CronExpression>(*std::move(cron));
  };
  absl::StatusOr<std::optional<CronExpression>> cleanup =
      parse("cleanup-cron", config.cleanup_cron);
  if (!cleanup.ok()) return cleanup.status();
  absl::StatusOr<std::optional<CronExpression>> report = parse("report-cron", config.report_cron);
  if (!report.ok()) return report.status();
  if (cleanup->has_value()) maintenance->ScheduleCleanup(**cleanup);
  if (report->has_value()) maintenance->ScheduleReport(**report);
  return maintenance;
}

}  // namespace failover
