// The framework's failover.* section: the seed's full example, defaults equal to the seed's
// property tables, and every enum spelling.
#include "core/config/failover_config.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/config/config_loader.h"
#include "core/config/failover_config_loader.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

constexpr char kExample[] = "core/config/testdata/application.yml";

TEST(FailoverConfigTest, SeedFullExampleLoadsWithEveryValue) {
  absl::StatusOr<FailoverConfig> loaded = LoadFailoverConfigFile(kExample, {});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const FailoverConfig& c = *loaded;
  EXPECT_TRUE(c.enabled);
  EXPECT_EQ(c.type, FailoverType::kBasic);
  EXPECT_EQ(c.exception_policy, ExceptionPolicy::kRethrow);

  EXPECT_EQ(c.store.type, StoreType::kJdbc);
  EXPECT_TRUE(c.store.async);
  EXPECT_EQ(c.store.async_executor.concurrency_limit, 0);
  EXPECT_EQ(c.store.async_executor.rejection_policy, RejectionPolicy::kDiscard);
  EXPECT_EQ(c.store.jdbc.table_prefix, "MYAPP_");
  EXPECT_TRUE(c.store.jdbc.allowed_payload_classes.empty());
  EXPECT_FALSE(c.store.jdbc.encryption.enabled);
  EXPECT_EQ(c.store.jdbc.encryption.cipher, "b64");
  EXPECT_FALSE(c.store.multitenant.enabled);
  EXPECT_EQ(c.store.multitenant.strategy, MultitenantStrategy::kTablePrefix);
  EXPECT_EQ(c.store.multitenant.default_tenant, "");
  EXPECT_FALSE(c.store.multitenant.strict);
  ASSERT_EQ(c.store.multitenant.tenants.size(), 2);
  EXPECT_EQ(c.store.multitenant.tenants.at("acme").table_prefix, "ACME_");
  EXPECT_EQ(c.store.multitenant.tenants.at("globex").table_prefix, "GLOBEX_");
  EXPECT_EQ(c.store.multitenant.tenants.at("globex").schema, "");
  // Not in the example: defaults.
  EXPECT_EQ(c.store.inmemory.max_entries, 10000);
  EXPECT_EQ(c.store.caffeine.max_size, 10000);

  EXPECT_TRUE(c.scheduler.enabled);
  EXPECT_EQ(c.scheduler.report_cron, "0 0 0 * * *");
  EXPECT_EQ(c.scheduler.cleanup_cron, "0 0 * * * *");

  EXPECT_TRUE(c.scatter.parallel);
  EXPECT_EQ(c.scatter.timeout, absl::Seconds(10));
  EXPECT_EQ(c.scatter.concurrency_limit, 0);
  EXPECT_EQ(c.scatter.rejection_policy, RejectionPolicy::kDiscard);

  const DashboardConfig& d = c.dashboard;
  EXPECT_FALSE(d.enabled);
  EXPECT_EQ(d.base_path, "/failover-dashboard");
  EXPECT_TRUE(d.exposure.ui);
  EXPECT_TRUE(d.exposure.api);
  EXPECT_EQ(d.exposure.include,
            (std::vector<std::string>{"config", "failover-health", "metrics", "health"}));
  EXPECT_EQ(d.security.role, "FAILOVER_ADMIN");
  EXPECT_FALSE(d.security.allow_insecure);
  EXPECT_FALSE(d.history.enabled);
  EXPECT_EQ(d.history.samples, 120);
  EXPECT_EQ(d.history.sample_interval_seconds, 15);
  EXPECT_DOUBLE_EQ(d.health.degraded_threshold, 0.99);
  EXPECT_DOUBLE_EQ(d.health.unhealthy_threshold, 0.90);
}

TEST(FailoverConfigTest, SeedFullExampleCountsPropertiesAndHasNoWarnings) {
  ConfigLoader loader;
  ASSERT_TRUE(AddFailoverSection(loader).ok());
  absl::StatusOr<ConfigLoadResult> result = loader.LoadFile(kExample, {});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->ok()) << result->status();
  EXPECT_TRUE(result->warnings().empty());
  EXPECT_EQ(result->properties_set(), 36);
}

TEST(FailoverConfigTest, EmptyDocumentGivesSeedDefaults) {
  for (absl::string_view text : {"", "# comments only\n", "failover:\n", "spring:\n  x: 1\n"}) {
    absl::StatusOr<FailoverConfig> loaded = LoadFailoverConfig(text, {});
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    const FailoverConfig& c = *loaded;
    EXPECT_TRUE(c.enabled);
    EXPECT_EQ(c.type, FailoverType::kBasic);
    EXPECT_EQ(c.exception_policy, ExceptionPolicy::kRethrow);
    EXPECT_EQ(c.store.type, StoreType::kInMemory);
    EXPECT_TRUE(c.store.async);
    EXPECT_EQ(c.store.jdbc.table_prefix, "");
    EXPECT_EQ(c.store.jdbc.encryption.cipher, "b64");
    EXPECT_TRUE(c.store.multitenant.tenants.empty());
    EXPECT_EQ(c.scatter.timeout, absl::Seconds(10));
    EXPECT_EQ(c.observable.async.queue_capacity, 10000);
    EXPECT_EQ(c.observable.instance.mode, InstanceTagMode::kAuto);
    EXPECT_EQ(c.observable.cardinality.max_apis, 1000);
    EXPECT_EQ(c.dashboard.exposure.include.size(), 6);
    EXPECT_EQ(c.dashboard.cluster.mode, ClusterMode::kLocal);
    EXPECT_EQ(c.dashboard.cluster.shared_store.store, SharedStoreType::kInMemory);
    EXPECT_EQ(c.dashboard.cluster.shared_store.instance_retention, absl::Hours(168));
    EXPECT_EQ(c.dashboard.cluster.shared_store.retention.max_age, absl::Hours(168));
    EXPECT_EQ(c.dashboard.cluster.snapshot.heartbeat.interval_seconds, 60);
  }
}

// Every row of the seed's property tables: path -> default, as the seed prints it (lists and
// doubles normalised to our formatting). The listing must hold exactly these.
const std::map<std::string, std::string>& SeedDefaults() {
  static const auto* defaults = new std::map<std::string, std::string>{
      {"failover.enabled", "true"},
      {"failover.type", "BASIC"},
      {"failover.exception-policy", "RETHROW"},
      {"failover.store.type", "INMEMORY"},
      {"failover.store.async", "true"},
      {"failover.store.async-executor.concurrency-limit", "0"},
      {"failover.store.async-executor.rejection-policy", "DISCARD"},
      {"failover.store.inmemory.max-entries", "10000"},
      {"failover.store.caffeine.max-size", "10000"},
      {"failover.store.jdbc.url", "sqlite://failover-store.db"},
      {"failover.store.jdbc.table-prefix", ""},
      {"failover.store.jdbc.allowed-payload-classes", "[]"},
      {"failover.store.jdbc.encryption.enabled", "false"},
      {"failover.store.jdbc.encryption.cipher", "b64"},
      {"failover.store.jdbc.encryption.key", ""},
      {"failover.store.jdbc.encryption.key-env", "FAILOVER_STORE_ENCRYPTION_KEY"},
      {"failover.store.multitenant.enabled", "false"},
      {"failover.store.multitenant.strategy", "TABLE_PREFIX"},
      {"failover.store.multitenant.default-tenant", ""},
      {"failover.store.multitenant.strict", "false"},
      {"failover.store.multitenant.tenants", "{}"},
      {"failover.store.multitenant.tenants.<tenant-id>.table-prefix", ""},
      {"failover.store.multitenant.tenants.<tenant-id>.schema", ""},
      {"failover.scheduler.enabled", "true"},
      {"failover.scheduler.report-cron", "0 0 0 * * *"},
      {"failover.scheduler.cleanup-cron", "0 0 * * * *"},
      {"failover.scatter.parallel", "true"},
      {"failover.scatter.timeout", "10s"},
      {"failover.scatter.concurrency-limit", "0"},
      {"failover.scatter.rejection-policy", "DISCARD"},
      {"failover.observable.async.enabled", "true"},
      {"failover.observable.async.queue-capacity", "10000"},
      {"failover.observable.instance.mode", "auto"},
      {"failover.observable.instance.id", ""},
      {"failover.observable.cardinality.enabled", "true"},
      {"failover.observable.cardinality.max-apis", "1000"},
      // ours: an application's Prometheus listener and the OTLP exporter.
      {"failover.observable.prometheus.enabled", "false"},
      {"failover.observable.prometheus.listen", "127.0.0.1:9464"},
      {"failover.observable.prometheus.path", "/metrics"},
      {"failover.observable.otlp.enabled", "false"},
      {"failover.observable.otlp.protocol", "http/protobuf"},
      {"failover.observable.otlp.endpoint", ""},
      {"failover.observable.otlp.headers", ""},
      {"failover.observable.otlp.interval", "1m"},
      {"failover.observable.otlp.timeout", "10s"},
      {"failover.observable.otlp.compression", "none"},
      {"failover.observable.otlp.service-name", ""},
      {"failover.observable.otlp.max-queue", "8"},
      {"failover.observable.otlp.retry.initial-backoff", "1s"},
      {"failover.observable.otlp.retry.max-backoff", "30s"},
      {"failover.observable.otlp.retry.max-elapsed", "5m"},
      {"failover.dashboard.enabled", "false"},
      {"failover.dashboard.base-path", "/failover-dashboard"},
      {"failover.dashboard.listen", "127.0.0.1:8080"},  // ours: failoverd's addresses
      {"failover.dashboard.grpc-listen", "127.0.0.1:8081"},
      {"failover.dashboard.profile", ""},  // ours: Spring's active profile
      {"failover.dashboard.exposure.ui", "true"},
      {"failover.dashboard.exposure.api", "true"},
      {"failover.dashboard.exposure.include",
       "[config, failover-health, metrics, health, cluster, instances]"},
      {"failover.dashboard.security.role", "FAILOVER_ADMIN"},
      {"failover.dashboard.security.allow-insecure", "false"},
      // ours: failoverd's own users, ingest credentials and lockout (Spring Security's part).
      {"failover.dashboard.security.users", "[]"},
      {"failover.dashboard.security.users[].username", ""},
      {"failover.dashboard.security.users[].password-hash", ""},
      {"failover.dashboard.security.users[].roles", "[]"},
      {"failover.dashboard.security.ingest-role", "FAILOVER_INGEST"},
      {"failover.dashboard.security.metrics-role", "FAILOVER_METRICS"},
      {"failover.dashboard.security.ingest-tokens", ""},
      {"failover.dashboard.security.max-failures", "5"},
      {"failover.dashboard.security.lockout", "1m"},
      {"failover.dashboard.history.enabled", "false"},
      {"failover.dashboard.history.samples", "120"},
      {"failover.dashboard.history.sample-interval-seconds", "15"},
      {"failover.dashboard.health.degraded-threshold", "0.99"},
      {"failover.dashboard.health.unhealthy-threshold", "0.9"},
      {"failover.dashboard.cluster.mode", "local"},
      {"failover.dashboard.cluster.prometheus.base-url", ""},
      {"failover.dashboard.cluster.prometheus.token", ""},
      {"failover.dashboard.cluster.prometheus.timeout-seconds", "5"},
      {"failover.dashboard.cluster.shared-store.store", "inmemory"},
      {"failover.dashboard.cluster.shared-store.liveness-seconds", "180"},
      {"failover.dashboard.cluster.shared-store.max-instances", "10"},
      {"failover.dashboard.cluster.shared-store.instance-retention", "7d"},
      {"failover.dashboard.cluster.shared-store.sample-interval-seconds", "30"},
      {"failover.dashboard.cluster.shared-store.retention.max-age", "7d"},
      {"failover.dashboard.cluster.shared-store.retention.max-entries", "100000"},
      {"failover.dashboard.cluster.shared-store.jdbc.table-prefix", ""},
      {"failover.dashboard.cluster.shared-store.jdbc.url", ""},  // ours: a DataSource's URL
      {"failover.dashboard.cluster.shared-store.jdbc.auto-ddl", "true"},
      {"failover.dashboard.cluster.snapshot.publish-url", ""},
      {"failover.dashboard.cluster.snapshot.interval-seconds", "15"},
      {"failover.dashboard.cluster.snapshot.retry-interval-seconds", "300"},
      {"failover.dashboard.cluster.snapshot.username", ""},
      {"failover.dashboard.cluster.snapshot.password", ""},
      {"failover.dashboard.cluster.snapshot.oauth2-client-registration-id", ""},
      {"failover.dashboard.cluster.snapshot.allow-insecure-ingest", "false"},
      {"failover.dashboard.cluster.snapshot.heartbeat.enabled", "false"},
      {"failover.dashboard.cluster.snapshot.heartbeat.interval-seconds", "60"},
      {"failover.dashboard.naming.data-dir", ""},  // ours: failoverd's naming failover data
  };
  return *defaults;
}

TEST(FailoverConfigTest, PropertyListingMatchesSeedTables) {
  ConfigLoader loader;
  ASSERT_TRUE(AddFailoverSection(loader).ok());
  std::map<std::string, std::string> listed;
  for (const PropertyDescription& row : loader.DescribeProperties()) {
    EXPECT_FALSE(row.doc.empty()) << row.path;
    EXPECT_TRUE(listed.emplace(row.path, row.default_value).second) << row.path;
  }
  EXPECT_EQ(listed, SeedDefaults());
}

TEST(FailoverConfigTest, PropertyListingNamesTypesAndEnvVars) {
  ConfigLoader loader;
  ASSERT_TRUE(AddFailoverSection(loader).ok());
  std::map<std::string, PropertyDescription> rows;
  for (PropertyDescription& row : loader.DescribeProperties()) rows[row.path] = row;
  const PropertyDescription& prefix = rows["failover.store.jdbc.table-prefix"];
  EXPECT_EQ(prefix.env_var, "FAILOVER_STORE_JDBC_TABLEPREFIX");
  EXPECT_EQ(prefix.type, "String");
  EXPECT_EQ(rows["failover.store.type"].type, "StoreType");
  EXPECT_EQ(rows["failover.store.type"].allowed, "INMEMORY | CAFFEINE | JDBC | CUSTOM");
  EXPECT_EQ(rows["failover.store.caffeine.max-size"].type, "long");
  EXPECT_EQ(rows["failover.scatter.timeout"].type, "Duration (empty = none)");
  EXPECT_EQ(rows["failover.dashboard.exposure.include"].type, "List<String>");
  EXPECT_EQ(rows["failover.dashboard.cluster.mode"].allowed, "local | prometheus | shared-store");
}

struct EnumCase {
  std::string yaml;
  std::function<bool(const FailoverConfig&)> holds;
};

TEST(FailoverConfigTest, EveryEnumValueInSeveralSpellings) {
  const std::vector<EnumCase> cases = {
      {"type: basic", [](auto& c) { return c.type == FailoverType::kBasic; }},
      {"type: RESILIENCE", [](auto& c) { return c.type == FailoverType::kResilience; }},
      {"type: Custom", [](auto& c) { return c.type == FailoverType::kCustom; }},
      {"exception-policy: rethrow",
       [](auto& c) { return c.exception_policy == ExceptionPolicy::kRethrow; }},
      {"exception-policy: never_throw",
       [](auto& c) { return c.exception_policy == ExceptionPolicy::kNeverThrow; }},
      {"exception-policy: NEVER-THROW",
       [](auto& c) { return c.exception_policy == ExceptionPolicy::kNeverThrow; }},
      {"exception-policy: CUSTOM",
       [](auto& c) { return c.exception_policy == ExceptionPolicy::kCustom; }},
      {"store.type: inmemory", [](auto& c) { return c.store.type == StoreType::kInMemory; }},
      {"store.type: In-Memory", [](auto& c) { return c.store.type == StoreType::kInMemory; }},
      {"store.type: caffeine", [](auto& c) { return c.store.type == StoreType::kCaffeine; }},
      {"store.type: jdbc", [](auto& c) { return c.store.type == StoreType::kJdbc; }},
      {"store.type: JDBC", [](auto& c) { return c.store.type == StoreType::kJdbc; }},
      {"store.type: custom", [](auto& c) { return c.store.type == StoreType::kCustom; }},
      {"store.async-executor.rejection-policy: discard",
       [](auto& c) {
         return c.store.async_executor.rejection_policy == RejectionPolicy::kDiscard;
       }},
      {"store.async-executor.rejection-policy: caller_runs",
       [](auto& c) {
         return c.store.async_executor.rejection_policy == RejectionPolicy::kCallerRuns;
       }},
      {"scatter.rejection-policy: CALLER-RUNS",
       [](auto& c) { return c.scatter.rejection_policy == RejectionPolicy::kCallerRuns; }},
      {"scatter.rejection-policy: Abort",
       [](auto& c) { return c.scatter.rejection_policy == RejectionPolicy::kAbort; }},
      {"store.multitenant.strategy: table_prefix",
       [](auto& c) { return c.store.multitenant.strategy == MultitenantStrategy::kTablePrefix; }},
      {"store.multitenant.strategy: TABLE-PREFIX",
       [](auto& c) { return c.store.multitenant.strategy == MultitenantStrategy::kTablePrefix; }},
      {"store.multitenant.strategy: schema",
       [](auto& c) { return c.store.multitenant.strategy == MultitenantStrategy::kSchema; }},
      {"observable.instance.mode: auto",
       [](auto& c) { return c.observable.instance.mode == InstanceTagMode::kAuto; }},
      {"observable.instance.mode: ALWAYS",
       [](auto& c) { return c.observable.instance.mode == InstanceTagMode::kAlways; }},
      {"observable.instance.mode: Never",
       [](auto& c) { return c.observable.instance.mode == InstanceTagMode::kNever; }},
      {"dashboard.cluster.mode: local",
       [](auto& c) { return c.dashboard.cluster.mode == ClusterMode::kLocal; }},
      {"dashboard.cluster.mode: PROMETHEUS",
       [](auto& c) { return c.dashboard.cluster.mode == ClusterMode::kPrometheus; }},
      {"dashboard.cluster.mode: shared-store",
       [](auto& c) { return c.dashboard.cluster.mode == ClusterMode::kSharedStore; }},
      {"dashboard.cluster.mode: shared_store",
       [](auto& c) { return c.dashboard.cluster.mode == ClusterMode::kSharedStore; }},
      {"dashboard.cluster.mode: SHARED_STORE",
       [](auto& c) { return c.dashboard.cluster.mode == ClusterMode::kSharedStore; }},
      {"dashboard.cluster.shared-store.store: inmemory",
       [](auto& c) {
         return c.dashboard.cluster.shared_store.store == SharedStoreType::kInMemory;
       }},
      {"dashboard.cluster.shared-store.store: JDBC",
       [](auto& c) { return c.dashboard.cluster.shared_store.store == SharedStoreType::kJdbc; }},
  };
  for (const EnumCase& test_case : cases) {
    absl::StatusOr<FailoverConfig> loaded =
        LoadFailoverConfig(absl::StrCat("failover:\n  ", test_case.yaml, "\n"), {});
    ASSERT_TRUE(loaded.ok()) << test_case.yaml << ": " << loaded.status();
    EXPECT_TRUE(test_case.holds(*loaded)) << test_case.yaml;
  }
}

TEST(FailoverConfigTest, EnumNamesAreTheDocumentedOnes) {
  EXPECT_EQ(ConfigEnumName(ExceptionPolicy::kNeverThrow), "NEVER_THROW");
  EXPECT_EQ(ConfigEnumName(RejectionPolicy::kCallerRuns), "CALLER_RUNS");
  EXPECT_EQ(ConfigEnumName(ClusterMode::kSharedStore), "shared-store");
  EXPECT_EQ(ConfigEnumName(SharedStoreType::kJdbc), "jdbc");
}

TEST(FailoverConfigTest, RelaxedKeyFormsBindTheSameProperty) {
  for (absl::string_view key : {"table-prefix", "tablePrefix", "table_prefix", "TABLE_PREFIX"}) {
    absl::StatusOr<FailoverConfig> loaded = LoadFailoverConfig(
        absl::StrCat("failover:\n  Store:\n    jdbc:\n      ", key, ": X_\n"), {});
    ASSERT_TRUE(loaded.ok()) << key << ": " << loaded.status();
    EXPECT_EQ(loaded->store.jdbc.table_prefix, "X_") << key;
  }
  absl::StatusOr<FailoverConfig> camel = LoadFailoverConfig(
      "failover:\n  exceptionPolicy: never_throw\n  dashboard:\n    basePath: /ops\n", {});
  ASSERT_TRUE(camel.ok()) << camel.status();
  EXPECT_EQ(camel->exception_policy, ExceptionPolicy::kNeverThrow);
  EXPECT_EQ(camel->dashboard.base_path, "/ops");
}

TEST(FailoverConfigTest, FlatDottedKeysAndMapKeysVerbatim) {
  absl::StatusOr<FailoverConfig> loaded = LoadFailoverConfig(
      "failover.store.type: caffeine\n"
      "failover.store.multitenant.tenants:\n"
      "  Acme-EU:\n    table-prefix: ACME_EU_\n"
      "  \"[globex.us]\":\n    schema: globex\n",
      {});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->store.type, StoreType::kCaffeine);
  EXPECT_EQ(loaded->store.multitenant.tenants.at("Acme-EU").table_prefix, "ACME_EU_");
  EXPECT_EQ(loaded->store.multitenant.tenants.at("globex.us").schema, "globex");
}

TEST(FailoverConfigTest, ValuesOfEveryKind) {
  absl::StatusOr<FailoverConfig> loaded = LoadFailoverConfig(
      "failover:\n"
      "  enabled: off\n"
      "  store:\n"
      "    caffeine:\n      max-size: 5000000000\n"
      "    jdbc:\n      allowed-payload-classes: com.acme.dto, com.acme.Price\n"
      "  scatter:\n    timeout:\n"
      "  dashboard:\n"
      "    exposure:\n      include:\n        - config\n        - cluster\n"
      "    health:\n      degraded-threshold: 1\n      unhealthy-threshold: 0.5\n"
      "    cluster:\n      shared-store:\n        instance-retention: 0\n"
      "        retention:\n          max-age: PT36H\n",
      {});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_FALSE(loaded->enabled);
  EXPECT_EQ(loaded->store.caffeine.max_size, 5000000000);
  EXPECT_EQ(loaded->store.jdbc.allowed_payload_classes,
            (std::vector<std::string>{"com.acme.dto", "com.acme.Price"}));
  EXPECT_EQ(loaded->scatter.timeout, std::nullopt);
  EXPECT_EQ(loaded->dashboard.exposure.include, (std::vector<std::string>{"config", "cluster"}));
  EXPECT_DOUBLE_EQ(loaded->dashboard.health.degraded_threshold, 1.0);
  EXPECT_EQ(loaded->dashboard.cluster.shared_store.instance_retention, absl::ZeroDuration());
  EXPECT_EQ(loaded->dashboard.cluster.shared_store.retention.max_age, absl::Hours(36));
}

TEST(FailoverConfigTest, EmptyStringTimeoutAlsoMeansIndefinitely) {
  absl::StatusOr<FailoverConfig> loaded =
      LoadFailoverConfig("failover:\n  scatter:\n    timeout: \"\"\n", {});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->scatter.timeout, std::nullopt);
}

}  // namespace
}  // namespace failover
