// failover.dashboard.*: the dashboard's UI/API exposure, security, history, health thresholds
// and multi-instance (cluster) settings. Part of FailoverConfig (failover_config.h); bound by
// FailoverConfigSchema(). Plain values, read through const references once loaded.
#ifndef FAILOVER_CORE_CONFIG_DASHBOARD_CONFIG_H_
#define FAILOVER_CORE_CONFIG_DASHBOARD_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/config/config_value.h"

namespace failover {

// Where the dashboard reads metrics from.
enum class ClusterMode {
  kLocal,        // "local": this instance only
  kPrometheus,   // "prometheus": PromQL across instances
  kSharedStore,  // "shared-store": peers push snapshots, aggregated in the dashboard
};
ConfigEnumDescription<ClusterMode> DescribeConfigEnum(ClusterMode);

// Where shared-store snapshots are kept.
enum class SharedStoreType {
  kInMemory,  // "inmemory"
  kJdbc,      // "jdbc": durable
};
ConfigEnumDescription<SharedStoreType> DescribeConfigEnum(SharedStoreType);

// Dashboard API endpoint names accepted in exposure.include: the reference's six, plus "naming"
// (the naming failover switch and services failoverd serves) and "payloads" (read access to the
// payload store), which are not in the default list.
inline constexpr absl::string_view kDashboardEndpoints[] = {
    "config", "failover-health", "metrics", "health", "cluster", "instances", "naming", "payloads"};

// failover.dashboard.exposure.*
struct ExposureConfig {
  // ui (default true): serve the static UI.
  bool ui = true;
  // api (default true): serve the JSON API.
  bool api = true;
  // include (default [config, failover-health, metrics, health, cluster, instances]): endpoints
  // served; others answer 404.
  std::vector<std::string> include = {"config", "failover-health", "metrics",
                                      "health", "cluster",         "instances"};
};

// failover.dashboard.security.users[]: one dashboard user.
struct DashboardUserConfig {
  // username: the HTTP Basic user name.
  std::string username;
  // password-hash: "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>", as printed by
  // `failoverctl dashboard hash-password`. Secret. Plain passwords are never accepted.
  std::string password_hash;
  // roles (default []): e.g. [FAILOVER_ADMIN], [FAILOVER_INGEST].
  std::vector<std::string> roles;
};

// failover.dashboard.security.*
struct DashboardSecurityConfig {
  // role (default FAILOVER_ADMIN): role required for base-path/** when security is configured.
  std::string role = "FAILOVER_ADMIN";
  // allow-insecure (default false): start without security (loud warning); refused under prod.
  bool allow_insecure = false;
  // users (default []): HTTP Basic users; none (and allow-insecure false) refuses to start.
  std::vector<DashboardUserConfig> users;
  // ingest-role (default FAILOVER_INGEST): role (besides `role`) allowed to push snapshots and
  // heartbeats.
  std::string ingest_role = "FAILOVER_INGEST";
  // metrics-role (default FAILOVER_METRICS): role (besides `role`) allowed to read /metrics, so a
  // Prometheus scrape needs no administrator's credentials.
  std::string metrics_role = "FAILOVER_METRICS";
  // ingest-tokens (default []): bearer tokens accepted for ingest. Secret.
  std::vector<std::string> ingest_tokens;
  // max-failures (default 5): failed logins in a row, per user name and per client address,
  // before a lockout.
  int32_t max_failures = 5;
  // lockout (default 1m): how long a locked-out user name or address is refused.
  absl::Duration lockout = absl::Minutes(1);
};

// failover.dashboard.history.*
struct HistoryConfig {
  // enabled (default false): sample metrics into a ring buffer for /api/metrics/series.
  bool enabled = false;
  // samples (default 120): ring-buffer capacity.
  int32_t samples = 120;
  // sample-interval-seconds (default 15): seconds between samples.
  int32_t sample_interval_seconds = 15;
};

// failover.dashboard.health.*
struct HealthThresholdsConfig {
  // degraded-threshold (default 0.99): healthy-rate floor for HEALTHY.
  double degraded_threshold = 0.99;
  // unhealthy-threshold (default 0.90): healthy-rate floor for DEGRADED; below is UNHEALTHY.
  double unhealthy_threshold = 0.90;
};

// failover.dashboard.cluster.prometheus.*
struct PrometheusClusterConfig {
  // base-url (default ""): Prometheus URL; blank falls back to local mode.
  std::string base_url;
  // token (default ""): optional bearer token. Secret.
  std::string token;
  // timeout-seconds (default 5): per-query connect/read timeout.
  int32_t timeout_seconds = 5;
};

// failover.dashboard.cluster.shared-store.retention.*
struct RetentionConfig {
  // max-age (default 7d): trend points older than this are evicted.
  absl::Duration max_age = absl::Hours(7 * 24);
  // max-entries (default 100000): trend-history size bound, oldest dropped first.
  int32_t max_entries = 100000;
};

// failover.dashboard.cluster.shared-store.jdbc.*
struct SnapshotJdbcConfig {
  // url (default ""): sqlite://path or postgresql://user:pass@host:port/db; blank = the
  // payload store's failover.store.jdbc.url.
  std::string url;
  // table-prefix (default ""): the table is <prefix>FAILOVER_DASHBOARD_SNAPSHOT.
  std::string table_prefix;
  // auto-ddl (default true): create the snapshot table on startup if missing.
  bool auto_ddl = true;
};

// failover.dashboard.cluster.shared-store.*
struct SharedStoreConfig {
  // store (default inmemory): where snapshots are kept.
  SharedStoreType store = SharedStoreType::kInMemory;
  // liveness-seconds (default 180): no heartbeat for this long = DOWN.
  int32_t liveness_seconds = 180;
  // max-instances (default 10): supported cluster size; more logs a warning.
  int32_t max_instances = 10;
  // instance-retention (default 7d): unseen instances retire after this; 0 keeps them forever.
  absl::Duration instance_retention = absl::Hours(7 * 24);
  // sample-interval-seconds (default 30): cluster-trend sampling cadence.
  int32_t sample_interval_seconds = 30;
  RetentionConfig retention;  // retention.*
  SnapshotJdbcConfig jdbc;    // jdbc.*
};

// failover.dashboard.cluster.snapshot.heartbeat.*
struct HeartbeatConfig {
  // enabled (default false): send periodic heartbeats to {publish-url}/api/cluster/heartbeat.
  bool enabled = false;
  // interval-seconds (default 60): seconds between heartbeats.
  int32_t interval_seconds = 60;
};

// failover.dashboard.cluster.snapshot.* (the peer side: pushing to a dashboard)
struct SnapshotConfig {
  // publish-url (default ""): the dashboard's base URL; blank = do not push.
  std::string publish_url;
  // interval-seconds (default 15): at most one push per this many seconds.
  int32_t interval_seconds = 15;
  // retry-interval-seconds (default 300): pushes suppressed this long after a failure.
  int32_t retry_interval_seconds = 300;
  // username (default ""): HTTP Basic user; set together with password.
  std::string username;
  // password (default ""): HTTP Basic password. Secret.
  std::string password;
  // oauth2-client-registration-id (default ""): OAuth2 client; takes priority over Basic.
  std::string oauth2_client_registration_id;
  // allow-insecure-ingest (default false): silence the no-auth startup warning.
  bool allow_insecure_ingest = false;
  HeartbeatConfig heartbeat;  // heartbeat.*
};

// failover.dashboard.cluster.*
struct ClusterConfig {
  // mode (default local): where metrics are read from.
  ClusterMode mode = ClusterMode::kLocal;
  PrometheusClusterConfig prometheus;  // prometheus.*
  SharedStoreConfig shared_store;      // shared-store.*
  SnapshotConfig snapshot;             // snapshot.*
};

// failover.dashboard.naming.*
struct DashboardNamingConfig {
  // data-dir (default ""): the folder where failoverd keeps the naming failover data (switch and
  // services per namespace) in the Nacos disk failover format, {data-dir}/nacos/naming/{namespace}/
  // failover, restored at start; blank keeps it in memory only (lost on restart).
  std::string data_dir;
};

// failover.dashboard.*
struct DashboardConfig {
  // enabled (default false): master switch; nothing is served unless true.
  bool enabled = false;
  // base-path (default /failover-dashboard): namespace of UI and API.
  std::string base_path = "/failover-dashboard";
  // listen (default 127.0.0.1:8080): HTTP address of failoverd, host:port.
  std::string listen = "127.0.0.1:8080";
  // grpc-listen (default 127.0.0.1:8081): gRPC address of failoverd, host:port.
  std::string grpc_listen = "127.0.0.1:8081";
  // profile (default ""): "prod" turns on production rules (allow-insecure is refused).
  std::string profile;
  ExposureConfig exposure;           // exposure.*
  DashboardSecurityConfig security;  // security.*
  HistoryConfig history;             // history.*
  HealthThresholdsConfig health;     // health.*
  ClusterConfig cluster;             // cluster.*
  DashboardNamingConfig naming;      // naming.*
};

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_DASHBOARD_CONFIG_H_
