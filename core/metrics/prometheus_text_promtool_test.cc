// Prometheus's own checker accepts what RenderPrometheusExposition writes: `promtool check
// metrics` (from the Debian `prometheus` package, tools/lib/packages.txt) parses the page with
// Prometheus's parser and lints it (HELP present, counters end in _total, base units...).
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/metrics/metrics_registry.h"
#include "core/metrics/prometheus_text.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

constexpr char kPromtool[] = "/usr/bin/promtool";

struct CheckResult {
  int exit_code = -1;
  std::string output;
};

CheckResult PromtoolCheck(const std::string& page) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string dir = tmp != nullptr ? tmp : "/tmp";
  const std::string input = dir + "/page.txt";
  const std::string output = dir + "/promtool.out";
  std::ofstream(input) << page;
  const int status = std::system(
      absl::StrCat(kPromtool, " check metrics < ", input, " > ", output, " 2>&1").c_str());
  CheckResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::stringstream text;
  text << std::ifstream(output).rdbuf();
  result.output = text.str();
  return result;
}

// The meters the toolkit's modules register (store-jdbc, redis-failover, naming-client, core).
void FillLikeAProcess(MetricsRegistry& registry) {
  for (const char* stored : {"true", "false"}) {
    registry.GetCounter("failover.store.total", {{"name", "quotes"}, {"stored", stored}})
        .Increment(3);
  }
  registry
      .GetCounter("failover.recovery.outcome.total",
                  {{"name", "quotes"}, {"domain", "orders"}, {"outcome", "recovered"}})
      .Increment(2);
  registry
      .GetCounter("failover.call.total",
                  {{"name", "quotes"}, {"domain", "orders"}, {"result", "success"}})
      .Increment(90);
  registry
      .GetCounter("failover.exception.total",
                  {{"name", "quotes"}, {"exception_type", "UNAVAILABLE: \"db\"\\down\n"}})
      .Increment();
  registry.GetTimer("failover.operation.duration", {{"name", "quotes"}, {"action", "store"}})
      .Record(absl::Milliseconds(12));
  registry.GetTimer("failover.upstream.duration", {{"name", "quotes"}, {"result", "success"}})
      .Record(absl::Seconds(40));  // beyond the last bound: the +Inf bucket
  registry.GetGauge("failover.api.health", {{"name", "quotes"}}).Set(0.98);
  registry.GetGauge("failover.redis.endpoint.active", {{"endpoint", "primary"}}).Set(1);
  registry.GetCounter("failover.redis.commands.total", {{"endpoint", "primary"}, {"result", "ok"}})
      .Increment(100);
}

TEST(PrometheusTextPromtoolTest, PromtoolAcceptsAProcessPage) {
  MetricsRegistry registry;
  FillLikeAProcess(registry);
  const std::string page =
      RenderPrometheusExposition(registry.Snapshot(), InstanceTagPolicy(InstanceMode::kAuto, "x"))
          .body;
  const CheckResult result = PromtoolCheck(page);
  EXPECT_EQ(result.exit_code, 0) << result.output << "\npage:\n" << page;
  EXPECT_EQ(result.output, "") << "page:\n" << page;
}

TEST(PrometheusTextPromtoolTest, PromtoolAcceptsInstanceTagAndOddNames) {
  MetricsRegistry registry;
  registry.GetGauge("9.odd-name:x", {{"__reserved", "v"}, {"a.b", "é ünïcode"}}).Set(-0.5);
  registry.GetHistogram("io.size", {{"le", "tag"}}, BucketLayout::DefaultSeconds(), "bytes")
      .Record(3);
  const std::string page =
      RenderPrometheusExposition(registry.Snapshot(),
                                 InstanceTagPolicy(InstanceMode::kAlways, "orders@host-1"))
          .body;
  const CheckResult result = PromtoolCheck(page);
  EXPECT_EQ(result.exit_code, 0) << result.output << "\npage:\n" << page;
}

// Invalid UTF-8 in a tag value, and a gauge named like a histogram's _count sample, no longer
// make promtool reject the page.
TEST(PrometheusTextPromtoolTest, PromtoolAcceptsInvalidUtf8AndSuffixClashes) {
  MetricsRegistry registry;
  registry
      .GetGauge("failover.api.health", {{"name",
                                         "\xFF\xFE"
                                         "bad"}})
      .Set(1);
  registry.GetTimer("failover.op").Record(absl::Milliseconds(3));
  registry.GetGauge("failover.op.seconds.count").Set(2);
  const PrometheusExposition page =
      RenderPrometheusExposition(registry.Snapshot(), InstanceTagPolicy(InstanceMode::kAuto, "x"));
  EXPECT_EQ(page.dropped_series, 1u);
  const CheckResult result = PromtoolCheck(page.body);
  EXPECT_EQ(result.exit_code, 0) << result.output << "\npage:\n" << page.body;
}

// The checker must be able to fail: a page it rejects is reported as such.
TEST(PrometheusTextPromtoolTest, PromtoolRejectsABrokenPage) {
  const CheckResult result = PromtoolCheck("# TYPE x counter\nx{a=\"unterminated} 1\n");
  EXPECT_NE(result.exit_code, 0) << result.output;
}

}  // namespace
}  // namespace failover
