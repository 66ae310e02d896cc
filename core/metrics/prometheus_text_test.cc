#include "core/metrics/prometheus_text.h"

#include <limits>
#include <utility>
#include <vector>

#include "core/metrics/metrics_registry.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

const InstanceTagPolicy kAuto(InstanceMode::kAuto, "orders@host-1");

SeriesSnapshot Counter(std::string name, Tags tags, double value) {
  SeriesSnapshot s;
  s.name = std::move(name);
  s.tags = std::move(tags);
  s.kind = SeriesKind::kCounter;
  s.value = value;
  return s;
}

SeriesSnapshot Gauge(std::string name, Tags tags, double value) {
  SeriesSnapshot s = Counter(std::move(name), std::move(tags), value);
  s.kind = SeriesKind::kGauge;
  return s;
}

SeriesSnapshot Timer(std::string name, Tags tags, std::vector<double> bounds,
                     std::vector<uint64_t> counts, double sum) {
  SeriesSnapshot s;
  s.name = std::move(name);
  s.tags = std::move(tags);
  s.kind = SeriesKind::kHistogram;
  s.unit = "seconds";
  s.histogram.upper_bounds = std::move(bounds);
  s.histogram.bucket_counts = std::move(counts);
  for (uint64_t c : s.histogram.bucket_counts) s.histogram.count += c;
  s.histogram.sum = sum;
  return s;
}

std::string Render(std::vector<SeriesSnapshot> series, const InstanceTagPolicy& policy = kAuto) {
  return RenderPrometheusExposition(MetricsSnapshot(std::move(series)), policy).body;
}

TEST(PrometheusFamilyNameTest, CountersGetOneTotalSuffix) {
  EXPECT_EQ(PrometheusFamilyName("failover.call.total", SeriesKind::kCounter, ""),
            "failover_call_total");
  EXPECT_EQ(PrometheusFamilyName("failover.store", SeriesKind::kCounter, ""),
            "failover_store_total");
  EXPECT_EQ(PrometheusFamilyName("failover.registered.total", SeriesKind::kGauge, ""),
            "failover_registered_total");
  EXPECT_EQ(PrometheusFamilyName("a.b-c:d", SeriesKind::kGauge, ""), "a_b_c_d");
  EXPECT_EQ(PrometheusFamilyName("9lives", SeriesKind::kGauge, ""), "_9lives");
}

TEST(PrometheusFamilyNameTest, UnitAppendedOnlyWhenMissing) {
  EXPECT_EQ(PrometheusFamilyName("failover.operation.duration", SeriesKind::kHistogram, "seconds"),
            "failover_operation_duration_seconds");
  EXPECT_EQ(PrometheusFamilyName("rpc.latency.seconds", SeriesKind::kHistogram, "seconds"),
            "rpc_latency_seconds");
  EXPECT_EQ(PrometheusFamilyName("io.read", SeriesKind::kCounter, "bytes"), "io_read_bytes_total");
  EXPECT_EQ(PrometheusFamilyName("io.read.total", SeriesKind::kCounter, "bytes"),
            "io_read_bytes_total");
}

TEST(PrometheusLabelNameTest, Sanitised) {
  EXPECT_EQ(PrometheusLabelName("exception_type"), "exception_type");
  EXPECT_EQ(PrometheusLabelName("http.status-code"), "http_status_code");
  EXPECT_EQ(PrometheusLabelName("1st"), "_1st");
  EXPECT_EQ(PrometheusLabelName(""), "_");
  EXPECT_EQ(PrometheusLabelName("__name__"), "tag__name__");
}

TEST(PrometheusTextTest, CountersAndGauges) {
  const std::string text = Render({
      Counter("failover.call.total", {{"name", "quotes"}, {"result", "success"}}, 90),
      Counter("failover.call.total", {{"name", "quotes"}, {"result", "failover"}}, 10),
      Gauge("failover.api.health", {{"name", "quotes"}}, 0.98),
      Counter("failover.store", {}, 12345678901),
  });
  EXPECT_EQ(text,
            "# HELP failover_api_health failover.api.health\n"
            "# TYPE failover_api_health gauge\n"
            "failover_api_health{name=\"quotes\"} 0.98\n"
            "# HELP failover_call_total failover.call.total\n"
            "# TYPE failover_call_total counter\n"
            "failover_call_total{name=\"quotes\",result=\"failover\"} 10\n"
            "failover_call_total{name=\"quotes\",result=\"success\"} 90\n"
            "# HELP failover_store_total failover.store\n"
            "# TYPE failover_store_total counter\n"
            "failover_store_total 12345678901\n");
}

TEST(PrometheusTextTest, SpecialValues) {
  const std::string text = Render({
      Gauge("g.nan", {}, std::numeric_limits<double>::quiet_NaN()),
      Gauge("g.neg", {}, -std::numeric_limits<double>::infinity()),
      Gauge("g.tiny", {}, 1e-300),
  });
  EXPECT_NE(text.find("g_nan NaN\n"), std::string::npos) << text;
  EXPECT_NE(text.find("g_neg -Inf\n"), std::string::npos) << text;
  EXPECT_NE(text.find("g_tiny 1e-300\n"), std::string::npos) << text;
}

TEST(PrometheusTextTest, HistogramIsCumulativeInSeconds) {
  const std::string text =
      Render({Timer("failover.operation.duration", {{"name", "quotes"}, {"action", "store"}},
                    {0.001, 0.25}, {2, 3, 1}, 1.5)});
  EXPECT_EQ(text,
            "# HELP failover_operation_duration_seconds failover.operation.duration\n"
            "# TYPE failover_operation_duration_seconds histogram\n"
            "failover_operation_duration_seconds_bucket{action=\"store\",name=\"quotes\","
            "le=\"0.001\"} 2\n"
            "failover_operation_duration_seconds_bucket{action=\"store\",name=\"quotes\","
            "le=\"0.25\"} 5\n"
            "failover_operation_duration_seconds_bucket{action=\"store\",name=\"quotes\","
            "le=\"+Inf\"} 6\n"
            "failover_operation_duration_seconds_sum{action=\"store\",name=\"quotes\"} 1.5\n"
            "failover_operation_duration_seconds_count{action=\"store\",name=\"quotes\"} 6\n");
}

TEST(PrometheusTextTest, HistogramLeTagRenamed) {
  const std::string text = Render({Timer("t", {{"le", "x"}}, {}, {4}, 2)});
  EXPECT_NE(text.find("t_seconds_bucket{tag_le=\"x\",le=\"+Inf\"} 4\n"), std::string::npos) << text;
}

TEST(PrometheusTextTest, LabelValuesEscapedAndNamesSanitised) {
  const std::string text = Render({Counter(
      "failover.exception.total", {{"exception.type", "say \"hi\"\\now\nbye"}, {"name", "q"}}, 1)});
  EXPECT_EQ(text,
            "# HELP failover_exception_total failover.exception.total\n"
            "# TYPE failover_exception_total counter\n"
            "failover_exception_total{exception_type=\"say \\\"hi\\\"\\\\now\\nbye\",name=\"q\"} "
            "1\n");
}

TEST(PrometheusTextTest, HelpEscaped) {
  const std::string text = Render({Gauge("a\\b\nc", {}, 1)});
  EXPECT_NE(text.find("# HELP a_b_c a\\\\b\\nc\n"), std::string::npos) << text;
}

TEST(PrometheusTextTest, FamiliesSortedByPrometheusName) {
  // Meter order (a.z < a_b) differs from family order (a_b < a_z).
  const std::string text = Render({Gauge("a.z", {}, 1), Gauge("a_b", {}, 2)});
  EXPECT_LT(text.find("a_b 2"), text.find("a_z 1")) << text;
}

TEST(PrometheusTextTest, InstanceTagFollowsPolicy) {
  const SeriesSnapshot series = Counter("c", {{"name", "q"}}, 1);
  EXPECT_EQ(Render({series}, kAuto),
            "# HELP c_total c\n# TYPE c_total counter\nc_total{name=\"q\"} 1\n");
  EXPECT_EQ(Render({series}, InstanceTagPolicy(InstanceMode::kNever, "x")),
            "# HELP c_total c\n# TYPE c_total counter\nc_total{name=\"q\"} 1\n");
  EXPECT_EQ(Render({series}, InstanceTagPolicy(InstanceMode::kAlways, "orders@host-1")),
            "# HELP c_total c\n# TYPE c_total counter\n"
            "c_total{instance=\"orders@host-1\",name=\"q\"} 1\n");
}

TEST(PrometheusTextTest, ClashesDroppedNotBreakingThePage) {
  const PrometheusExposition page = RenderPrometheusExposition(
      MetricsSnapshot({
          Counter("x", {}, 1),                           // x_total counter: kept
          Gauge("x.total", {}, 2),                       // same family, another kind: dropped
          Counter("y", {{"a.b", "1"}}, 3),               // y_total{a_b="1"}: kept
          Counter("y", {{"a_b", "1"}}, 4),               // same family and labels: dropped
          Counter("z", {{"a.b", "1"}, {"a_b", "2"}}, 5)  // two tags -> one label: dropped
      }),
      kAuto);
  EXPECT_EQ(page.dropped_series, 3u);
  EXPECT_EQ(page.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(page.body,
            "# HELP x_total x\n# TYPE x_total counter\nx_total 1\n"
            "# HELP y_total y\n# TYPE y_total counter\ny_total{a_b=\"1\"} 3\n");
}

TEST(PrometheusTextTest, HistogramSampleNamesClashWithOtherFamilies) {
  const PrometheusExposition page = RenderPrometheusExposition(
      MetricsSnapshot({
          Timer("h", {}, {1}, {1, 0}, 0.5),  // h_seconds, h_seconds_bucket/_sum/_count: kept
          Gauge("h.seconds.count", {}, 7),   // h_seconds_count is the histogram's: dropped
          Gauge("k.count", {}, 1),           // k_count: kept (sorts before the histogram)
          Timer("k", {}, {1}, {1, 0}, 0.5),  // k_seconds: no clash (unit suffix)
          Gauge("m", {}, 1),                 // m: kept
      }),
      kAuto);
  EXPECT_EQ(page.dropped_series, 1u);
  EXPECT_EQ(page.body.find("h_seconds_count 7"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("h_seconds_count 1\n"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("k_count 1\n"), std::string::npos) << page.body;

  // The reverse: a gauge that sorts first ('-' < '.') owns b_x_count; the histogram is dropped.
  SeriesSnapshot histogram = Timer("b.x", {}, {1}, {1, 0}, 0.5);
  histogram.unit = "";
  const PrometheusExposition reverse =
      RenderPrometheusExposition(MetricsSnapshot({Gauge("b-x.count", {}, 3), histogram}), kAuto);
  EXPECT_EQ(reverse.dropped_series, 1u) << reverse.body;
  EXPECT_EQ(reverse.body, "# HELP b_x_count b-x.count\n# TYPE b_x_count gauge\nb_x_count 3\n");
}

TEST(PrometheusTextTest, InvalidUtf8Replaced) {
  const std::string body = Render({Gauge("caf\xC3", {{"k", "a\xFF\xFE"}}, 1)});
  EXPECT_EQ(body,
            "# HELP caf_ caf\xEF\xBF\xBD\n# TYPE caf_ gauge\n"
            "caf_{k=\"a\xEF\xBF\xBD\xEF\xBF\xBD\"} 1\n");
}

TEST(PrometheusTextTest, RegistrySnapshotEndToEnd) {
  MetricsRegistry registry;
  registry.GetCounter("failover.store.total", {{"name", "quotes"}, {"stored", "true"}})
      .Increment(7);
  registry.GetTimer("failover.upstream.duration", {{"name", "quotes"}, {"result", "success"}})
      .Record(absl::Milliseconds(3));
  const std::string text = RenderPrometheusExposition(registry.Snapshot(), kAuto).body;
  EXPECT_NE(text.find("failover_store_total{name=\"quotes\",stored=\"true\"} 7\n"),
            std::string::npos)
      << text;
  // 3 ms falls in the 0.004 s bucket of the default layout (1 ms doubling).
  EXPECT_NE(text.find("failover_upstream_duration_seconds_bucket{name=\"quotes\","
                      "result=\"success\",le=\"0.002\"} 0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("failover_upstream_duration_seconds_bucket{name=\"quotes\","
                      "result=\"success\",le=\"0.004\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("failover_upstream_duration_seconds_count{name=\"quotes\","
                      "result=\"success\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("failover_metrics_denied_total{reason=\"cardinality\"} 0\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace failover
