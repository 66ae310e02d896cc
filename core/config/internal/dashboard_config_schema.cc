#include "core/config/internal/dashboard_config_schema.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/config/config_validators.h"

namespace failover {
namespace config_internal {
namespace {

ConfigSchema<ExposureConfig> ExposureSchema() {
  ConfigSchema<ExposureConfig> exposure;
  exposure.Property("ui", &ExposureConfig::ui, "Serve the static UI.");
  exposure.Property("api", &ExposureConfig::api, "Serve the JSON API.");
  exposure
      .Property("include", &ExposureConfig::include,
                "API endpoints served; an endpoint not listed answers 404.")
      .ValidateEach(OneOf(std::vector<std::string>(std::begin(kDashboardEndpoints),
                                                   std::end(kDashboardEndpoints))));
  return exposure;
}

ConfigSchema<HealthThresholdsConfig> HealthSchema() {
  ConfigSchema<HealthThresholdsConfig> health;
  health
      .Property("degraded-threshold", &HealthThresholdsConfig::degraded_threshold,
                "Healthy-rate floor for HEALTHY; below it is DEGRADED.")
      .Validate(InClosedRange(0, 1));
  health
      .Property("unhealthy-threshold", &HealthThresholdsConfig::unhealthy_threshold,
                "Healthy-rate floor for DEGRADED; below it is UNHEALTHY.")
      .Validate(InClosedRange(0, 1));
  health.Check([](const HealthThresholdsConfig& config, CheckReporter& reporter) {
    if (config.unhealthy_threshold <= config.degraded_threshold) return;
    // Blame the key the user wrote; the other holds its default.
    if (reporter.IsSet("degraded-threshold") && !reporter.IsSet("unhealthy-threshold")) {
      reporter.Error("degraded-threshold",
                     absl::StrCat("must not be less than unhealthy-threshold (",
                                  config.unhealthy_threshold, ", the default)"));
      return;
    }
    reporter.Error(
        "unhealthy-threshold",
        absl::StrCat("must not be greater than degraded-threshold (", config.degraded_threshold,
                     reporter.IsSet("degraded-threshold") ? "" : ", the default", ")"));
  });
  return health;
}

ConfigSchema<SharedStoreConfig> SharedStoreSchema() {
  ConfigSchema<RetentionConfig> retention;
  retention.Property("max-age", &RetentionConfig::max_age, "Trend points older are evicted.")
      .Validate(DurationAtLeast(absl::Nanoseconds(1)));
  retention
      .Property("max-entries", &RetentionConfig::max_entries,
                "Trend-history size bound; oldest dropped first.")
      .Validate(AtLeast<int32_t>(1));
  ConfigSchema<SnapshotJdbcConfig> jdbc;
  jdbc.Property(
          "url", &SnapshotJdbcConfig::url,
          "sqlite://path or postgresql://user:pass@host:port/db; blank = failover.store.jdbc.url.")
      .Redact(RedactUrlPassword);
  jdbc.Property("table-prefix", &SnapshotJdbcConfig::table_prefix,
                "Prefix of the FAILOVER_DASHBOARD_SNAPSHOT table.")
      .Validate(TablePrefix());
  jdbc.Property("auto-ddl", &SnapshotJdbcConfig::auto_ddl,
                "Create the snapshot table on startup if missing.");

  ConfigSchema<SharedStoreConfig> shared;
  shared.Property("store", &SharedStoreConfig::store, "Where snapshots are kept.");
  shared
      .Property("liveness-seconds", &SharedStoreConfig::liveness_seconds,
                "No heartbeat for this many seconds = DOWN.")
      .Validate(AtLeast<int32_t>(1));
  shared
      .Property("max-instances", &SharedStoreConfig::max_instances,
                "Supported cluster size; more logs a warning.")
      .Validate(AtLeast<int32_t>(1));
  shared
      .Property("instance-retention", &SharedStoreConfig::instance_retention,
                "Unseen instances retire after this; 0 keeps them forever (in-memory store).")
      .Validate(DurationAtLeast(absl::ZeroDuration()));
  shared
      .Property("sample-interval-seconds", &SharedStoreConfig::sample_interval_seconds,
                "Cluster-trend sampling cadence.")
      .Validate(AtLeast<int32_t>(1));
  shared.Section("retention", &SharedStoreConfig::retention, retention, "Trend history bounds.");
  shared.Section("jdbc", &SharedStoreConfig::jdbc, jdbc, "JDBC snapshot store.");
  return shared;
}

ConfigSchema<SnapshotConfig> SnapshotSchema() {
  ConfigSchema<HeartbeatConfig> heartbeat;
  heartbeat.Property("enabled", &HeartbeatConfig::enabled,
                     "Send heartbeats to {publish-url}/api/cluster/heartbeat.");
  heartbeat
      .Property("interval-seconds", &HeartbeatConfig::interval_seconds,
                "Seconds between heartbeats; at most a third of liveness-seconds.")
      .Validate(AtLeast<int32_t>(1));

  ConfigSchema<SnapshotConfig> snapshot;
  snapshot
      .Property("publish-url", &SnapshotConfig::publish_url,
                "The dashboard's base URL, e.g. http://host:8080/failover-dashboard; "
                "blank = do not push.")
      .Validate(HttpUrlOrEmpty());
  snapshot
      .Property("interval-seconds", &SnapshotConfig::interval_seconds,
                "At most one push per this many seconds.")
      .Validate(AtLeast<int32_t>(0));
  snapshot
      .Property("retry-interval-seconds", &SnapshotConfig::retry_interval_seconds,
                "Pushes are suppressed this long after a failure.")
      .Validate(AtLeast<int32_t>(0));
  snapshot.Property("username", &SnapshotConfig::username,
                    "HTTP Basic user; set together with password.");
  snapshot.Property("password", &SnapshotConfig::password, "HTTP Basic password.").Secret();
  snapshot.Property("oauth2-client-registration-id", &SnapshotConfig::oauth2_client_registration_id,
                    "OAuth2 client registration; takes priority over Basic.");
  snapshot.Property("allow-insecure-ingest", &SnapshotConfig::allow_insecure_ingest,
                    "Silence the no-auth startup warning (trusted networks only).");
  snapshot.Section("heartbeat", &SnapshotConfig::heartbeat, heartbeat, "Heartbeats.");
  snapshot.Check([](const SnapshotConfig& config, CheckReporter& reporter) {
    if (config.heartbeat.enabled && config.publish_url.empty()) {
      reporter.Error("heartbeat.enabled", "requires publish-url to be set");
    }
    if (config.username.empty() != config.password.empty()) {
      // Report the one that is set: it has a value and a line to point at.
      if (config.username.empty()) {
        reporter.Error("password", "is set without username (set both or neither)");
      } else {
        reporter.Error("username", "is set without password (set both or neither)");
      }
    }
  });
  return snapshot;
}

ConfigSchema<ClusterConfig> ClusterSchema() {
  ConfigSchema<PrometheusClusterConfig> prometheus;
  prometheus
      .Property("base-url", &PrometheusClusterConfig::base_url,
                "Prometheus URL, e.g. http://prometheus:9090; blank = local.")
      .Validate(HttpUrlOrEmpty());
  prometheus.Property("token", &PrometheusClusterConfig::token, "Optional bearer token.").Secret();
  prometheus
      .Property("timeout-seconds", &PrometheusClusterConfig::timeout_seconds,
                "Per-query connect/read timeout.")
      .Validate(AtLeast<int32_t>(1));

  ConfigSchema<ClusterConfig> cluster;
  cluster.Property("mode", &ClusterConfig::mode,
                   "local: this instance; prometheus: PromQL; shared-store: peers push.");
  cluster.Section("prometheus", &ClusterConfig::prometheus, prometheus, "Prometheus mode.");
  cluster.Section("shared-store", &ClusterConfig::shared_store, SharedStoreSchema(),
                  "Shared-store mode (dashboard side).");
  cluster.Section("snapshot", &ClusterConfig::snapshot, SnapshotSchema(),
                  "Snapshot pushing (peer side).");
  cluster.Check([](const ClusterConfig& config, CheckReporter& reporter) {
    if (config.mode == ClusterMode::kPrometheus && config.prometheus.base_url.empty()) {
      reporter.Warning("prometheus.base-url", "is blank, so mode prometheus falls back to local");
    }
  });
  return cluster;
}

}  // namespace

ConfigSchema<DashboardConfig> DashboardConfigSchema() {
  ConfigSchema<DashboardSecurityConfig> security;
  security
      .Property("role", &DashboardSecurityConfig::role,
                "Role required for base-path/** when security is configured.")
      .Validate(NotBlank());
  security.Property("allow-insecure", &DashboardSecurityConfig::allow_insecure,
                    "Start without security (loud warning); refused under the prod profile.");
  ConfigSchema<DashboardUserConfig> user;
  user.Property("username", &DashboardUserConfig::username, "HTTP Basic user name.")
      .Validate(NotBlank());
  user.Property("password-hash", &DashboardUserConfig::password_hash,
                "pbkdf2-sha256$<iterations>$<salt>$<hash> (failoverctl dashboard hash-password).")
      .Validate(NotBlank())
      .Secret();
  user.Property("roles", &DashboardUserConfig::roles, "Roles, e.g. [FAILOVER_ADMIN].");
  security.SectionList("users", &DashboardSecurityConfig::users, user,
                       "HTTP Basic users; none refuses to start unless allow-insecure.");
  security
      .Property("ingest-role", &DashboardSecurityConfig::ingest_role,
                "Role (besides role) allowed to push snapshots and heartbeats.")
      .Validate(NotBlank());
  security
      .Property("metrics-role", &DashboardSecurityConfig::metrics_role,
                "Role (besides role) allowed to read /metrics (Prometheus scrapes).")
      .Validate(NotBlank());
  security
      .Property("ingest-tokens", &DashboardSecurityConfig::ingest_tokens,
                "Bearer tokens accepted for snapshot and heartbeat ingest.")
      .Secret();
  security
      .Property("max-failures", &DashboardSecurityConfig::max_failures,
                "Failed logins in a row (per user and per address) before a lockout.")
      .Validate(AtLeast<int32_t>(1));
  security
      .Property("lockout", &DashboardSecurityConfig::lockout,
                "How long a locked-out user or address is refused.")
      .Validate(DurationAtLeast(absl::ZeroDuration()));
  security.Check([](const DashboardSecurityConfig& config, CheckReporter& reporter) {
    for (size_t i = 0; i < config.users.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (config.users[i].username == config.users[j].username) {
          reporter.Error(absl::StrCat("users[", i, "].username"),
                         absl::StrCat("repeats users[", j, "] ('", config.users[i].username, "')"));
        }
      }
    }
  });
  ConfigSchema<HistoryConfig> history;
  history.Property("enabled", &HistoryConfig::enabled,
                   "Sample metrics into a ring buffer for /api/metrics/series.");
  history.Property("samples", &HistoryConfig::samples, "Ring-buffer capacity.")
      .Validate(AtLeast<int32_t>(1));
  history
      .Property("sample-interval-seconds", &HistoryConfig::sample_interval_seconds,
                "Seconds between samples.")
      .Validate(AtLeast<int32_t>(1));

  ConfigSchema<DashboardNamingConfig> naming;
  naming.Property("data-dir", &DashboardNamingConfig::data_dir,
                  "Folder where failoverd keeps the naming failover data, in the Nacos disk "
                  "failover format; blank = memory only.");

  ConfigSchema<DashboardConfig> dashboard;
  dashboard.Property("enabled", &DashboardConfig::enabled,
                     "Master switch; nothing is served unless true.");
  dashboard
      .Property("base-path", &DashboardConfig::base_path,
                "Namespace of UI and API: starts with /, is not /, does not end with /.")
      .Validate(BasePath());
  dashboard.Property("listen", &DashboardConfig::listen, "HTTP address of failoverd, host:port.")
      .Validate(HostPort());
  dashboard
      .Property("grpc-listen", &DashboardConfig::grpc_listen,
                "gRPC address of failoverd, host:port.")
      .Validate(HostPort());
  dashboard
      .Property("profile", &DashboardConfig::profile,
                "prod turns on production rules (allow-insecure is refused).")
      .Validate(OneOf({"", "dev", "prod"}));
  dashboard.Section("exposure", &DashboardConfig::exposure, ExposureSchema(), "What is served.");
  dashboard.Section("security", &DashboardConfig::security, security, "Access control.");
  dashboard.Section("history", &DashboardConfig::history, history, "Server-side history.");
  dashboard.Section("health", &DashboardConfig::health, HealthSchema(), "Health thresholds.");
  dashboard.Section("cluster", &DashboardConfig::cluster, ClusterSchema(),
                    "Multi-instance metrics.");
  dashboard.Section("naming", &DashboardConfig::naming, naming,
                    "The naming failover data failoverd serves.");
  dashboard.Check([](const DashboardConfig& config, CheckReporter& reporter) {
    if (config.profile == "prod" && config.security.allow_insecure) {
      reporter.Error("security.allow-insecure", "is refused under the prod profile");
    }
  });
  return dashboard;
}

}  // namespace config_internal
}  // namespace failover
