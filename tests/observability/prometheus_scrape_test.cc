// An application's Prometheus listener (MetricsExport with failover.observable.prometheus)
// scraped by a real Prometheus 2.42, and everything read back through Prometheus's own HTTP API:
// the target is up with no scrape error, each series' value and labels, the metric types it
// parsed from our TYPE lines (/api/v1/metadata), histogram buckets, the `instance` label
// Prometheus attaches itself (auto mode adds none of ours), and a counter increment reaching
// Prometheus at a later scrape.
#include <httplib.h>

#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/config/dashboard_config.h"
#include "core/config/failover_config.h"
#include "core/metrics/export/metrics_export.h"
#include "core/metrics/export/prometheus_listener.h"
#include "core/metrics/metrics_registry.h"
#include "core/testing/warning_log.h"
#include "dashboard/prometheus/httplib_prometheus_client.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/dashboard/testing/prometheus_server.h"

namespace failover {
namespace {

using dashboard::PrometheusSample;
using google::protobuf::Struct;
using google::protobuf::Value;

constexpr absl::Duration kPatience = absl::Seconds(30);
constexpr char kCallsSuccess[] = R"(failover_call_total{name="quotes",result="success"})";

// Polls `condition` until it holds or kPatience passes.
bool Eventually(const std::function<bool()>& condition) { return PollUntil(condition, kPatience); }

// GET `path` of Prometheus's HTTP API, parsed; the "data" member of a "success" answer.
absl::StatusOr<Value> GetApiData(const std::string& base_url, const std::string& path) {
  httplib::Client client(base_url);
  client.set_connection_timeout(2);
  client.set_read_timeout(2);
  const httplib::Result res = client.Get(path.c_str());
  if (!res) return absl::UnavailableError(absl::StrCat("GET ", path, ": ", to_string(res.error())));
  if (res->status != 200) {
    return absl::InternalError(absl::StrCat("GET ", path, ": HTTP ", res->status, ": ", res->body));
  }
  Struct answer;
  if (!google::protobuf::util::JsonStringToMessage(res->body, &answer).ok()) {
    return absl::InternalError(absl::StrCat("GET ", path, ": not JSON: ", res->body));
  }
  const auto& fields = answer.fields();
  if (fields.count("status") == 0 || fields.at("status").string_value() != "success" ||
      fields.count("data") == 0) {
    return absl::InternalError(absl::StrCat("GET ", path, ": ", res->body));
  }
  return fields.at("data");
}

std::string StringField(const Value& object, const std::string& key) {
  const auto& fields = object.struct_value().fields();
  const auto it = fields.find(key);
  return it == fields.end() ? "<missing>" : it->second.string_value();
}

std::string Describe(const std::vector<PrometheusSample>& samples) {
  std::vector<std::string> parts;
  for (const PrometheusSample& sample : samples) {
    parts.push_back(absl::StrCat("{", absl::StrJoin(sample.labels, ",", absl::PairFormatter("=")),
                                 "} ", sample.value));
  }
  return parts.empty() ? "no samples" : absl::StrJoin(parts, "; ");
}

class PrometheusScrapeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.GetCounter("failover.call.total", {{"name", "quotes"}, {"result", "success"}})
        .Increment(7);
    registry_.GetCounter("failover.call.total", {{"name", "quotes"}, {"result", "failure"}})
        .Increment(2);
    registry_.GetGauge("failover.api.health", {{"name", "quotes"}}).Set(0.75);
    Timer& duration = registry_.GetTimer("failover.operation.duration",
                                         {{"name", "quotes"}, {"action", "store"}});
    duration.Record(absl::Milliseconds(3));
    duration.Record(absl::Milliseconds(20));
    duration.Record(absl::Seconds(2));

    ObservableConfig config;
    config.prometheus.enabled = true;
    config.prometheus.listen = "127.0.0.1:0";
    // A configured id that auto mode must NOT put on the pull endpoint: Prometheus labels the
    // target itself.
    config.instance.id = "orders-1";
    MetricsExportDeps deps;
    deps.warnings = warnings_.Sink();
    deps.application_name = "orders-app";
    absl::StatusOr<std::unique_ptr<MetricsExport>> exporter =
        MetricsExport::Start(config, registry_, std::move(deps));
    ASSERT_TRUE(exporter.ok()) << exporter.status();
    exporter_ = *std::move(exporter);
    ASSERT_NE(exporter_->prometheus(), nullptr);
    ASSERT_EQ(exporter_->otlp(), nullptr);
    target_ = absl::StrCat("127.0.0.1:", exporter_->prometheus()->port());

    absl::StatusOr<std::unique_ptr<PrometheusServer>> prometheus =
        PrometheusServer::Start({target_});
    ASSERT_TRUE(prometheus.ok()) << prometheus.status();
    prometheus_ = *std::move(prometheus);
    PrometheusClusterConfig client_config;
    client_config.base_url = prometheus_->base_url();
    client_config.timeout_seconds = 2;
    absl::StatusOr<std::unique_ptr<dashboard::PrometheusClient>> client =
        dashboard::NewHttplibPrometheusClient(client_config);
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }

  std::vector<PrometheusSample> Query(const std::string& promql) {
    absl::StatusOr<std::vector<PrometheusSample>> samples = client_->Query(promql);
    EXPECT_TRUE(samples.ok()) << promql << ": " << samples.status();
    return samples.ok() ? *samples : std::vector<PrometheusSample>();
  }

  // The value of the one sample `promql` yields; NaN (and a failure) otherwise.
  double Single(const std::string& promql) {
    const std::vector<PrometheusSample> samples = Query(promql);
    EXPECT_EQ(samples.size(), 1u) << promql << ": " << Describe(samples);
    return samples.size() == 1 ? samples[0].value : std::nan("");
  }

  // True once `promql` yields exactly one sample equal to `value`; `last` gets what it saw.
  bool Reads(const std::string& promql, double value, std::string* last) {
    absl::StatusOr<std::vector<PrometheusSample>> samples = client_->Query(promql);
    *last = samples.ok() ? Describe(*samples) : samples.status().ToString();
    return samples.ok() && samples->size() == 1 && (*samples)[0].value == value;
  }

  // The type Prometheus recorded for family `name` from our TYPE line.
  std::string MetadataType(const std::string& name) {
    absl::StatusOr<Value> data =
        GetApiData(prometheus_->base_url(), absl::StrCat("/api/v1/metadata?metric=", name));
    if (!data.ok()) return data.status().ToString();
    const auto& families = data->struct_value().fields();
    const auto it = families.find(name);
    if (it == families.end() || it->second.list_value().values_size() == 0) return "<none>";
    return StringField(it->second.list_value().values(0), "type");
  }

  WarningLog warnings_;
  MetricsRegistry registry_;
  std::unique_ptr<MetricsExport> exporter_;
  std::string target_;
  std::unique_ptr<PrometheusServer> prometheus_;
  std::unique_ptr<dashboard::PrometheusClient> client_;
};

TEST_F(PrometheusScrapeTest, PrometheusReadsTheListener) {
  std::string last;
  ASSERT_TRUE(Eventually([&] { return Reads(kCallsSuccess, 7, &last); }))
      << kCallsSuccess << " never read 7 within " << kPatience << "; last: " << last;

  // The target as Prometheus sees it.
  absl::StatusOr<Value> targets = GetApiData(prometheus_->base_url(), "/api/v1/targets");
  ASSERT_TRUE(targets.ok()) << targets.status();
  const auto& active = targets->struct_value().fields().at("activeTargets").list_value();
  ASSERT_EQ(active.values_size(), 1);
  const Value& target = active.values(0);
  EXPECT_EQ(StringField(target, "health"), "up");
  EXPECT_EQ(StringField(target, "lastError"), "");
  EXPECT_EQ(StringField(target, "scrapeUrl"), exporter_->prometheus()->url());

  // Labels: ours plus job and the instance Prometheus attaches (the target address). Had the
  // exposition carried its own `instance`, Prometheus would have kept it as exported_instance.
  const std::vector<PrometheusSample> calls = Query(kCallsSuccess);
  ASSERT_EQ(calls.size(), 1u) << Describe(calls);
  const std::map<std::string, std::string> expected_labels = {{"__name__", "failover_call_total"},
                                                              {"instance", target_},
                                                              {"job", "peers"},
                                                              {"name", "quotes"},
                                                              {"result", "success"}};
  EXPECT_EQ(calls[0].labels, expected_labels) << Describe(calls);
  EXPECT_TRUE(Query(R"({instance="orders-1"})").empty());
  EXPECT_TRUE(Query(R"({exported_instance!=""})").empty());

  EXPECT_EQ(Single(R"(failover_call_total{name="quotes",result="failure"})"), 2);
  EXPECT_EQ(Single(R"(failover_api_health{name="quotes"})"), 0.75);

  // The timer: 3 ms, 20 ms and 2 s, as a histogram in seconds.
  const std::string selector = R"({name="quotes",action="store"})";
  EXPECT_EQ(Single("failover_operation_duration_seconds_count" + selector), 3);
  EXPECT_NEAR(Single("failover_operation_duration_seconds_sum" + selector), 2.023, 1e-9);
  // Cumulative bucket counts by upper bound (the default layout doubles from 1 ms).
  const std::vector<PrometheusSample> buckets =
      Query("failover_operation_duration_seconds_bucket" + selector);
  std::map<double, double> by_le;
  for (const PrometheusSample& bucket : buckets) {
    double le = 0;
    ASSERT_TRUE(absl::SimpleAtod(bucket.labels.at("le"), &le)) << Describe(buckets);
    by_le[le] = bucket.value;
  }
  EXPECT_EQ(by_le.size(), 17u) << Describe(buckets);
  EXPECT_EQ(by_le[0.002], 0) << Describe(buckets);
  EXPECT_EQ(by_le[0.004], 1) << Describe(buckets);
  EXPECT_EQ(by_le[0.016], 1) << Describe(buckets);
  EXPECT_EQ(by_le[0.032], 2) << Describe(buckets);
  EXPECT_EQ(by_le[2.048], 3) << Describe(buckets);
  EXPECT_EQ(by_le[HUGE_VAL], 3) << Describe(buckets);
  // histogram_quantile over our buckets: the median lies in (0.016, 0.032].
  const double median =
      Single("histogram_quantile(0.5, failover_operation_duration_seconds_bucket" + selector + ")");
  EXPECT_GT(median, 0.016);
  EXPECT_LE(median, 0.032);

  // The types Prometheus parsed from our TYPE lines.
  EXPECT_EQ(MetadataType("failover_call_total"), "counter");
  EXPECT_EQ(MetadataType("failover_api_health"), "gauge");
  EXPECT_EQ(MetadataType("failover_operation_duration_seconds"), "histogram");

  // A new count reaches Prometheus at a later scrape.
  registry_.GetCounter("failover.call.total", {{"name", "quotes"}, {"result", "success"}})
      .Increment(3);
  EXPECT_TRUE(Eventually([&] { return Reads(kCallsSuccess, 10, &last); }))
      << kCallsSuccess << " never read 10 after the increment within " << kPatience
      << "; last: " << last;
  EXPECT_TRUE(warnings_.messages().empty()) << absl::StrJoin(warnings_.messages(), "\n");
}

}  // namespace
}  // namespace failover
