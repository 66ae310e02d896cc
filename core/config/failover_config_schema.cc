#include "core/config/failover_config_schema.h"

#include "core/config/config_validators.h"
#include "core/config/internal/dashboard_config_schema.h"

namespace failover {
namespace {

ConfigSchema<JdbcStoreConfig> JdbcStoreSchema() {
  ConfigSchema<EncryptionConfig> encryption;
  encryption.Property("enabled", &EncryptionConfig::enabled,
                      "Write new PAYLOAD values as ENC(<cipher>:<ciphertext>); reads always "
                      "honour the marker.");
  encryption
      .Property("cipher", &EncryptionConfig::cipher,
                "Registered cipher id for new writes; b64 only encodes (NOT encryption).")
      .Validate(CipherId());
  encryption
      .Property("key", &EncryptionConfig::key,
                "Base64 of the 16/24/32-byte AES key for the aesgcm cipher; prefer key-env.")
      .Secret();
  encryption.Property("key-env", &EncryptionConfig::key_env,
                      "Environment variable holding the aesgcm key (base64) when key is blank.");

  ConfigSchema<JdbcStoreConfig> jdbc;
  jdbc.Property("url", &JdbcStoreConfig::url,
                "sqlite://<path> (embedded, WAL) or postgresql://user:pass@host:port/db.")
      .Validate(NotBlank())
      .Redact(RedactUrlPassword);
  jdbc.Property("table-prefix", &JdbcStoreConfig::table_prefix,
                "Prefix of the FAILOVER_STORE table (MYAPP_ -> MYAPP_FAILOVER_STORE).")
      .Validate(TablePrefix());
  jdbc.Property("allowed-payload-classes", &JdbcStoreConfig::allowed_payload_classes,
                "Payload types allowed to be decoded: exact names or package prefixes.")
      .ValidateEach(NotBlank());
  jdbc.Section("encryption", &JdbcStoreConfig::encryption, encryption,
               "Payload-at-rest encryption (JDBC only).");
  return jdbc;
}

ConfigSchema<MultitenantConfig> MultitenantSchema() {
  ConfigSchema<TenantConfig> tenant;
  tenant
      .Property("table-prefix", &TenantConfig::table_prefix,
                "This tenant's table prefix (TABLE_PREFIX strategy).")
      .Validate(TablePrefix());
  tenant.Property("schema", &TenantConfig::schema, "This tenant's schema (SCHEMA strategy).")
      .Validate(SqlIdentifierOrEmpty());

  ConfigSchema<MultitenantConfig> multitenant;
  multitenant.Property("enabled", &MultitenantConfig::enabled, "Route store calls per tenant.");
  multitenant.Property("strategy", &MultitenantConfig::strategy,
                       "TABLE_PREFIX: a table per tenant; SCHEMA: a schema per tenant.");
  multitenant.Property("default-tenant", &MultitenantConfig::default_tenant,
                       "Tenant used when none is resolved; blank = such calls fail.");
  multitenant.Property("strict", &MultitenantConfig::strict,
                       "Reject tenants missing from tenants instead of using the shared table.");
  multitenant.SectionMap("tenants", &MultitenantConfig::tenants, "tenant-id", tenant,
                         "Per-tenant settings, keyed by tenant id.");
  return multitenant;
}

ConfigSchema<StoreConfig> StoreSchema() {
  ConfigSchema<AsyncExecutorConfig> executor;
  executor.Property("concurrency-limit", &AsyncExecutorConfig::concurrency_limit,
                    "Max in-flight async writes; 0 or negative = unbounded.");
  executor.Property("rejection-policy", &AsyncExecutorConfig::rejection_policy,
                    "What a write submitted at the limit gets (only when limit > 0).");
  ConfigSchema<InMemoryStoreConfig> inmemory;
  inmemory.Property("max-entries", &InMemoryStoreConfig::max_entries,
                    "LRU bound of the in-memory store; 0 or negative = unbounded.");
  ConfigSchema<CaffeineStoreConfig> caffeine;
  caffeine.Property("max-size", &CaffeineStoreConfig::max_size,
                    "Size bound of the Caffeine store; 0 or negative = unbounded.");

  ConfigSchema<StoreConfig> store;
  store.Property("type", &StoreConfig::type, "Backing store; INMEMORY is not persistent.");
  store.Property("async", &StoreConfig::async,
                 "Run store/delete/cleanup on a background executor; find is always synchronous.");
  store.Section("async-executor", &StoreConfig::async_executor, executor,
                "Back-pressure guard for async writes.");
  store.Section("inmemory", &StoreConfig::inmemory, inmemory, "In-memory store.");
  store.Section("caffeine", &StoreConfig::caffeine, caffeine, "Caffeine store.");
  store.Section("jdbc", &StoreConfig::jdbc, JdbcStoreSchema(), "JDBC store.");
  store.Section("multitenant", &StoreConfig::multitenant, MultitenantSchema(),
                "Multi-tenant store routing.");
  store.Check([](const StoreConfig& config, CheckReporter& reporter) {
    // Unlike the Java framework, async writes and SCHEMA combine safely here: the tenant is
    // resolved on the caller's thread before a write is queued.
    if (config.type != StoreType::kJdbc && config.multitenant.enabled &&
        config.multitenant.strategy == MultitenantStrategy::kSchema) {
      reporter.Warning("multitenant.strategy",
                       "only shapes the jdbc store; other store types keep one store per tenant");
    }
  });
  return store;
}

ConfigSchema<SchedulerConfig> SchedulerSchema() {
  ConfigSchema<SchedulerConfig> scheduler;
  scheduler.Property("enabled", &SchedulerConfig::enabled, "Run both schedulers.");
  scheduler
      .Property("report-cron", &SchedulerConfig::report_cron,
                "Cron for the observable report publisher (default daily at midnight).")
      .Validate(CronExpressionText());
  scheduler
      .Property("cleanup-cron", &SchedulerConfig::cleanup_cron,
                "Cron for the expiry cleanup (default hourly).")
      .Validate(CronExpressionText());
  return scheduler;
}

ConfigSchema<ScatterConfig> ScatterSchema() {
  ConfigSchema<ScatterConfig> scatter;
  scatter.Property("parallel", &ScatterConfig::parallel,
                   "Dispatch scatter/gather slices in parallel.");
  scatter
      .Property("timeout", &ScatterConfig::timeout,
                "Slice timeout on the parallel path; empty = wait indefinitely.")
      .Validate(PositiveIfSet());
  scatter.Property("concurrency-limit", &ScatterConfig::concurrency_limit,
                   "Max in-flight slices; 0 or negative = unbounded.");
  scatter.Property("rejection-policy", &ScatterConfig::rejection_policy,
                   "What a slice submitted at the limit gets (only when limit > 0).");
  return scatter;
}

ConfigSchema<ObservableConfig> ObservableSchema() {
  ConfigSchema<ObservableAsyncConfig> async;
  async.Property("enabled", &ObservableAsyncConfig::enabled,
                 "Publish metrics off the caller's thread through a bounded queue.");
  async
      .Property("queue-capacity", &ObservableAsyncConfig::queue_capacity,
                "Queue bound; a full queue drops (and counts) the metric.")
      .Validate(AtLeast<int32_t>(1))
      .Validate(AtMost<int32_t>(ObservableAsyncConfig::kMaxQueueCapacity));
  ConfigSchema<InstanceTagConfig> instance;
  instance.Property("mode", &InstanceTagConfig::mode,
                    "auto: all registries but Prometheus; always; never.");
  instance.Property("id", &InstanceTagConfig::id,
                    "Instance tag value; blank = application name + host name.");
  ConfigSchema<CardinalityConfig> cardinality;
  cardinality.Property("enabled", &CardinalityConfig::enabled,
                       "Cap distinct name tag values on failover.* meters.");
  cardinality
      .Property("max-apis", &CardinalityConfig::max_apis,
                "The cap; new series are denied beyond it.")
      .Validate(AtLeast<int32_t>(1));

  ConfigSchema<PrometheusEndpointConfig> prometheus;
  prometheus.Property("enabled", &PrometheusEndpointConfig::enabled,
                      "Serve the registry in Prometheus text on a listener of its own.");
  prometheus
      .Property("listen", &PrometheusEndpointConfig::listen,
                "host:port of that listener; port 0 picks a free one.")
      .Validate(HostPort());
  prometheus
      .Property("path", &PrometheusEndpointConfig::path,
                "The path it answers, e.g. /metrics; others are 404.")
      .Validate(BasePath());

  ConfigSchema<OtlpRetryConfig> retry;
  retry
      .Property("initial-backoff", &OtlpRetryConfig::initial_backoff,
                "Wait before the first retry; doubles per attempt, with jitter.")
      .Validate(DurationAtLeast(absl::Milliseconds(1)));
  retry
      .Property("max-backoff", &OtlpRetryConfig::max_backoff,
                "Cap of one wait; a server's Retry-After is honoured up to it.")
      .Validate(DurationAtLeast(absl::Milliseconds(1)));
  retry
      .Property("max-elapsed", &OtlpRetryConfig::max_elapsed,
                "An export still failing this long after its first attempt is dropped.")
      .Validate(DurationAtLeast(absl::ZeroDuration()));
  ConfigSchema<OtlpConfig> otlp;
  otlp.Property("enabled", &OtlpConfig::enabled,
                "Export the registry periodically over OTLP/HTTP (protobuf, cumulative).");
  otlp.Property("protocol", &OtlpConfig::protocol,
                "http/protobuf (POST to endpoint) or grpc (MetricsService/Export).")
      .Validate(OneOf({"http/protobuf", "grpc"}));
  otlp.Property("endpoint", &OtlpConfig::endpoint,
                "http/protobuf: full URL, e.g. http://collector:4318/v1/metrics; grpc: "
                "http[s]://collector:4317; blank = that protocol's localhost default.")
      .Validate(HttpUrlOrEmpty());
  otlp.Property("headers", &OtlpConfig::headers,
                "Name=value headers sent with every export (e.g. Authorization=Bearer ...).")
      .ValidateEach(HeaderAssignment())
      .Secret();
  otlp.Property("interval", &OtlpConfig::interval, "Time between exports.")
      .Validate(DurationAtLeast(absl::Milliseconds(100)));
  otlp.Property("timeout", &OtlpConfig::timeout, "Limit of one HTTP request.")
      .Validate(DurationAtLeast(absl::Milliseconds(1)));
  otlp.Property("compression", &OtlpConfig::compression, "none or gzip.")
      .Validate(OneOf({"none", "gzip"}));
  otlp.Property("service-name", &OtlpConfig::service_name,
                "Resource attribute service.name; blank = unknown_service.");
  otlp.Property("max-queue", &OtlpConfig::max_queue,
                "Exports waiting to be sent; when full the oldest is dropped (and counted).")
      .Validate(AtLeast<int32_t>(1))
      .Validate(AtMost<int32_t>(1000));
  otlp.Section("retry", &OtlpConfig::retry, retry, "Retries of failed exports.");
  otlp.Check([](const OtlpConfig& config, CheckReporter& reporter) {
    if (config.retry.max_backoff < config.retry.initial_backoff) {
      reporter.Error("retry.max-backoff", "must not be shorter than retry.initial-backoff");
    }
    if (config.enabled && config.timeout >= config.interval) {
      reporter.Warning("timeout", "is not shorter than interval: a slow collector delays exports");
    }
  });

  ConfigSchema<ObservableConfig> observable;
  observable.Section("async", &ObservableConfig::async, async, "Asynchronous publishing.");
  observable.Section("instance", &ObservableConfig::instance, instance, "Instance tag.");
  observable.Section("cardinality", &ObservableConfig::cardinality, cardinality,
                     "Cardinality guard.");
  observable.Section("prometheus", &ObservableConfig::prometheus, prometheus,
                     "Prometheus listener of an application.");
  observable.Section("otlp", &ObservableConfig::otlp, otlp, "OTLP metrics export.");
  return observable;
}

ConfigSchema<FailoverConfig> BuildFailoverConfigSchema() {
  ConfigSchema<FailoverConfig> root;
  root.Property("enabled", &FailoverConfig::enabled,
                "Enable the framework; false bypasses every failover.");
  root.Property("type", &FailoverConfig::type,
                "Execution strategy: BASIC (try/catch), RESILIENCE (circuit breaker), CUSTOM.");
  root.Property("exception-policy", &FailoverConfig::exception_policy,
                "When recovery finds nothing: RETHROW, NEVER_THROW (empty result), CUSTOM.");
  root.Section("store", &FailoverConfig::store, StoreSchema(), "Payload store.");
  root.Section("scheduler", &FailoverConfig::scheduler, SchedulerSchema(), "Schedulers.");
  root.Section("scatter", &FailoverConfig::scatter, ScatterSchema(), "Scatter/gather.");
  root.Section("observable", &FailoverConfig::observable, ObservableSchema(), "Metrics.");
  root.Section("dashboard", &FailoverConfig::dashboard, config_internal::DashboardConfigSchema(),
               "Dashboard.");
  return root;
}

}  // namespace

const ConfigSchema<FailoverConfig>& FailoverConfigSchema() {
  static const ConfigSchema<FailoverConfig>* const schema =
      new ConfigSchema<FailoverConfig>(BuildFailoverConfigSchema());
  return *schema;
}

}  // namespace failover
