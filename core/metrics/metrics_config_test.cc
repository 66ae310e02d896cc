#include "core/metrics/metrics_config.h"

#include "core/config/failover_config_loader.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(MetricsConfigTest, DefaultsMatchTheMetricsDefaults) {
  const MetricsOptions from_config = MetricsOptionsFromConfig(ObservableConfig());
  const MetricsOptions defaults;
  EXPECT_EQ(from_config.cardinality.enabled, defaults.cardinality.enabled);
  EXPECT_EQ(from_config.cardinality.max_apis, defaults.cardinality.max_apis);
  EXPECT_EQ(from_config.async.enabled, defaults.async.enabled);
  EXPECT_EQ(from_config.async.queue_capacity, defaults.async.queue_capacity);
  EXPECT_EQ(from_config.instance.mode, defaults.instance.mode);
  EXPECT_EQ(from_config.instance.id, defaults.instance.id);
}

TEST(MetricsConfigTest, CarriesEveryObservableProperty) {
  const absl::StatusOr<FailoverConfig> config = LoadFailoverConfig(
      R"(failover:
  observable:
    async:
      enabled: false
      queue-capacity: 64
    instance:
      mode: NEVER
      id: orders-1
    cardinality:
      enabled: false
      max-apis: 7
)",
      Environment());
  ASSERT_TRUE(config.ok()) << config.status();
  const MetricsOptions options = MetricsOptionsFromConfig(config->observable);
  EXPECT_FALSE(options.async.enabled);
  EXPECT_EQ(options.async.queue_capacity, 64);
  EXPECT_EQ(options.instance.mode, InstanceMode::kNever);
  EXPECT_EQ(options.instance.id, "orders-1");
  EXPECT_FALSE(options.cardinality.enabled);
  EXPECT_EQ(options.cardinality.max_apis, 7);
  EXPECT_TRUE(ValidateMetricsOptions(options).ok());
}

}  // namespace
}  // namespace failover
