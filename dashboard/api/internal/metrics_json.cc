#include "dashboard/api/internal/metrics_json.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
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
  PutString(object, "health", ApiHealthName(api));
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
  absl::string_view instance;
  absl::string_view endpoint;
  std::optional<double> active, healthy, breaker;
};

void PutBreakerState(Struct& object, const std::optional<double>& state) {
  if (!state.has_value()) {
    PutNull(object, "breakerState");
  } else if (*state >= 0 && *state < kCircuitBreakerStateCount &&
             *state == static_cast<int>(*state)) {
    PutString(object, "breakerState",
              StateName(static_cast<CircuitBreakerState>(static_cast<int>(*state))));
  } else {
    PutString(object, "breakerState", absl::StrCat("UNKNOWN(", *state, ")"));
  }
}

void PutOptionalBool(Struct& object, absl::string_view key, const std::optional<double>& value) {
  if (value.has_value()) {
    PutBool(object, key, *value != 0);
  } else {
    PutNull(object, key);
  }
}

// One row per (instance, endpoint), by instance then endpoint. The views point into `series`.
void PutRedis(Struct& object, const std::vector<v1::MetricSeries>& series) {
  absl::flat_hash_map<std::pair<absl::string_view, absl::string_view>, RedisRow> rows;
  for (const v1::MetricSeries& s : series) {
    const bool active = s.name() == kRedisActive;
    const bool healthy = s.name() == kRedisHealthy;
    const bool breaker = s.name() == kRedisBreaker;
    if (!(active || healthy || breaker) || s.value_case() != v1::MetricSeries::kGauge) continue;
    const absl::string_view instance = TagOr(s, "instance");
    const absl::string_view endpoint = TagOr(s, "endpoint");
    RedisRow& row = rows[{instance, endpoint}];
    row.instance = instance;
    row.endpoint = endpoint;
    (active ? row.active : healthy ? row.healthy : row.breaker) = s.gauge();
  }
  std::vector<const RedisRow*> sorted;
  sorted.reserve(rows.size());
  for (const auto& [key, row] : rows) sorted.push_back(&row);
  std::sort(sorted.begin(), sorted.end(), [](const RedisRow* a, const RedisRow* b) {
    return std::tie(a->instance, a->endpoint) < std::tie(b->instance, b->endpoint);
  });
  ListValue& endpoints = PutList(object, "endpoints");
  for (const RedisRow* row : sorted) {
    Struct& out = AddObject(endpoints);
    PutString(out, "instance", row->instance);
    PutString(out, "endpoint", row->endpoint);
    PutOptionalBool(out, "active", row->active);
    PutOptionalBool(out, "healthy", row->healthy);
    PutBreakerState(out, row->breaker);
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
  std::map<std::pair<std::string, std::string>, ServiceRow> services;
  for (const v1::MetricSeries& s : series) {
    if (s.value_case() != v1::MetricSeries::kGauge) continue;
    if (s.name() == kNamingSwitch) {
      // Series come sorted by tags, so by instance (then namespace): rows keep that order.
      Struct& out = AddObject(switches);
      PutString(out, "instance", TagOr(s, "instance"));
      PutString(out, "namespace", TagOr(s, "namespace"));
      PutBool(out, "on", s.gauge() != 0);
      if (s.gauge() != 0) ++switches_on;
    }
    if (s.name() != kNamingInstances) continue;
    ServiceRow& row =
        services[{std::string(TagOr(s, "namespace")), std::string(TagOr(s, "service"))}];
    row.min = row.reporting == 0 ? s.gauge() : std::min(row.min, s.gauge());
    row.max = row.reporting == 0 ? s.gauge() : std::max(row.max, s.gauge());
    ++row.reporting;
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

void PutFailoverHealth(const FleetKpis& fleet, Struct& object) {
  PutString(object, "status", fleet.any_unhealthy() ? "DOWN" : "UP");
  ListValue& apis = PutList(object, "apis");
  for (const ApiKpis& api : fleet.apis) {
    Struct& out = AddObject(apis);
    PutString(out, "name", api.name);
    PutString(out, "domain", api.domain);
    PutString(out, "health", ApiHealthName(api));
    PutNumber(out, "healthyRate", api.kpis.healthy_rate);
    PutNumber(out, "successRate", api.kpis.success_rate);
    PutNumber(out, "failoverRate", api.kpis.failover_rate);
  }
}

void PutMetrics(const FleetKpis& fleet, const std::vector<v1::MetricSeries>& series,
                const std::vector<InstanceStatus>& instances, Struct& object) {
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
}

void PutInstanceCounts(Struct& object, const std::vector<InstanceStatus>& instances) {
  const LivenessCounts counts = CountByLiveness(instances);
  PutNumber(object, "live", static_cast<double>(counts.live));
  PutNumber(object, "down", static_cast<double>(counts.down));
  PutNumber(object, "unknown", static_cast<double>(counts.unknown));
  PutNumber(object, "total", static_cast<double>(instances.size()));
}

}  // namespace api_internal
}  // namespace dashboard
}  // namespace failover
