#include "dashboard/server/dashboard_server.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "core/metrics/export/metrics_export.h"
#include "core/metrics/instance_tag_policy.h"
#include "core/sync.h"
#include "dashboard/api/dashboard_api.h"
#include "dashboard/api/history_ring.h"
#include "dashboard/api/local_metrics_source.h"
#include "dashboard/fleet/fleet_store.h"
#include "dashboard/fleet/sql_snapshot_repository.h"
#include "dashboard/grpc/dashboard_grpc_server.h"
#include "dashboard/http/dashboard_http_server.h"
#include "dashboard/payloads/payload_reader.h"
#include "dashboard/prometheus/fallback_metrics_source.h"
#include "dashboard/prometheus/prometheus_metrics_source.h"
#include "dashboard/security/authenticator.h"
#include "dashboard/server/failoverd_metrics.h"
#include "dashboard/server/naming_persistence.h"
#include "naming-client/failover_data_store.h"
#include "store-jdbc/scheduling/store_maintenance.h"
#include "store-jdbc/store_factory.h"

namespace failover {
namespace dashboard {

struct DashboardServer::Parts {
  // Declared in construction order; destroyed in reverse (servers first).
  MetricsRegistry registry;
  WarningSink warnings;
  std::unique_ptr<Authenticator> auth;
  std::unique_ptr<MetricsSource> local;
  std::unique_ptr<FleetStore> fleet;  // shared-store mode
  std::unique_ptr<FailoverdMetrics> metrics;
  Clock* clock = nullptr;
  Mutex flush_mu;
  TimerId flush_timer ABSL_GUARDED_BY(flush_mu) = kNoTimer;
  bool flush_stopped ABSL_GUARDED_BY(flush_mu) = false;
  bool flush_failing = false;  // Only touched by the flush timer's callback.
  std::unique_ptr<MetricsSource> fallback;
  MetricsSource* source = nullptr;
  std::unique_ptr<HistoryRing> history;
  std::unique_ptr<HistorySampler> sampler;
  std::unique_ptr<DashboardApi> api;
  std::unique_ptr<naming::FailoverDataStore> naming_data;
  std::unique_ptr<ConfiguredFailoverStore> payload_store;
  std::unique_ptr<StoreMaintenance> maintenance;
  std::unique_ptr<PayloadReader> payloads;
  std::unique_ptr<DashboardHttpServer> http;
  std::unique_ptr<DashboardGrpcServer> grpc;
  // failover.observable.otlp / prometheus for failoverd's own registry; null = neither enabled.
  std::unique_ptr<MetricsExport> metrics_export;
  bool shut_down = false;
};

namespace {

// How often accepted snapshots are written to a durable snapshot store. Snapshots are
// cumulative, so a crash loses at most this much of the latest state, which the peers' next
// pushes bring back; shutdown flushes everything.
constexpr absl::Duration kFleetFlushInterval = absl::Seconds(5);

bool Exposed(const DashboardConfig& config, absl::string_view endpoint) {
  for (const std::string& name : config.exposure.include) {
    if (name == endpoint) return true;
  }
  return false;
}

absl::Status CheckSecurity(const DashboardConfig& config, const Authenticator& auth,
                           const WarningSink& warnings) {
  if (!auth.secured()) {
    if (!config.security.allow_insecure) {
      return absl::FailedPreconditionError(
          "no dashboard users are configured (failover.dashboard.security.users) and "
          "failover.dashboard.security.allow-insecure is false: refusing to start an open "
          "dashboard. Add a user (hash its password with `failoverctl dashboard "
          "hash-password`), or set allow-insecure: true on a trusted network.");
    }
    warnings(
        "the dashboard runs WITHOUT authentication (failover.dashboard.security.allow-insecure "
        "is true): anyone who can reach it can read every metric and flip the naming failover "
        "switch. Use it only on a trusted network.");
  }
  if (config.cluster.mode == ClusterMode::kSharedStore && auth.ingest_open() &&
      !config.cluster.snapshot.allow_insecure_ingest) {
    warnings(
        "snapshot ingest is open: no user has the ingest role or the admin role and no ingest "
        "token is set (failover.dashboard.security.ingest-tokens), so anyone can push "
        "snapshots. Set allow-insecure-ingest: true to silence this on a trusted network.");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<SnapshotRepository>> OpenRepository(const FailoverConfig& config,
                                                                   Clock& clock) {
  const SharedStoreConfig& shared = config.dashboard.cluster.shared_store;
  if (shared.store != SharedStoreType::kJdbc) return std::unique_ptr<SnapshotRepository>();
  const std::string& url = shared.jdbc.url.empty() ? config.store.jdbc.url : shared.jdbc.url;
  return OpenSqlSnapshotRepository(url, shared.jdbc, clock);
}

}  // namespace

absl::StatusOr<std::unique_ptr<DashboardServer>> DashboardServer::Start(
    const FailoverConfig& config, Clock& clock, WarningSink warnings,
    DashboardServerOptions options) {
  const DashboardConfig& dashboard = config.dashboard;
  if (!dashboard.enabled) {
    return absl::FailedPreconditionError(
        "failover.dashboard.enabled is false: the dashboard serves nothing unless it is true");
  }
  auto parts = std::make_unique<Parts>();
  parts->warnings = warnings;
  parts->clock = &clock;
  absl::StatusOr<std::unique_ptr<Authenticator>> auth =
      Authenticator::Create(dashboard.security, clock, parts->warnings);
  if (!auth.ok()) return auth.status();
  parts->auth = *std::move(auth);
  if (absl::Status s = CheckSecurity(dashboard, *parts->auth, warnings); !s.ok()) return s;

  const std::string instance_id =
      options.instance_id.empty()
          ? ResolveInstanceId(config.observable.instance.id, "failoverd", /*host_name=*/"")
          : options.instance_id;
  parts->local = std::make_unique<LocalMetricsSource>(parts->registry, instance_id);
  parts->source = parts->local.get();
  switch (dashboard.cluster.mode) {
    case ClusterMode::kLocal:
      break;
    case ClusterMode::kSharedStore: {
      absl::StatusOr<std::unique_ptr<SnapshotRepository>> repository =
          OpenRepository(config, clock);
      if (!repository.ok()) return repository.status();
      absl::StatusOr<std::unique_ptr<FleetStore>> fleet = FleetStore::Create(
          clock, dashboard.cluster.shared_store, *std::move(repository), parts->warnings);
      if (!fleet.ok()) return fleet.status();
      parts->fleet = *std::move(fleet);
      parts->source = parts->fleet.get();
      break;
    }
    case ClusterMode::kPrometheus: {
      if (dashboard.cluster.prometheus.base_url.empty()) {
        warnings(
            "failover.dashboard.cluster.mode is prometheus but prometheus.base-url is blank: "
            "showing this server's own metrics (local mode)");
        break;
      }
      absl::StatusOr<std::unique_ptr<PrometheusMetricsSource>> remote =
          PrometheusMetricsSource::Create(dashboard.cluster.prometheus);
      if (!remote.ok()) return remote.status();
      // While Prometheus is unreachable the dashboard shows this server's own metrics.
      parts->fallback = std::make_unique<FallbackMetricsSource>(
          *std::move(remote), std::make_unique<LocalMetricsSource>(parts->registry, instance_id),
          parts->warnings);
      parts->source = parts->fallback.get();
      break;
    }
  }

  parts->metrics = std::make_unique<FailoverdMetrics>(parts->registry, parts->fleet.get());
  FailoverdMetrics* const metrics = parts->metrics.get();
  if (std::optional<HistoryOptions> history = HistoryOptionsFor(dashboard)) {
    parts->history = std::make_unique<HistoryRing>(history->capacity, history->max_age);
    parts->sampler =
        std::make_unique<HistorySampler>(*parts->source, *parts->history, clock, history->interval,
                                         dashboard.health, parts->warnings);
  }
  parts->api = std::make_unique<DashboardApi>(config, *parts->source, clock, parts->history.get());
  parts->naming_data = std::make_unique<naming::FailoverDataStore>();
  const naming::StoreChangeListener gauge_switch = [metrics](const std::string& nacos_namespace,
                                                             const naming::StoreChange& change) {
    metrics->OnNamingChange(nacos_namespace, change);
  };
  // Set before the restore, so a switch restored on counts too.
  parts->naming_data->SetChangeListener(gauge_switch);
  if (!dashboard.naming.data_dir.empty()) {
    absl::Status restored =
        RestoreNamingData(dashboard.naming.data_dir, *parts->naming_data, parts->warnings);
    if (!restored.ok()) return restored;
    PersistNamingChanges(dashboard.naming.data_dir, *parts->naming_data, parts->warnings,
                         gauge_switch);
  }

  // The payload store is read only when it is shared (jdbc): an in-memory store inside failoverd
  // would hold nothing the applications wrote.
  if (Exposed(dashboard, "payloads") && config.store.type == StoreType::kJdbc) {
    FailoverStoreDeps deps;
    deps.clock = &clock;
    deps.warnings = parts->warnings;
    absl::StatusOr<std::unique_ptr<ConfiguredFailoverStore>> store =
        NewFailoverStore(config.store, std::move(deps));
    if (!store.ok()) return store.status();
    parts->payload_store = *std::move(store);
    StoreMaintenanceOptions maintenance_options;
    maintenance_options.warnings = parts->warnings;
    maintenance_options.health = dashboard.health;
    maintenance_options.report_sink = [](const std::vector<FailoverSummary>&) {};
    absl::StatusOr<std::unique_ptr<StoreMaintenance>> maintenance =
        StartStoreMaintenance(config.scheduler, *parts->payload_store, parts->registry, clock,
                              std::move(maintenance_options));
    if (!maintenance.ok()) return maintenance.status();
    parts->maintenance = *std::move(maintenance);
    parts->payloads = std::make_unique<PayloadReader>(*parts->payload_store, clock);
  }

  DashboardHttpServices http;
  http.api = parts->api.get();
  http.auth = parts->auth.get();
  http.ingest = parts->fleet.get();
  http.naming_data = parts->naming_data.get();
  http.payloads = parts->payloads.get();
  http.warnings = &parts->warnings;
  http.vendor_dir = options.vendor_dir;
  http.metrics = &parts->registry;
  http.metrics_instance = InstanceTagPolicy(config.observable.instance.mode, instance_id);
  http.refresh_metrics = [metrics] { metrics->Refresh(); };
  http.ingest_counters = &metrics->ingest_counters();
  absl::StatusOr<std::unique_ptr<DashboardHttpServer>> http_server =
      DashboardHttpServer::Start(dashboard, http);
  if (!http_server.ok()) return http_server.status();
  parts->http = *std::move(http_server);

  DashboardGrpcServices grpc;
  grpc.ingest = parts->fleet.get();
  grpc.auth = parts->auth.get();
  grpc.naming_data = parts->naming_data.get();
  grpc.payloads = parts->payloads.get();
  grpc.cluster_exposed = Exposed(dashboard, "cluster");
  grpc.warnings = &parts->warnings;
  grpc.ingest_counters = &metrics->ingest_counters();
  absl::StatusOr<std::unique_ptr<DashboardGrpcServer>> grpc_server =
      DashboardGrpcServer::Start(dashboard.grpc_listen, grpc);
  if (!grpc_server.ok()) return grpc_server.status();
  parts->grpc = *std::move(grpc_server);

  MetricsExportDeps export_deps;
  export_deps.clock = &clock;
  export_deps.warnings = warnings;
  export_deps.application_name = "failoverd";
  absl::StatusOr<std::unique_ptr<MetricsExport>> metrics_export =
      MetricsExport::Start(config.observable, parts->registry, std::move(export_deps));
  if (!metrics_export.ok()) return metrics_export.status();
  parts->metrics_export = *std::move(metrics_export);
  return std::unique_ptr<DashboardServer>(new DashboardServer(std::move(parts)));
}

DashboardServer::DashboardServer(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {
  if (parts_->fleet != nullptr) ScheduleFleetFlush();
}

void DashboardServer::ScheduleFleetFlush() {
  Parts& parts = *parts_;
  MutexLock lock(&parts.flush_mu);
  if (parts.flush_stopped) return;
  parts.flush_timer = parts.clock->ScheduleAfter(kFleetFlushInterval, [this] {
    Parts& p = *parts_;
    const absl::Status flushed = p.fleet->Flush();
    if (!flushed.ok() && !p.flush_failing) {
      p.warnings(absl::StrCat("cannot write snapshots to the snapshot store (retrying every ",
                              absl::FormatDuration(kFleetFlushInterval),
                              "; accepted snapshots stay in memory): ", flushed.message()));
    } else if (flushed.ok() && p.flush_failing) {
      p.warnings("the snapshot store accepts writes again");
    }
    p.flush_failing = !flushed.ok();
    ScheduleFleetFlush();
  });
}

DashboardServer::~DashboardServer() { Shutdown().IgnoreError(); }

int DashboardServer::http_port() const { return parts_->http->port(); }
int DashboardServer::grpc_port() const { return parts_->grpc->port(); }
naming::FailoverDataStore& DashboardServer::naming_data() { return *parts_->naming_data; }
MetricsSource& DashboardServer::source() { return *parts_->source; }
MetricsRegistry& DashboardServer::registry() { return parts_->registry; }

absl::Status DashboardServer::Shutdown() {
  if (parts_->shut_down) return absl::OkStatus();
  parts_->shut_down = true;
  parts_->http->Stop();
  parts_->grpc->Shutdown(absl::Seconds(5));
  parts_->sampler.reset();
  TimerId flush_timer = kNoTimer;
  {
    MutexLock lock(&parts_->flush_mu);
    parts_->flush_stopped = true;
    flush_timer = parts_->flush_timer;
  }
  if (flush_timer != kNoTimer) parts_->clock->Cancel(flush_timer);
  absl::Status first;
  if (parts_->fleet != nullptr) first.Update(parts_->fleet->Flush());
  if (parts_->maintenance != nullptr) parts_->maintenance->Stop();
  if (parts_->payload_store != nullptr) first.Update(parts_->payload_store->Flush());
  // Last, so the final OTLP export carries the final counts.
  if (parts_->metrics_export != nullptr) parts_->metrics_export->Shutdown();
  return first;
}

}  // namespace dashboard
}  // namespace failover
