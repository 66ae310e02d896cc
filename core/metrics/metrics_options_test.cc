#include "core/metrics/metrics_options.h"

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(MetricsOptionsTest, DefaultsMatchTheDocumentedProperties) {
  const MetricsOptions options;
  EXPECT_TRUE(options.cardinality.enabled);
  EXPECT_EQ(options.cardinality.max_apis, 1000);
  EXPECT_TRUE(options.async.enabled);
  EXPECT_EQ(options.async.queue_capacity, 10000);
  EXPECT_EQ(options.instance.mode, InstanceMode::kAuto);
  EXPECT_EQ(options.instance.id, "");
  EXPECT_TRUE(ValidateMetricsOptions(options).ok());
}

TEST(MetricsOptionsTest, ValidationNamesTheProperty) {
  MetricsOptions options;
  options.cardinality.max_apis = 0;
  absl::Status status = ValidateMetricsOptions(options);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("failover.observable.cardinality.max-apis"),
            absl::string_view::npos);

  options = MetricsOptions();
  options.async.queue_capacity = AsyncOptions::kMaxQueueCapacity + 1;
  EXPECT_FALSE(ValidateMetricsOptions(options).ok());
  options.async.queue_capacity = -1;
  status = ValidateMetricsOptions(options);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("failover.observable.async.queue-capacity"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace failover
