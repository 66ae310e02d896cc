#include "dashboard/api/dashboard_api.h"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/config/failover_config_schema.h"
#include "core/config/property_values.h"
#include "dashboard/api/internal/json.h"
#include "dashboard/api/internal/metrics_json.h"
#include "dashboard/api/series_kpis.h"

namespace failover {
namespace dashboard {
namespace {

using api_internal::AddObject;
using api_internal::AddString;
using api_internal::ListValue;
using api_internal::PutBool;
using api_internal::PutList;
using api_internal::PutNull;
using api_internal::PutNumber;
using api_internal::PutObject;
using api_internal::PutString;
using api_internal::PutTime;
using api_internal::Struct;

ApiResponse Respond(int status, const Struct& body) {
  absl::StatusOr<std::string> json = api_internal::ToJson(body);
  if (!json.ok()) {
    return {500, api_internal::ErrorJson(absl::StrCat("the response could not be printed as JSON: ",
                                                      json.status().message()))};
  }
  return {status, *std::move(json)};
}

ApiResponse Error(int status, absl::string_view message) {
  return {status, api_internal::ErrorJson(message)};
}

ApiResponse SourceError(const MetricsSource& source, const absl::Status& status) {
  return Error(503, absl::StrCat("the ", source.mode(),
                                 " metrics source cannot be read: ", status.ToString()));
}

// `ring` null: history disabled. `history`: the configured cadence and bounds, if any.
ApiResponse BuildConfig(const DashboardConfig& dashboard, const HistoryRing* ring,
                        const std::optional<HistoryOptions>& history) {
  Struct body;
  PutString(body, "basePath", dashboard.base_path);
  PutString(body, "clusterMode", ConfigEnumName(dashboard.cluster.mode));
  Struct& exposure = PutObject(body, "exposure");
  PutBool(exposure, "ui", dashboard.exposure.ui);
  PutBool(exposure, "api", dashboard.exposure.api);
  ListValue& include = PutList(exposure, "include");
  for (const std::string& endpoint : dashboard.exposure.include) AddString(include, endpoint);
  Struct& history_json = PutObject(body, "history");
  PutBool(history_json, "enabled", ring != nullptr);
  if (ring != nullptr) {
    PutNumber(history_json, "samples", static_cast<double>(ring->capacity()));
    if (history.has_value()) {
      PutNumber(history_json, "sampleIntervalSeconds", absl::ToDoubleSeconds(history->interval));
    }
    if (ring->max_age() == absl::InfiniteDuration()) {
      PutNull(history_json, "maxAgeSeconds");
    } else {
      PutNumber(history_json, "maxAgeSeconds", absl::ToDoubleSeconds(ring->max_age()));
    }
  }
  Struct& health = PutObject(body, "health");
  PutNumber(health, "degradedThreshold", dashboard.health.degraded_threshold);
  PutNumber(health, "unhealthyThreshold", dashboard.health.unhealthy_threshold);
  // How often new figures can appear: peers push at most every snapshot interval in
  // shared-store mode; otherwise the history cadence is a good polling pace.
  const int32_t refresh = dashboard.cluster.mode == ClusterMode::kSharedStore
                              ? dashboard.cluster.snapshot.interval_seconds
                              : dashboard.history.sample_interval_seconds;
  PutNumber(body, "refreshIntervalSeconds", std::max(refresh, 1));
  return Respond(200, body);
}

ApiResponse BuildSettings(const FailoverConfig& config) {
  Struct body;
  ListValue& properties = PutList(body, "properties");
  for (const PropertyValue& row :
       DescribePropertyValues(kFailoverConfigPath, FailoverConfigSchema(), config)) {
    Struct& out = AddObject(properties);
    PutString(out, "path", row.path);
    PutString(out, "value", row.value);
    PutString(out, "default", row.default_value);
    PutString(out, "type", row.type);
    PutBool(out, "secret", row.secret);
  }
  return Respond(200, body);
}

// "" = no window; otherwise a positive whole number of seconds.
absl::StatusOr<std::optional<int64_t>> ParseWindow(absl::string_view param) {
  if (param.empty()) return std::optional<int64_t>();
  int64_t seconds = 0;
  if (!absl::SimpleAtoi(param, &seconds)) {
    return absl::InvalidArgumentError(
        absl::StrCat("windowSec: '", param, "' is not a whole number of seconds"));
  }
  if (seconds <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("windowSec: ", seconds, " must be a positive number of seconds"));
  }
  return std::optional<int64_t>(seconds);
}

}  // namespace

DashboardApi::DashboardApi(const FailoverConfig& config, MetricsSource& source, const Clock& clock,
                           HistoryRing* history)
    : config_(config),
      source_(source),
      clock_(clock),
      history_(history),
      history_options_(HistoryOptionsFor(config.dashboard)),
      config_response_(BuildConfig(config.dashboard, history, history_options_)),
      settings_response_(BuildSettings(config)) {}

ApiResponse DashboardApi::Config() { return config_response_; }

ApiResponse DashboardApi::ConfigSettings() { return settings_response_; }

ApiResponse DashboardApi::FailoverHealth() {
  absl::StatusOr<std::vector<v1::MetricSeries>> series = source_.Series();
  if (!series.ok()) return SourceError(source_, series.status());
  FleetKpis fleet = ComputeFleetKpis(*series, config_.dashboard.health);
  SortWorstFirst(fleet.apis);
  google::protobuf::Arena arena;
  Struct& body = api_internal::NewObject(arena);
  api_internal::PutFailoverHealth(fleet, body);
  PutTime(body, "asOf", clock_.WallNow());
  return Respond(200, body);
}

ApiResponse DashboardApi::Metrics() {
  absl::StatusOr<std::vector<v1::MetricSeries>> series = source_.Series();
  if (!series.ok()) return SourceError(source_, series.status());
  FleetKpis fleet = ComputeFleetKpis(*series, config_.dashboard.health);
  SortWorstFirst(fleet.apis);
  google::protobuf::Arena arena;
  Struct& body = api_internal::NewObject(arena);
  api_internal::PutMetrics(fleet, *series, source_.Instances(), body);
  PutString(body, "mode", source_.mode());
  PutTime(body, "asOf", clock_.WallNow());
  return Respond(200, body);
}

ApiResponse DashboardApi::MetricsSeries(absl::string_view window_sec_param) {
  if (history_ == nullptr) {
    return Error(404, "history is disabled (failover.dashboard.history.enabled)");
  }
  absl::StatusOr<std::optional<int64_t>> window = ParseWindow(window_sec_param);
  if (!window.ok()) return Error(400, window.status().message());
  const absl::Time now = clock_.WallNow();
  const absl::Time since =
      window->has_value() ? now - absl::Seconds(**window) : absl::InfinitePast();
  google::protobuf::Arena arena;
  Struct& body = api_internal::NewObject(arena);
  if (window->has_value()) {
    PutNumber(body, "windowSec", static_cast<double>(**window));
  } else {
    PutNull(body, "windowSec");
  }
  if (history_options_.has_value()) {
    PutNumber(body, "sampleIntervalSeconds", absl::ToDoubleSeconds(history_options_->interval));
  }
  PutNumber(body, "capacity", static_cast<double>(history_->capacity()));
  PutTime(body, "asOf", now);
  ListValue& samples = PutList(body, "samples");
  for (const HistorySample& sample : history_->Since(since)) {
    Struct& out = AddObject(samples);
    PutTime(out, "at", sample.at);
    PutNumber(out, "healthyRate", sample.healthy_rate);
    PutNumber(out, "liveInstances", static_cast<double>(sample.live_instances));
    ListValue& apis = PutList(out, "apis");
    for (const ApiRateSample& api : sample.apis) {
      Struct& api_out = AddObject(apis);
      PutString(api_out, "name", api.name);
      PutNumber(api_out, "healthyRate", api.healthy_rate);
      PutNumber(api_out, "successRate", api.success_rate);
      PutNumber(api_out, "failoverRate", api.failover_rate);
    }
  }
  return Respond(200, body);
}

ApiResponse DashboardApi::MetricsExceptions() {
  absl::StatusOr<std::vector<v1::MetricSeries>> series = source_.Series();
  if (!series.ok()) return SourceError(source_, series.status());
  Struct body;
  ListValue& exceptions = PutList(body, "exceptions");
  uint64_t total = 0;
  for (const ExceptionCount& count : CountExceptions(*series)) {
    Struct& out = AddObject(exceptions);
    PutString(out, "name", count.name);
    PutString(out, "type", count.exception_type);
    PutNumber(out, "count", static_cast<double>(count.count));
    total += count.count;
  }
  PutNumber(body, "total", static_cast<double>(total));
  PutTime(body, "asOf", clock_.WallNow());
  return Respond(200, body);
}

ApiResponse DashboardApi::Health() {
  const absl::StatusOr<std::vector<v1::MetricSeries>> series = source_.Series();
  Struct body;
  PutString(body, "status", series.ok() ? "UP" : "DOWN");
  PutString(body, "mode", source_.mode());
  Struct& source = PutObject(body, "source");
  PutBool(source, "reachable", series.ok());
  if (series.ok()) {
    PutNull(source, "error");
  } else {
    PutString(source, "error", series.status().ToString());
  }
  api_internal::PutInstanceCounts(PutObject(body, "instances"), source_.Instances());
  PutTime(body, "asOf", clock_.WallNow());
  return Respond(series.ok() ? 200 : 503, body);
}

ApiResponse DashboardApi::Instances() {
  google::protobuf::Arena arena;
  Struct& body = api_internal::NewObject(arena);
  PutString(body, "mode", source_.mode());
  ListValue& instances = PutList(body, "instances");
  for (const InstanceStatus& instance : source_.Instances()) {
    Struct& out = AddObject(instances);
    PutString(out, "id", instance.instance_id);
    PutString(out, "liveness", LivenessName(instance.liveness));
    PutTime(out, "lastSnapshotAt", instance.last_snapshot_at);
    PutTime(out, "lastHeartbeatAt", instance.last_heartbeat_at);
    PutTime(out, "processStart", instance.process_start);
    PutNumber(out, "sequence", static_cast<double>(instance.sequence));
    PutNumber(out, "restarts", static_cast<double>(instance.restarts));
    PutNumber(out, "lostSnapshots", static_cast<double>(instance.lost_snapshots));
    PutNumber(out, "seriesCount", static_cast<double>(instance.series_count));
  }
  PutTime(body, "asOf", clock_.WallNow());
  return Respond(200, body);
}

}  // namespace dashboard
}  // namespace failover
