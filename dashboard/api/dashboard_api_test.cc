#include "dashboard/api/dashboard_api.h"

#include <limits>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "core/simulated_clock.h"
#include "dashboard/api/testing/fake_metrics_source.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

constexpr double kInf = std::numeric_limits<double>::infinity();

Struct Parse(const ApiResponse& response) {
  Struct parsed;
  const auto status = google::protobuf::util::JsonStringToMessage(response.body, &parsed);
  EXPECT_TRUE(status.ok()) << status.ToString() << " in " << response.body;
  return parsed;
}

const Value& At(const Struct& object, const std::string& key) {
  static const Value* const kMissing = new Value();
  auto it = object.fields().find(key);
  EXPECT_NE(it, object.fields().end()) << "no field " << key;
  return it == object.fields().end() ? *kMissing : it->second;
}

std::string Str(const Struct& object, const std::string& key) {
  return At(object, key).string_value();
}
double Num(const Struct& object, const std::string& key) { return At(object, key).number_value(); }
const Struct& Obj(const Struct& object, const std::string& key) {
  return At(object, key).struct_value();
}
const google::protobuf::ListValue& List(const Struct& object, const std::string& key) {
  return At(object, key).list_value();
}

std::vector<v1::MetricSeries> Fleet() {
  std::vector<v1::MetricSeries> series = WorkedExampleSeries("quotes", "orders");  // 0.98
  // prices: 99 stored, 1 recovered -> 1.00 HEALTHY; rates: 50 stored, 50 not recovered -> 0.5.
  series.push_back(
      CounterSeries("failover.store.total", {{"name", "prices"}, {"stored", "true"}}, 99));
  series.push_back(CounterSeries("failover.recovery.outcome.total",
                                 {{"name", "prices"}, {"outcome", "recovered"}}, 1));
  series.push_back(
      CounterSeries("failover.store.total", {{"name", "rates"}, {"stored", "true"}}, 50));
  series.push_back(CounterSeries("failover.recovery.outcome.total",
                                 {{"name", "rates"}, {"outcome", "not_recovered"}}, 50));
  series.push_back(HistogramSeries("failover.upstream.duration",
                                   {{"name", "quotes"}, {"result", "success"}},
                                   {{0.1, 50}, {1, 100}, {kInf, 100}}, 10, 0.9));
  series.push_back(CounterSeries("failover.exception.total",
                                 {{"name", "quotes"}, {"exception_type", "Timeout"}}, 3));
  series.push_back(CounterSeries("failover.exception.total",
                                 {{"name", "rates"}, {"exception_type", "Refused"}}, 9));
  series.push_back(GaugeSeries("failover.redis.endpoint.active",
                               {{"endpoint", "primary"}, {"instance", "i1"}}, 1));
  series.push_back(GaugeSeries("failover.redis.endpoint.healthy",
                               {{"endpoint", "primary"}, {"instance", "i1"}}, 0));
  series.push_back(GaugeSeries("failover.redis.endpoint.breaker.state",
                               {{"endpoint", "primary"}, {"instance", "i1"}}, 1));
  series.push_back(
      GaugeSeries("failover.naming.switch", {{"instance", "i1"}, {"namespace", "public"}}, 1));
  series.push_back(
      GaugeSeries("failover.naming.failover.instances",
                  {{"instance", "i1"}, {"namespace", "public"}, {"service", "G@@orders"}}, 4));
  series.push_back(
      GaugeSeries("failover.naming.failover.instances",
                  {{"instance", "i2"}, {"namespace", "public"}, {"service", "G@@orders"}}, 2));
  return series;
}

InstanceStatus Instance(std::string id, Liveness liveness, absl::Time heartbeat) {
  InstanceStatus status;
  status.instance_id = std::move(id);
  status.liveness = liveness;
  status.last_heartbeat_at = heartbeat;
  status.sequence = 7;
  status.series_count = 12;
  return status;
}

class DashboardApiTest : public ::testing::Test {
 protected:
  DashboardApiTest() {
    source_.SetSeries(Fleet());
    source_.SetInstances({Instance("i1", Liveness::kLive, clock_.WallNow()),
                          Instance("i2", Liveness::kDown, clock_.WallNow() - absl::Hours(1)),
                          Instance("i3", Liveness::kUnknown, absl::InfinitePast())});
    config_.dashboard.history.enabled = true;
    config_.dashboard.history.samples = 5;
    config_.dashboard.cluster.prometheus.token = "prom-secret-token";
    config_.dashboard.security.ingest_tokens = {"ingest-secret-token"};
  }

  SimulatedClock clock_;
  FakeMetricsSource source_;
  FailoverConfig config_;
  HistoryRing ring_{5};
};

TEST_F(DashboardApiTest, MetricsWorstFirstWithKpisTotalsRedisNaming) {
  DashboardApi api(config_, source_, clock_, &ring_);
  const ApiResponse response = api.Metrics();
  ASSERT_EQ(response.status, 200) << response.body;
  const Struct body = Parse(response);
  EXPECT_EQ(Str(body, "mode"), "shared-store");
  EXPECT_EQ(Str(body, "status"), "DOWN");
  EXPECT_EQ(Str(body, "asOf"), "2023-11-14T22:13:20Z");
  const auto& apis = List(body, "apis");
  ASSERT_EQ(apis.values_size(), 3);
  EXPECT_EQ(Str(apis.values(0).struct_value(), "name"), "rates");   // UNHEALTHY first
  EXPECT_EQ(Str(apis.values(1).struct_value(), "name"), "quotes");  // DEGRADED
  EXPECT_EQ(Str(apis.values(2).struct_value(), "name"), "prices");  // HEALTHY
  const Struct& quotes = apis.values(1).struct_value();
  EXPECT_EQ(Str(quotes, "domain"), "orders");
  EXPECT_EQ(Str(quotes, "health"), "DEGRADED");
  EXPECT_DOUBLE_EQ(Num(quotes, "successRate"), 0.90);
  EXPECT_DOUBLE_EQ(Num(quotes, "failoverRate"), 0.10);
  EXPECT_DOUBLE_EQ(Num(quotes, "recoveryRate"), 0.80);
  EXPECT_DOUBLE_EQ(Num(quotes, "nonRecoveryRate"), 0.20);
  EXPECT_DOUBLE_EQ(Num(quotes, "healthyRate"), 0.98);
  EXPECT_EQ(Num(quotes, "stored"), 90);
  EXPECT_EQ(Num(quotes, "recovered"), 8);
  EXPECT_EQ(Num(quotes, "notRecovered"), 1);
  EXPECT_EQ(Num(quotes, "errors"), 1);
  EXPECT_EQ(Num(Obj(quotes, "calls"), "success"), 90);
  EXPECT_EQ(Num(Obj(quotes, "calls"), "failover"), 10);
  EXPECT_DOUBLE_EQ(Num(Obj(quotes, "upstreamLatency"), "p50"), 0.1);
  EXPECT_EQ(Num(Obj(quotes, "upstreamLatency"), "count"), 100);
  EXPECT_EQ(At(apis.values(0).struct_value(), "upstreamLatency").kind_case(), Value::kNullValue);

  const Struct& total = Obj(body, "total");
  EXPECT_EQ(Num(total, "apis"), 3);
  EXPECT_EQ(Num(total, "stored"), 239);
  EXPECT_DOUBLE_EQ(Num(total, "healthyRate"), (239.0 + 9) / 300);

  const auto& endpoints = List(Obj(body, "redis"), "endpoints");
  ASSERT_EQ(endpoints.values_size(), 1);
  const Struct& primary = endpoints.values(0).struct_value();
  EXPECT_EQ(Str(primary, "instance"), "i1");
  EXPECT_EQ(Str(primary, "endpoint"), "primary");
  EXPECT_TRUE(At(primary, "active").bool_value());
  EXPECT_FALSE(At(primary, "healthy").bool_value());
  EXPECT_EQ(Str(primary, "breakerState"), "OPEN");

  const Struct& naming = Obj(body, "naming");
  EXPECT_EQ(Num(naming, "switchesOn"), 1);
  ASSERT_EQ(List(naming, "switches").values_size(), 1);
  EXPECT_EQ(Str(List(naming, "switches").values(0).struct_value(), "namespace"), "public");
  ASSERT_EQ(List(naming, "failoverServices").values_size(), 1);
  const Struct& service = List(naming, "failoverServices").values(0).struct_value();
  EXPECT_EQ(Str(service, "namespace"), "public");
  EXPECT_EQ(Str(service, "service"), "G@@orders");
  EXPECT_EQ(Num(service, "reportingInstances"), 2);
  EXPECT_EQ(Num(service, "minInstances"), 2);
  EXPECT_EQ(Num(service, "maxInstances"), 4);

  const Struct& instances = Obj(body, "instances");
  EXPECT_EQ(Num(instances, "live"), 1);
  EXPECT_EQ(Num(instances, "down"), 1);
  EXPECT_EQ(Num(instances, "unknown"), 1);
}

TEST_F(DashboardApiTest, FailoverHealthDownWhenOneApiUnhealthy) {
  DashboardApi api(config_, source_, clock_, &ring_);
  Struct body = Parse(api.FailoverHealth());
  EXPECT_EQ(Str(body, "status"), "DOWN");
  ASSERT_EQ(List(body, "apis").values_size(), 3);
  const Struct& worst = List(body, "apis").values(0).struct_value();
  EXPECT_EQ(Str(worst, "name"), "rates");
  EXPECT_EQ(Str(worst, "health"), "UNHEALTHY");
  EXPECT_DOUBLE_EQ(Num(worst, "healthyRate"), 0.5);

  source_.SetSeries(WorkedExampleSeries("quotes", "orders"));  // DEGRADED only: still UP
  body = Parse(api.FailoverHealth());
  EXPECT_EQ(Str(body, "status"), "UP");
}

TEST_F(DashboardApiTest, SourceErrorsAre503) {
  DashboardApi api(config_, source_, clock_, &ring_);
  source_.SetError(absl::UnavailableError("snapshot store unreachable"));
  for (const ApiResponse& response :
       {api.Metrics(), api.FailoverHealth(), api.MetricsExceptions()}) {
    EXPECT_EQ(response.status, 503);
    EXPECT_TRUE(absl::StrContains(Str(Parse(response), "error"), "snapshot store unreachable"))
        << response.body;
  }
  const ApiResponse health = api.Health();
  EXPECT_EQ(health.status, 503);
  const Struct body = Parse(health);
  EXPECT_EQ(Str(body, "status"), "DOWN");
  EXPECT_FALSE(At(Obj(body, "source"), "reachable").bool_value());
}

TEST_F(DashboardApiTest, HealthUpWithInstanceCounts) {
  DashboardApi api(config_, source_, clock_, &ring_);
  const ApiResponse response = api.Health();
  EXPECT_EQ(response.status, 200);
  const Struct body = Parse(response);
  EXPECT_EQ(Str(body, "status"), "UP");
  EXPECT_EQ(Str(body, "mode"), "shared-store");
  EXPECT_TRUE(At(Obj(body, "source"), "reachable").bool_value());
  EXPECT_EQ(Num(Obj(body, "instances"), "total"), 3);
  EXPECT_EQ(Num(Obj(body, "instances"), "live"), 1);
}

TEST_F(DashboardApiTest, SeriesWindowValidationAndSamples) {
  DashboardApi api(config_, source_, clock_, &ring_);
  for (absl::string_view bad : {"abc", "0", "-5", "1.5", "10s"}) {
    const ApiResponse response = api.MetricsSeries(bad);
    EXPECT_EQ(response.status, 400) << bad;
    EXPECT_TRUE(absl::StrContains(Str(Parse(response), "error"), "windowSec")) << response.body;
  }
  HistorySample old_sample;
  old_sample.at = clock_.WallNow() - absl::Seconds(600);
  old_sample.healthy_rate = 0.5;
  ring_.Add(old_sample);
  HistorySample recent;
  recent.at = clock_.WallNow() - absl::Seconds(60);
  recent.healthy_rate = 0.98;
  recent.live_instances = 2;
  recent.apis.push_back({"quotes", 0.98, 0.9, 0.1});
  ring_.Add(recent);

  ApiResponse response = api.MetricsSeries("300");
  ASSERT_EQ(response.status, 200) << response.body;
  Struct body = Parse(response);
  EXPECT_EQ(Num(body, "windowSec"), 300);
  EXPECT_EQ(Num(body, "sampleIntervalSeconds"), 15);
  ASSERT_EQ(List(body, "samples").values_size(), 1);
  const Struct& sample = List(body, "samples").values(0).struct_value();
  EXPECT_EQ(Str(sample, "at"), "2023-11-14T22:12:20Z");
  EXPECT_DOUBLE_EQ(Num(sample, "healthyRate"), 0.98);
  EXPECT_EQ(Num(sample, "liveInstances"), 2);
  EXPECT_EQ(Str(List(sample, "apis").values(0).struct_value(), "name"), "quotes");

  body = Parse(api.MetricsSeries(""));
  EXPECT_EQ(At(body, "windowSec").kind_case(), Value::kNullValue);
  EXPECT_EQ(List(body, "samples").values_size(), 2);
}

TEST_F(DashboardApiTest, SeriesIs404WhenHistoryDisabled) {
  DashboardApi api(config_, source_, clock_, nullptr);
  const ApiResponse response = api.MetricsSeries("300");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(Str(Parse(response), "error"),
            "history is disabled (failover.dashboard.history.enabled)");
  EXPECT_FALSE(At(Obj(Parse(api.Config()), "history"), "enabled").bool_value());
}

TEST_F(DashboardApiTest, ExceptionsLargestFirst) {
  DashboardApi api(config_, source_, clock_, &ring_);
  const Struct body = Parse(api.MetricsExceptions());
  EXPECT_EQ(Num(body, "total"), 12);
  const auto& exceptions = List(body, "exceptions");
  ASSERT_EQ(exceptions.values_size(), 2);
  EXPECT_EQ(Str(exceptions.values(0).struct_value(), "name"), "rates");
  EXPECT_EQ(Str(exceptions.values(0).struct_value(), "type"), "Refused");
  EXPECT_EQ(Num(exceptions.values(0).struct_value(), "count"), 9);
  EXPECT_EQ(Str(exceptions.values(1).struct_value(), "type"), "Timeout");
}

TEST_F(DashboardApiTest, InstancesWithTimesOrNull) {
  DashboardApi api(config_, source_, clock_, &ring_);
  const Struct body = Parse(api.Instances());
  const auto& instances = List(body, "instances");
  ASSERT_EQ(instances.values_size(), 3);
  const Struct& live = instances.values(0).struct_value();
  EXPECT_EQ(Str(live, "id"), "i1");
  EXPECT_EQ(Str(live, "liveness"), "LIVE");
  EXPECT_EQ(Str(live, "lastHeartbeatAt"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(At(live, "lastSnapshotAt").kind_case(), Value::kNullValue);
  EXPECT_EQ(At(live, "processStart").kind_case(), Value::kNullValue);
  EXPECT_EQ(Num(live, "sequence"), 7);
  EXPECT_EQ(Num(live, "seriesCount"), 12);
  EXPECT_EQ(Num(live, "restarts"), 0);
  EXPECT_EQ(Num(live, "lostSnapshots"), 0);
  EXPECT_EQ(Str(instances.values(2).struct_value(), "liveness"), "UNKNOWN");
  EXPECT_EQ(At(instances.values(2).struct_value(), "lastHeartbeatAt").kind_case(),
            Value::kNullValue);
}

TEST_F(DashboardApiTest, ConfigForTheUi) {
  DashboardApi api(config_, source_, clock_, &ring_);
  const Struct body = Parse(api.Config());
  EXPECT_EQ(Str(body, "basePath"), "/failover-dashboard");
  EXPECT_EQ(Str(body, "clusterMode"), "local");
  EXPECT_TRUE(At(Obj(body, "exposure"), "ui").bool_value());
  EXPECT_EQ(List(Obj(body, "exposure"), "include").values_size(), 6);
  EXPECT_TRUE(At(Obj(body, "history"), "enabled").bool_value());
  EXPECT_EQ(Num(Obj(body, "history"), "samples"), 5);
  EXPECT_EQ(Num(Obj(body, "history"), "sampleIntervalSeconds"), 15);
  EXPECT_DOUBLE_EQ(Num(Obj(body, "health"), "degradedThreshold"), 0.99);
  EXPECT_DOUBLE_EQ(Num(Obj(body, "health"), "unhealthyThreshold"), 0.90);
  EXPECT_EQ(Num(body, "refreshIntervalSeconds"), 15);
}

TEST_F(DashboardApiTest, SettingsShowValuesWithSecretsRedacted) {
  config_.dashboard.history.samples = 42;
  DashboardApi api(config_, source_, clock_, &ring_);
  const ApiResponse response = api.ConfigSettings();
  ASSERT_EQ(response.status, 200);
  EXPECT_FALSE(absl::StrContains(response.body, "prom-secret-token"));
  EXPECT_FALSE(absl::StrContains(response.body, "ingest-secret-token"));
  const Struct body = Parse(response);
  int seen = 0;
  for (const Value& row : List(body, "properties").values()) {
    const Struct& property = row.struct_value();
    if (Str(property, "path") == "failover.dashboard.history.samples") {
      ++seen;
      EXPECT_EQ(Str(property, "value"), "42");
      EXPECT_EQ(Str(property, "default"), "120");
      EXPECT_EQ(Str(property, "type"), "int");
    }
    if (Str(property, "path") == "failover.dashboard.cluster.prometheus.token") {
      ++seen;
      EXPECT_EQ(Str(property, "value"), "****");
      EXPECT_TRUE(At(property, "secret").bool_value());
    }
  }
  EXPECT_EQ(seen, 2);
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
