// Typed configuration for every failover.* property of the Java framework this toolkit is
// compatible with, with the same defaults. A default-constructed FailoverConfig is the
// configuration of an empty file. Load one with LoadFailoverConfig() (failover_config_loader.h)
// and pass it around by const reference:
//
//   absl::StatusOr<FailoverConfig> config = LoadFailoverConfig(yaml_text, ProcessEnvironment());
//   if (config->store.type == StoreType::kJdbc) { ... config->store.jdbc.table_prefix ... }
//
// The structs are plain values (thread-compatible); nothing mutates them after loading.
#ifndef FAILOVER_CORE_CONFIG_FAILOVER_CONFIG_H_
#define FAILOVER_CORE_CONFIG_FAILOVER_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "core/config/config_value.h"
#include "core/config/dashboard_config.h"
#include "core/config/store_config.h"

namespace failover {

// How a failover executes the upstream call.
enum class FailoverType {
  kBasic,       // "BASIC": try/catch
  kResilience,  // "RESILIENCE": upstream wrapped in a circuit breaker named after the failover
  kCustom,      // "CUSTOM": an execution supplied by the application
};
ConfigEnumDescription<FailoverType> DescribeConfigEnum(FailoverType);

// What happens when recovery finds nothing.
enum class ExceptionPolicy {
  kRethrow,     // "RETHROW": the upstream error is returned
  kNeverThrow,  // "NEVER_THROW": an empty result (or the recovered-payload handler's) is returned
  kCustom,      // "CUSTOM": a policy supplied by the application decides
};
ConfigEnumDescription<ExceptionPolicy> DescribeConfigEnum(ExceptionPolicy);

// Whether metrics carry an `instance` tag.
enum class InstanceTagMode {
  kAuto,    // "auto": every registry except Prometheus (which adds it at scrape)
  kAlways,  // "always": every registry, Prometheus included
  kNever,   // "never": no instance tag
};
ConfigEnumDescription<InstanceTagMode> DescribeConfigEnum(InstanceTagMode);

// failover.scheduler.*
struct SchedulerConfig {
  // enabled (default true): run the report and cleanup schedulers.
  bool enabled = true;
  // report-cron (default "0 0 0 * * *"): when the observable report is published (daily).
  std::string report_cron = "0 0 0 * * *";
  // cleanup-cron (default "0 0 * * * *"): when expired entries are cleaned up (hourly).
  std::string cleanup_cron = "0 0 * * * *";
};

// failover.scatter.*
struct ScatterConfig {
  // parallel (default true): dispatch scatter/gather slices in parallel.
  bool parallel = true;
  // timeout (default 10s): slice timeout on the parallel path; nullopt (empty) = no limit.
  std::optional<absl::Duration> timeout = absl::Seconds(10);
  // concurrency-limit (default 0): max in-flight slices; 0 or negative = unbounded.
  int32_t concurrency_limit = 0;
  // rejection-policy (default DISCARD): what a slice submitted at the limit gets.
  RejectionPolicy rejection_policy = RejectionPolicy::kDiscard;
};

// failover.observable.async.*
struct ObservableAsyncConfig {
  // enabled (default true): publish metrics off the caller's thread through a bounded queue.
  bool enabled = true;
  // queue-capacity (default 10000): queue bound; a full queue drops (and counts) the metric.
  // 1..kMaxQueueCapacity: the queue's slots are allocated up front.
  int32_t queue_capacity = 10000;
  static constexpr int32_t kMaxQueueCapacity = 1 << 20;
};

// failover.observable.instance.*
struct InstanceTagConfig {
  // mode (default auto): which registries get the instance tag.
  InstanceTagMode mode = InstanceTagMode::kAuto;
  // id (default ""): the tag's value; blank = application name + host name.
  std::string id;
};

// failover.observable.cardinality.*
struct CardinalityConfig {
  // enabled (default true): cap distinct `name` tag values on failover.* meters.
  bool enabled = true;
  // max-apis (default 1000): the cap; new series are denied beyond it.
  int32_t max_apis = 1000;
};

// failover.observable.prometheus.*: a small HTTP listener serving the registry in Prometheus text,
// for applications that run no HTTP server of their own (failoverd serves /metrics on its own
// listener instead).
struct PrometheusEndpointConfig {
  // enabled (default false): start the listener.
  bool enabled = false;
  // listen (default 127.0.0.1:9464): host:port it binds; port 0 picks a free one.
  std::string listen = "127.0.0.1:9464";
  // path (default /metrics): the one path it answers; everything else is 404.
  std::string path = "/metrics";
};

// failover.observable.otlp.retry.*: how a failed export is retried.
struct OtlpRetryConfig {
  // initial-backoff (default 1s): wait before the first retry; doubles per attempt, with jitter.
  absl::Duration initial_backoff = absl::Seconds(1);
  // max-backoff (default 30s): cap of one wait (a server's Retry-After is honoured up to it).
  absl::Duration max_backoff = absl::Seconds(30);
  // max-elapsed (default 5m): an export still failing this long after its first attempt is
  // dropped (and counted).
  absl::Duration max_elapsed = absl::Minutes(5);
};

// failover.observable.otlp.*: periodic OTLP/HTTP (protobuf) export of the registry, cumulative
// temporality.
struct OtlpConfig {
  // enabled (default false): start the exporter.
  bool enabled = false;
  // protocol (default http/protobuf): http/protobuf (POST to endpoint) or grpc (the OTLP
  // MetricsService/Export call; endpoint is then http://host:port, https:// for TLS, and its
  // default port is 4317).
  std::string protocol = "http/protobuf";
  // endpoint (default ""): the full URL exports are POSTed to (http/protobuf), or the collector's
  // http[s]://host:port (grpc); blank = the protocol's local default, kOtlpHttpDefaultEndpoint
  // or kOtlpGrpcDefaultEndpoint.
  std::string endpoint;
  static constexpr char kOtlpHttpDefaultEndpoint[] = "http://localhost:4318/v1/metrics";
  static constexpr char kOtlpGrpcDefaultEndpoint[] = "http://localhost:4317";
  // headers (default []): "Name=value" entries sent with every export, e.g.
  // "Authorization=Bearer ...". Secret.
  std::vector<std::string> headers;
  // interval (default 60s): time between exports.
  absl::Duration interval = absl::Seconds(60);
  // timeout (default 10s): limit of one HTTP request.
  absl::Duration timeout = absl::Seconds(10);
  // compression (default none): none or gzip (Content-Encoding of the request body).
  std::string compression = "none";
  // service-name (default ""): resource attribute service.name; blank = "unknown_service".
  std::string service_name;
  // max-queue (default 8): exports waiting to be sent; when full the oldest is dropped (and
  // counted). Cumulative data makes the newest export a superset of what a dropped one carried.
  int32_t max_queue = 8;
  OtlpRetryConfig retry;  // retry.*
};

// failover.observable.*
struct ObservableConfig {
  ObservableAsyncConfig async;          // async.*
  InstanceTagConfig instance;           // instance.*
  CardinalityConfig cardinality;        // cardinality.*
  PrometheusEndpointConfig prometheus;  // prometheus.*
  OtlpConfig otlp;                      // otlp.*
};

// failover.*
struct FailoverConfig {
  // enabled (default true): false bypasses every failover without removing it.
  bool enabled = true;
  // type (default BASIC): execution strategy.
  FailoverType type = FailoverType::kBasic;
  // exception-policy (default RETHROW): behaviour when recovery finds nothing.
  ExceptionPolicy exception_policy = ExceptionPolicy::kRethrow;
  StoreConfig store;            // store.*
  SchedulerConfig scheduler;    // scheduler.*
  ScatterConfig scatter;        // scatter.*
  ObservableConfig observable;  // observable.*
  DashboardConfig dashboard;    // dashboard.*
};

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_FAILOVER_CONFIG_H_
