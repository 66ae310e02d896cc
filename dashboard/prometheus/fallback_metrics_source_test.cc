#include "dashboard/prometheus/fallback_metrics_source.h"

#include <memory>
#include <utility>

#include "core/testing/warning_log.h"
#include "dashboard/prometheus/testing/fake_prometheus_client.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

// A fixed local source: one counter, one LIVE instance.
class FixedSource final : public MetricsSource {
 public:
  std::string mode() const override { return "local"; }
  absl::StatusOr<std::vector<v1::MetricSeries>> Series() override {
    v1::MetricSeries series;
    series.set_name("failover.call.total");
    series.set_counter(7);
    return std::vector<v1::MetricSeries>{series};
  }
  std::vector<InstanceStatus> Instances() override {
    InstanceStatus self;
    self.instance_id = "me";
    self.liveness = Liveness::kLive;
    return {self};
  }
};

class FallbackMetricsSourceTest : public testing::Test {
 protected:
  FallbackMetricsSourceTest() {
    auto client = std::make_unique<FakePrometheusClient>();
    fake_ = client.get();
    PrometheusMetricsSourceOptions options;
    options.families = {{"failover.call.total", SeriesKind::kCounter, ""}};
    source_ = std::make_unique<FallbackMetricsSource>(
        std::make_unique<PrometheusMetricsSource>(std::move(client), std::move(options)),
        std::make_unique<FixedSource>(), warnings_.Sink());
    fake_->Answer(
        "sum without (instance, job, exported_instance) "
        "(last_over_time(failover_call_total[3600s]))",
        {{{{"name", "q"}}, 100}});
  }

  WarningLog warnings_;
  FakePrometheusClient* fake_;
  std::unique_ptr<FallbackMetricsSource> source_;
};

TEST_F(FallbackMetricsSourceTest, ServesPrometheusWhileUp) {
  const auto series = source_->Series();
  ASSERT_TRUE(series.ok()) << series.status();
  ASSERT_EQ(series->size(), 1u);
  EXPECT_EQ((*series)[0].counter(), 100);
  EXPECT_EQ(source_->mode(), "prometheus");
  EXPECT_TRUE(warnings_.messages().empty());
}

TEST_F(FallbackMetricsSourceTest, FallsBackWarnsOnceAndRecovers) {
  fake_->SetError(absl::UnavailableError("connection refused"));
  for (int i = 0; i < 3; ++i) {
    const auto series = source_->Series();
    ASSERT_TRUE(series.ok()) << series.status();
    ASSERT_EQ(series->size(), 1u);
    EXPECT_EQ((*series)[0].counter(), 7);
    const auto instances = source_->Instances();
    ASSERT_EQ(instances.size(), 1u);
    EXPECT_EQ(instances[0].instance_id, "me");
  }
  EXPECT_EQ(source_->mode(), "local (prometheus unreachable)");
  ASSERT_EQ(warnings_.messages().size(), 1u);
  EXPECT_NE(warnings_.messages()[0].find("connection refused"), std::string::npos)
      << warnings_.messages()[0];

  fake_->SetError(absl::OkStatus());
  const auto series = source_->Series();
  ASSERT_TRUE(series.ok());
  EXPECT_EQ((*series)[0].counter(), 100);
  EXPECT_EQ(source_->mode(), "prometheus");
  ASSERT_EQ(warnings_.messages().size(), 2u);
  EXPECT_NE(warnings_.messages()[1].find("answers again"), std::string::npos);

  // A second outage is warned again.
  fake_->SetError(absl::DeadlineExceededError("slow"));
  EXPECT_EQ(source_->Instances().size(), 1u);
  EXPECT_TRUE(source_->Series().ok());
  EXPECT_EQ(warnings_.messages().size(), 3u);
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
