#include "dashboard/api/internal/metrics_json.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/breaker/circuit_breaker_state.h"

namespace failover {
namespace dashboard {
namespace api_internal {
namespace {

constexpr absl::string_view kRedisActive = "failover.redis.endpoint.active";
constexpr absl::string_view kRedisHealthy = "failover.redis.endpoint.healthy";
constexpr absl::string_view kRedisBreaker = "failover.redis.endpoint.breaker.state";
constexpr absl::string_view kNamingSwitch = "failover.naming.switch";
constexpr absl::string_view kNamingInstances = "failover.naming.failover.instances";

absl::string_view TagOr(const v1::MetricSeries& series, absl::string_view key) {
  for (const v1::Tag& tag : series.tags()) {
    if (tag.key() == key) return tag.value();
  }
  return "";
}

// Orders rows by instance, then the series' full tag set.
std::string RowKey(const v1::MetricSeries& series) {
  std::string key(TagOr(series, "instance"));
  for (const v1::Tag& tag : series.tags())
    absl::StrAppend(&key, "\x1f", tag.key(), "=", tag.value());
  return key;
}

void PutCounts(Struct& object, const FailoverCounts& counts, uint64_t success_calls,
               uint64_t failover_calls) {
  PutNumber(object, "stored", static_cast<double>(counts.stored_successes));
  PutNumber(object, "recovered", static_cast<double>(counts.recovered));
  PutNumber(object, "notRecovered", static_cast<double>(counts.not_recovered));
  PutNumber(object, "errors", static_cast<double>(counts.errors));
  PutNumber(object, "failovers", static_cast<double>(counts.failovers()));
  Struct& calls = PutObject(object, "calls");
  PutNumber(calls, "success", static_cast<double>(success_calls));
  PutNumber(calls, "failover", static_cast<double>(failover_calls));
}

void PutRates(Struct& object, const FailoverKpis& kpis) {
  PutString(object, "health", FailoverHealthName(kpis.health));
  PutNumber(object, "successRate", kpis.success_rate);
  PutNumber(object, "failoverRate", kpis.failover_rate);
  PutNumber(object, "recoveryRate", kpis.recovery_rate);
  PutNumber(object, "nonRecoveryRate", kpis.non_recovery_rate);
  PutNumber(object, "healthyRate", kpis.healthy_rate);
}

void PutLatency(Struct& object, const LatencySummary& latency) {
  PutNumber(object, "count", static_cast<double>(latency.count));
  PutNumber(object, "p50", latency.p50);
  PutNumber(object, "p99", latency.p99);
  PutNumber(object, "max", latency.max);
  PutNumber(object, "mean",
            latency.count == 0 ? 0 : latency.sum / static_cast<double>(latency.count));
}

void PutApi(Struct& object, const ApiKpis& api) {
  PutString(object, "name", api.name);
  PutString(object, "domain", api.domain);
  PutRates(object, api.kpis);
  PutCounts(object, api.counts, api.success_calls, api.failover_calls);
  if (api.upstream_latency.has_value()) {
    PutLatency(PutObject(object, "upstreamLatency"), *api.upstream_latency);
  } else {
    PutNull(object, "upstreamLatency");
  }
  Struct& operations = PutObject(object, "operationLatency");
  for (const auto& [action, latency] : api.operation_latency) {
    PutLatency(PutObject(operations, action), latency);
  }
}

struct RedisRow {
  const v1::MetricSeries* series = nullptr;  // any of the row's series, for its tags
  std::optional<double> active, healthy, breaker;
};

void PutRedis(Struct& object, const std::vector<v1::MetricSeries>& series) {
  std::map<std::string, RedisRow> rows;
  for (const v1::MetricSeries& s : series) {
    const bool active = s.name() == kRedisActive;
    const bool healthy = s.name() == kRedisHealthy;
    const bool breaker = s.name() == kRedisBreaker;
    if (!(active || healthy || breaker) || s.value_case() != v1::MetricSeries::kGauge) continue;
    RedisRow& row = rows[RowKey(s)];
    row.series = &s;
    (active ? row.active : healthy ? row.healthy : row.breaker) = s.gauge();
  }
  ListValue& endpoints = PutList(object, "endpoints");
  for (const auto& [key, row] : rows) {
    Struct& out = AddObject(endpoints);
    PutString(out, "instance", TagOr(*row.series, "instance"));
    PutString(out, "endpoint", TagOr(*row.series, "endpoint"));
    if (row.active)
      PutBool(out, "active", *row.active != 0);
    else
      PutNull(out, "active");
    if (row.healthy)
      PutBool(out, "healthy", *row.healthy != 0);
    else
      PutNull(out, "healthy");
    if (!row.breaker.has_value()) {
      PutNull(out, "breakerState");
    } else if (*row.breaker >= 0 && *row.breaker < kCircuitBreakerStateCount &&
               *row.breaker == static_cast<int>(*row.breaker)) {
      PutString(out, "breakerState",
                StateName(static_cast<CircuitBreakerState>(static_cast<int>(*row.breaker))));
    } else {
      PutString(out, "breakerState", absl::StrCat("UNKNOWN(", *row.breaker, ")"));
    }
  }
}

struct ServiceRow {
  int64_t reporting = 0;
  double min = 0;
  double max = 0;
};

// The switch per instance; failover instances per (namespace, service) over the fleet, since
// every instance usually reads the same failover data (min != max shows when they do not).
void PutNaming(Struct& object, const std::vector<v1::MetricSeries>& series) {
  ListValue& switches = PutList(object, "switches");
  int64_t switches_on = 0;
  std::map<std::string, const v1::MetricSeries*> switch_rows;
  std::map<std::pair<std::string, std::string>, ServiceRow> services;
  for (const v1::MetricSeries& s : series) {
    if (s.value_case() != v1::MetricSeries::kGauge) continue;
    if (s.name() == kNamingSwitch) switch_rows[RowKey(s)] = &s;
    if (s.name() != kNamingInstances) continue;
    ServiceRow& row =
        services[{std::string(TagOr(s, "namespace")), std::string(TagOr(s, "service"))}];
    row.min = row.reporting == 0 ? s.gauge() : std::min(row.min, s.gauge());
    row.max = row.reporting == 0 ? s.gauge() : std::max(row.max, s.gauge());
    ++row.reporting;
  }
  for (const auto& [key, s] : switch_rows) {
    Struct& out = AddObject(switches);
    PutString(out, "instance", TagOr(*s, "instance"));
    PutString(out, "namespace", TagOr(*s, "namespace"));
    PutBool(out, "on", s->gauge() != 0);
    if (s->gauge() != 0) ++switches_on;
  }
  PutNumber(object, "switchesOn", static_cast<double>(switches_on));
  ListValue& failover_services = PutList(object, "failoverServices");
  for (const auto& [key, row] : services) {
    Struct& out = AddObject(failover_services);
    PutString(out, "namespace", key.first);
    PutString(out, "service", key.second);
    PutNumber(out, "reportingInstances", static_cast<double>(row.reporting));
    PutNumber(out, "minInstances", row.min);
    PutNumber(out, "maxInstances", row.max);
  }
}

}  // namespace

Struct FailoverHealthJson(const FleetKpis& fleet) {
  Struct object;
  PutString(object, "status", fleet.any_unhealthy() ? "DOWN" : "UP");
  ListValue& apis = PutList(object, "apis");
  for (const ApiKpis& api : fleet.apis) {
    Struct& out = AddObject(apis);
    PutString(out, "name", api.name);
    PutString(out, "domain", api.domain);
    PutString(out, "health", FailoverHealthName(api.kpis.health));
    PutNumber(out, "healthyRate", api.kpis.healthy_rate);
    PutNumber(out, "successRate", api.kpis.success_rate);
    PutNumber(out, "failoverRate", api.kpis.failover_rate);
  }
  return object;
}

Struct MetricsJson(const FleetKpis& fleet, const std::vector<v1::MetricSeries>& series,
                   const std::vector<InstanceStatus>& instances) {
  Struct object;
  PutString(object, "status", fleet.any_unhealthy() ? "DOWN" : "UP");
  ListValue& apis = PutList(object, "apis");
  for (const ApiKpis& api : fleet.apis) PutApi(AddObject(apis), api);
  Struct& total = PutObject(object, "total");
  PutNumber(total, "apis", static_cast<double>(fleet.apis.size()));
  PutRates(total, fleet.total);
  PutCounts(total, fleet.total_counts, fleet.success_calls, fleet.failover_calls);
  PutRedis(PutObject(object, "redis"), series);
  PutNaming(PutObject(object, "naming"), series);
  PutInstanceCounts(PutObject(object, "instances"), instances);
  return object;
}

void PutInstanceCounts(Struct& object, const std::vector<InstanceStatus>& instances) {
  int64_t live = 0, down = 0, unknown = 0;
  for (const InstanceStatus& instance : instances) {
    switch (instance.liveness) {
      case Liveness::kLive:
        ++live;
        break;
      case Liveness::kDown:
        ++down;
        break;
      case Liveness::kUnknown:
        ++unknown;
        break;
    }
  }
  PutNumber(object, "live", static_cast<double>(live));
  PutNumber(object, "down", static_cast<double>(down));
  PutNumber(object, "unknown", static_cast<double>(unknown));
  PutNumber(object, "total", static_cast<double>(instances.size()));
}

}  // namespace api_internal
}  // namespace dashboard
}  // namespace failover
