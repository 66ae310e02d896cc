#include "dashboard/server/failoverd_metrics.h"

#include <string>
#include <utility>
#include <vector>

#include "core/metrics/metrics_registry.h"
#include "gtest/gtest.h"
#include "naming-client/failover_data_store.h"

namespace failover {
namespace dashboard {
namespace {

// Instances() answers what the test set.
class FakeFleet final : public MetricsSource {
 public:
  std::string mode() const override { return "shared-store"; }
  absl::StatusOr<std::vector<v1::MetricSeries>> Series() override {
    return std::vector<v1::MetricSeries>();
  }
  std::vector<InstanceStatus> Instances() override { return instances; }

  void Add(std::string id, Liveness liveness) {
    InstanceStatus status;
    status.instance_id = std::move(id);
    status.liveness = liveness;
    instances.push_back(std::move(status));
  }
  std::vector<InstanceStatus> instances;
};

double Instances(MetricsRegistry& registry, absl::string_view liveness) {
  return registry.GetGauge(FailoverdMetrics::kInstancesMetric, {{"liveness", liveness}}).Value();
}

double Switch(MetricsRegistry& registry, absl::string_view nacos_namespace) {
  return registry.GetGauge(FailoverdMetrics::kNamingSwitchMetric, {{"namespace", nacos_namespace}})
      .Value();
}

bool Exported(const MetricsRegistry& registry, absl::string_view name) {
  const MetricsSnapshot snapshot = registry.Snapshot();
  for (const SeriesSnapshot& series : snapshot.series()) {
    if (series.name == name) return true;
  }
  return false;
}

TEST(FailoverdMetricsTest, InstanceGaugesFollowTheFleetOnRefresh) {
  MetricsRegistry registry;
  FakeFleet fleet;
  FailoverdMetrics metrics(registry, &fleet);
  EXPECT_TRUE(Exported(registry, FailoverdMetrics::kInstancesMetric));
  fleet.Add("a", Liveness::kLive);
  fleet.Add("b", Liveness::kLive);
  fleet.Add("c", Liveness::kDown);
  fleet.Add("d", Liveness::kUnknown);
  EXPECT_EQ(Instances(registry, "LIVE"), 0);  // Not sampled yet.
  metrics.Refresh();
  EXPECT_EQ(Instances(registry, "LIVE"), 2);
  EXPECT_EQ(Instances(registry, "DOWN"), 1);
  EXPECT_EQ(Instances(registry, "UNKNOWN"), 1);

  fleet.instances.clear();
  fleet.Add("a", Liveness::kDown);
  metrics.Refresh();
  EXPECT_EQ(Instances(registry, "LIVE"), 0);
  EXPECT_EQ(Instances(registry, "DOWN"), 1);
  EXPECT_EQ(Instances(registry, "UNKNOWN"), 0);
}

TEST(FailoverdMetricsTest, NoInstanceGaugesWithoutAFleet) {
  MetricsRegistry registry;
  FailoverdMetrics metrics(registry, nullptr);
  metrics.Refresh();
  EXPECT_FALSE(Exported(registry, FailoverdMetrics::kInstancesMetric));
  EXPECT_TRUE(Exported(registry, IngestCounters::kMetricName));
}

TEST(FailoverdMetricsTest, NamingSwitchGaugeFollowsTheStore) {
  MetricsRegistry registry;
  FailoverdMetrics metrics(registry, nullptr);
  EXPECT_TRUE(Exported(registry, FailoverdMetrics::kNamingSwitchMetric));
  EXPECT_EQ(Switch(registry, "public"), 0);
  naming::FailoverDataStore store;
  store.SetChangeListener([&metrics](const std::string& ns, const naming::StoreChange& change) {
    metrics.OnNamingChange(ns, change);
  });
  ASSERT_TRUE(store.SetSwitch("", true, "drill").ok());  // Blank is "public".
  ASSERT_TRUE(store.SetSwitch("staging", true, "drill").ok());
  EXPECT_EQ(Switch(registry, "public"), 1);
  EXPECT_EQ(Switch(registry, "staging"), 1);
  v1::ServiceInfo info;
  info.set_name("orders");
  info.set_group_name("DEFAULT_GROUP");
  ASSERT_TRUE(store.UpsertService("public", "DEFAULT_GROUP@@orders", info).ok());
  EXPECT_EQ(Switch(registry, "public"), 1);  // A service change leaves the switch alone.
  ASSERT_TRUE(store.SetSwitch("public", false, "over").ok());
  EXPECT_EQ(Switch(registry, "public"), 0);
  EXPECT_EQ(Switch(registry, "staging"), 1);
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
