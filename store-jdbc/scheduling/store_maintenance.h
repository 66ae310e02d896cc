// StoreMaintenance: the two jobs of failover.scheduler.*, run on an injected Clock.
//   - cleanup (cleanup-cron, default hourly): FailoverStore::CleanByExpiry(clock.WallNow());
//     the removed count is added to counter `failover.store.cleanup.total` and set on gauge
//     `failover.store.cleanup.last.removed`; a failure goes to the WarningSink and counter
//     `failover.store.cleanup.errors.total`, and the next fire time runs as usual.
//   - report (report-cron, default daily at midnight): one FailoverSummary per failover from
//     the MetricsRegistry (failover_summary.h), delivered to the ReportSink; it also refreshes
//     the reference's per-failover gauges {name}: `failover.api.health` (the healthy rate),
//     `failover.stale.served.ratio` (recovered / (stored successes + recovered): the share of
//     answers served from stored data) and `failover.live.entries` (unexpired entries in the
//     failover's storage namespace, counted with FindAll; a failing count goes to the
//     WarningSink and leaves the gauge as it was).
// enabled=false schedules nothing; a cron of "-" disables that one job. Cron expressions are
// evaluated in options.time_zone (UTC by default; Spring uses the JVM's default zone).
//
//   failover::StoreMaintenanceOptions options;
//   options.health = config.dashboard.health;
//   absl::StatusOr<std::unique_ptr<failover::StoreMaintenance>> maintenance =
//       failover::StartStoreMaintenance(config.scheduler, store, registry, clock, options);
//   ...
//   (*maintenance)->Stop();  // or destroy it
//
// Thread-safe. Jobs run on the clock's timer thread, each one run at a time. Stop() and the
// destructor wait for a job in progress. The store, registry and clock must outlive it.
#ifndef FAILOVER_STORE_JDBC_SCHEDULING_STORE_MAINTENANCE_H_
#define FAILOVER_STORE_JDBC_SCHEDULING_STORE_MAINTENANCE_H_

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/config/dashboard_config.h"
#include "core/config/failover_config.h"
#include "core/metrics/metrics_registry.h"
#include "core/scheduling/cron_scheduler.h"
#include "core/warning_sink.h"
#include "store-jdbc/failover_store.h"
#include "store-jdbc/scheduling/failover_summary.h"

namespace failover {

// Receives each report (possibly empty). Called on the clock's timer thread.
using ReportSink = std::function<void(const std::vector<FailoverSummary>& summaries)>;

// Writes "failover: report: <FormatFailoverSummary>" per failover to stderr, or
// "failover: report: no failover activity" for an empty report.
ReportSink StderrReportSink();

struct StoreMaintenanceOptions {
  // Zone the cron expressions are evaluated in.
  absl::TimeZone time_zone = absl::UTCTimeZone();
  // Where reports go.
  ReportSink report_sink = StderrReportSink();
  // Where cleanup failures go.
  WarningSink warnings = StderrWarningSink();
  // Health thresholds of the report (pass config.dashboard.health).
  HealthThresholdsConfig health;
};

class StoreMaintenance {
 public:
  static constexpr absl::string_view kCleanupTotal = "failover.store.cleanup.total";
  static constexpr absl::string_view kCleanupLastRemoved = "failover.store.cleanup.last.removed";
  static constexpr absl::string_view kCleanupErrors = "failover.store.cleanup.errors.total";
  static constexpr absl::string_view kApiHealth = "failover.api.health";
  static constexpr absl::string_view kStaleServedRatio = "failover.stale.served.ratio";
  static constexpr absl::string_view kLiveEntries = "failover.live.entries";

  StoreMaintenance(FailoverStore& store, MetricsRegistry& registry, Clock& clock,
                   StoreMaintenanceOptions options);
  ~StoreMaintenance();
  StoreMaintenance(const StoreMaintenance&) = delete;
  StoreMaintenance& operator=(const StoreMaintenance&) = delete;

  // Schedules the job at each fire time of `cron` (replacing a previous schedule of that job).
  void ScheduleCleanup(const CronExpression& cron);
  void ScheduleReport(const CronExpression& cron);

  // What each fire time does; callable directly (e.g. by a CLI "clean now").
  void RunCleanup();
  void RunReport();

  // Next armed fire time of each job; nullopt when the job is not scheduled (or running).
  std::optional<absl::Time> next_cleanup() const;
  std::optional<absl::Time> next_report() const;

  // Stops both jobs, waiting for one in progress. Idempotent.
  void Stop();

 private:
  FailoverStore& store_;
  MetricsRegistry& registry_;
  Clock& clock_;
  const StoreMaintenanceOptions options_;
  Counter& cleanup_total_;
  Gauge& cleanup_last_removed_;
  Counter& cleanup_errors_;
  void RefreshGauges(const std::vector<FailoverSummary>& summaries);

  // Set before the first fire time can run and only reset by Stop()/the destructor, which
  // callers must not race with Schedule*().
  std::unique_ptr<CronScheduler> cleanup_;
  std::unique_ptr<CronScheduler> report_;
};

// Starts the jobs `config` enables. INVALID_ARGUMENT naming the key when a cron expression does
// not parse (the config loader rejects those already; this guards hand-built configs).
absl::StatusOr<std::unique_ptr<StoreMaintenance>> StartStoreMaintenance(
    const SchedulerConfig& config, FailoverStore& store, MetricsRegistry& registry, Clock& clock,
    StoreMaintenanceOptions options = {});

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_SCHEDULING_STORE_MAINTENANCE_H_
