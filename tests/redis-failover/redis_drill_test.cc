// The failover drill against two real servers: east is killed and restarted during the run; the
// drill must report the switch to west and the failback, with their reasons, and end on east.
#include "tools/failoverctl/redis_drill.h"

#include <atomic>
#include <sstream>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/redis-failover/client_test_util.h"

namespace failover {
namespace {

using redis::client_testing::FastOptions;
using redis::client_testing::StartServers;

TEST(RedisDrillTest, ShowsTheSwitchAndTheFailbackWithReasons) {
  auto servers = StartServers(2);
  ASSERT_EQ(servers.size(), 2u);
  redis::RedisClientOptions client_options = FastOptions(servers, {1.0, 0.5});
  client_options.failback.grace_period = absl::Milliseconds(800);
  client_options.circuit_breaker.wait_duration_in_open_state = absl::Milliseconds(800);
  RedisDrillOptions options;
  options.duration = absl::Milliseconds(3500);
  options.threads = 2;
  options.keys = 50;
  options.report_every = absl::Milliseconds(500);

  std::ostringstream out;
  std::atomic<bool> stop{false};
  absl::StatusOr<DrillSummary> summary;
  std::thread drill([&] { summary = RunRedisDrill(options, client_options, out, stop); });
  absl::SleepFor(absl::Milliseconds(800));
  ASSERT_TRUE(servers[0]->Kill().ok());
  absl::SleepFor(absl::Milliseconds(500));
  ASSERT_TRUE(servers[0]->Restart().ok());
  drill.join();

  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_FALSE(summary->interrupted);
  ASSERT_EQ(summary->switches.size(), 2u) << summary->ToJson();
  EXPECT_EQ(summary->switches[0].from, "east");
  EXPECT_EQ(summary->switches[0].to, "west");
  // Whichever sees the crash first: five connection errors in a row, or the health check.
  EXPECT_TRUE(summary->switches[0].reason == "CIRCUIT_BREAKER" ||
              summary->switches[0].reason == "HEALTH_CHECK")
      << summary->ToJson();
  EXPECT_GE(summary->switches[0].at_ms, 700);
  EXPECT_EQ(summary->switches[1].from, "west");
  EXPECT_EQ(summary->switches[1].to, "east");
  EXPECT_EQ(summary->switches[1].reason, "FAILBACK");
  EXPECT_GE(summary->switches[1].at_ms - summary->switches[0].at_ms, 800);
  EXPECT_EQ(summary->final_endpoint, "east");
  EXPECT_GT(summary->ops, 1000);
  EXPECT_LT(summary->errors, 50) << summary->ToJson();

  const std::string text = out.str();
  EXPECT_TRUE(absl::StrContains(text, "active west")) << text;
  EXPECT_TRUE(absl::StrContains(text, "east -> west (")) << text;
  EXPECT_TRUE(absl::StrContains(text, "west -> east (FAILBACK)")) << text;
  // The last line is the summary.
  const std::string last = text.substr(text.rfind('\n', text.size() - 2) + 1);
  EXPECT_EQ(last, summary->ToJson() + "\n");
  EXPECT_TRUE(absl::StartsWith(last, "{\"ops\":")) << last;
}

TEST(RedisDrillTest, StopsEarlyWhenAskedAndStillSummarises) {
  auto servers = StartServers(1);
  ASSERT_EQ(servers.size(), 1u);
  RedisDrillOptions options;
  options.duration = absl::Seconds(60);
  std::ostringstream out;
  std::atomic<bool> stop{false};
  absl::StatusOr<DrillSummary> summary;
  const absl::Time start = absl::Now();
  std::thread drill(
      [&] { summary = RunRedisDrill(options, FastOptions(servers, {1.0}), out, stop); });
  absl::SleepFor(absl::Milliseconds(300));
  stop = true;
  drill.join();
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_TRUE(summary->interrupted);
  EXPECT_GT(summary->ops, 0);
  EXPECT_EQ(summary->final_endpoint, "east");
  EXPECT_TRUE(absl::StrContains(out.str(), "interrupted")) << out.str();
}

TEST(RedisDrillTest, SummaryJsonAndErrorKinds) {
  DrillSummary s;
  s.ops = 10;
  s.errors = 2;
  s.errors_by_kind = {{"unavailable", 2}};
  s.switches = {{1412, "east", "we\"st", "HEALTH_CHECK"}, {2000, "we\"st", "", "HEALTH_CHECK"}};
  s.max_latency_ms = 203;
  s.final_endpoint = "";
  EXPECT_EQ(s.ToJson(),
            "{\"ops\":10,\"errors\":2,\"errors_by_kind\":{\"unavailable\":2},\"switches\":["
            "{\"at_ms\":1412,\"from\":\"east\",\"to\":\"we\\\"st\",\"reason\":\"HEALTH_CHECK\"},"
            "{\"at_ms\":2000,\"from\":\"we\\\"st\",\"to\":\"\",\"reason\":\"HEALTH_CHECK\"}],"
            "\"max_latency_ms\":203,\"final_endpoint\":\"\"}");
  EXPECT_EQ(DrillErrorKind(absl::DeadlineExceededError("x")), "deadline_exceeded");
  RedisDrillOptions bad;
  bad.threads = 0;
  EXPECT_EQ(bad.Validate().message(), "--threads must be 1..256, got 0");
}

}  // namespace
}  // namespace failover
