#include "dashboard/prometheus/prometheus_metrics_source.h"

#include <limits>
#include <memory>
#include <utility>

#include "dashboard/prometheus/testing/fake_prometheus_client.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

constexpr char kCalls[] =
    "sum without (instance, job, exported_instance) (last_over_time(failover_call_total[60s]))";
constexpr char kHealth[] = "last_over_time(failover_api_health[60s])";
constexpr char kBuckets[] =
    "sum without (instance, job, exported_instance) "
    "(last_over_time(failover_operation_duration_seconds_bucket[60s]))";
constexpr char kSums[] =
    "sum without (instance, job, exported_instance) "
    "(last_over_time(failover_operation_duration_seconds_sum[60s]))";
constexpr char kCounts[] =
    "sum without (instance, job, exported_instance) "
    "(last_over_time(failover_operation_duration_seconds_count[60s]))";
constexpr char kUp[] =
    "max by (instance) (up and on (instance, job) group by (instance, job) "
    "(last_over_time(failover_metrics_denied_total[60s])))";

class PrometheusMetricsSourceTest : public testing::Test {
 protected:
  PrometheusMetricsSourceTest() {
    auto client = std::make_unique<FakePrometheusClient>();
    fake_ = client.get();
    PrometheusMetricsSourceOptions options;
    options.lookback = absl::Seconds(60);
    options.families = {{"failover.call.total", SeriesKind::kCounter, ""},
                        {"failover.api.health", SeriesKind::kGauge, ""},
                        {"failover.operation.duration", SeriesKind::kHistogram, "seconds"}};
    source_ = std::make_unique<PrometheusMetricsSource>(std::move(client), std::move(options));
  }

  FakePrometheusClient* fake_;
  std::unique_ptr<PrometheusMetricsSource> source_;
};

std::string TagsText(const v1::MetricSeries& series) {
  std::string out;
  for (const v1::Tag& tag : series.tags()) out += tag.key() + "=" + tag.value() + ";";
  return out;
}

TEST_F(PrometheusMetricsSourceTest, AsksOneQueryPerFamilyPart) {
  ASSERT_TRUE(source_->Series().ok());
  EXPECT_EQ(fake_->queries(),
            (std::vector<std::string>{kCalls, kHealth, kBuckets, kSums, kCounts}));
  EXPECT_EQ(source_->mode(), "prometheus");
}

TEST_F(PrometheusMetricsSourceTest, SeriesUnderDottedNamesSorted) {
  fake_->Answer(kCalls, {{{{"name", "quotes"}, {"domain", "d"}, {"result", "success"}}, 90},
                         {{{"name", "quotes"}, {"domain", "d"}, {"result", "failover"}}, 10}});
  fake_->Answer(kHealth, {{{{"name", "quotes"}, {"instance", "h:2"}, {"job", "peers"}}, 0.5},
                          {{{"name", "quotes"},
                            {"instance", "h:1"},
                            {"job", "peers"},
                            {"exported_instance", "orders@h"}},
                           0.98}});
  const auto series = source_->Series();
  ASSERT_TRUE(series.ok()) << series.status();
  ASSERT_EQ(series->size(), 4u);
  EXPECT_EQ((*series)[0].name(), "failover.api.health");
  EXPECT_EQ(TagsText((*series)[0]), "instance=h:1;name=quotes;");
  EXPECT_EQ((*series)[0].gauge(), 0.98);
  EXPECT_EQ(TagsText((*series)[1]), "instance=h:2;name=quotes;");
  EXPECT_EQ((*series)[2].name(), "failover.call.total");
  EXPECT_EQ(TagsText((*series)[2]), "domain=d;name=quotes;result=failover;");
  ASSERT_EQ((*series)[2].value_case(), v1::MetricSeries::kCounter);
  EXPECT_EQ((*series)[2].counter(), 10);
  EXPECT_EQ((*series)[3].counter(), 90);
}

TEST_F(PrometheusMetricsSourceTest, HistogramReassembled) {
  const std::map<std::string, std::string> store{{"name", "q"}, {"action", "store"}};
  auto with_le = [&](const char* le) {
    auto labels = store;
    labels["le"] = le;
    return labels;
  };
  fake_->Answer(kBuckets, {{with_le("+Inf"), 6}, {with_le("0.001"), 2}, {with_le("0.25"), 5}});
  fake_->Answer(kSums, {{store, 1.5}});
  fake_->Answer(kCounts, {{store, 6}});
  const auto series = source_->Series();
  ASSERT_TRUE(series.ok()) << series.status();
  ASSERT_EQ(series->size(), 1u);
  const v1::MetricSeries& s = (*series)[0];
  EXPECT_EQ(s.name(), "failover.operation.duration");
  EXPECT_EQ(s.unit(), "seconds");
  EXPECT_EQ(TagsText(s), "action=store;name=q;");
  ASSERT_EQ(s.value_case(), v1::MetricSeries::kHistogram);
  EXPECT_EQ(s.histogram().count(), 6u);
  EXPECT_EQ(s.histogram().sum(), 1.5);
  ASSERT_EQ(s.histogram().buckets_size(), 3);
  EXPECT_EQ(s.histogram().buckets(0).upper_bound(), 0.001);
  EXPECT_EQ(s.histogram().buckets(0).cumulative_count(), 2u);
  EXPECT_EQ(s.histogram().buckets(1).cumulative_count(), 5u);
  EXPECT_EQ(s.histogram().buckets(2).upper_bound(), std::numeric_limits<double>::infinity());
  EXPECT_EQ(s.histogram().buckets(2).cumulative_count(), 6u);
}

TEST_F(PrometheusMetricsSourceTest, FailureNamesTheMeter) {
  fake_->SetError(absl::UnavailableError("connection refused"));
  const auto series = source_->Series();
  EXPECT_EQ(series.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(series.status().message().find("reading failover.call.total"), std::string::npos)
      << series.status();
  EXPECT_NE(series.status().message().find("connection refused"), std::string::npos);
  EXPECT_TRUE(source_->Instances().empty());
  EXPECT_FALSE(source_->QueryInstances().ok());
}

TEST_F(PrometheusMetricsSourceTest, InstancesFromUp) {
  fake_->Answer(kUp, {{{{"instance", "h:2"}}, 0}, {{{"instance", "h:1"}}, 1}, {{}, 1}});
  const auto instances = source_->QueryInstances();
  ASSERT_TRUE(instances.ok()) << instances.status();
  ASSERT_EQ(instances->size(), 2u);
  EXPECT_EQ((*instances)[0].instance_id, "h:1");
  EXPECT_EQ((*instances)[0].liveness, Liveness::kLive);
  EXPECT_EQ((*instances)[1].instance_id, "h:2");
  EXPECT_EQ((*instances)[1].liveness, Liveness::kDown);
  EXPECT_EQ(source_->Instances().size(), 2u);
}

TEST(PrometheusMetricsSourceCreateTest, BadConfigNamed) {
  PrometheusClusterConfig config;
  config.base_url = "localhost:9090";
  const auto source = PrometheusMetricsSource::Create(config);
  EXPECT_EQ(source.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(source.status().message().find("failover.dashboard.cluster.prometheus.base-url"),
            std::string::npos)
      << source.status();
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
