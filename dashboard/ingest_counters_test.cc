#include "dashboard/ingest_counters.h"

#include "core/metrics/metrics_registry.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

uint64_t CountOf(MetricsRegistry& registry, absl::string_view transport, absl::string_view result) {
  return registry
      .GetCounter(IngestCounters::kMetricName, {{"result", result}, {"transport", transport}})
      .Value();
}

TEST(IngestCountersTest, AllSeriesExistAtZero) {
  MetricsRegistry registry;
  const size_t before = registry.series_count();
  IngestCounters counters(registry);
  EXPECT_EQ(registry.series_count(), before + 6);
  for (absl::string_view transport : {"http", "grpc"}) {
    for (absl::string_view result : {"accepted", "rejected", "unauthorized"}) {
      EXPECT_EQ(CountOf(registry, transport, result), 0u) << transport << " " << result;
    }
  }
}

TEST(IngestCountersTest, RecordCountsIntoItsOwnSeries) {
  MetricsRegistry registry;
  IngestCounters counters(registry);
  counters.Record(IngestTransport::kHttp, IngestResult::kAccepted);
  counters.Record(IngestTransport::kHttp, IngestResult::kAccepted);
  counters.Record(IngestTransport::kGrpc, IngestResult::kUnauthorized);
  counters.Record(IngestTransport::kGrpc, IngestResult::kRejected);
  counters.Record(IngestTransport::kGrpc, IngestResult::kRejected);
  counters.Record(IngestTransport::kGrpc, IngestResult::kRejected);
  EXPECT_EQ(CountOf(registry, "http", "accepted"), 2u);
  EXPECT_EQ(CountOf(registry, "http", "rejected"), 0u);
  EXPECT_EQ(CountOf(registry, "http", "unauthorized"), 0u);
  EXPECT_EQ(CountOf(registry, "grpc", "accepted"), 0u);
  EXPECT_EQ(CountOf(registry, "grpc", "rejected"), 3u);
  EXPECT_EQ(CountOf(registry, "grpc", "unauthorized"), 1u);
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
