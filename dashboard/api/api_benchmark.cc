// DashboardApi::Metrics() over a fleet of 1,000 instances: 20 failovers (counters, upstream and
// operation histograms, exceptions) summed over the fleet, plus per-instance gauges of 2 redis
// endpoints (3 gauges each), the naming switch and 5 naming services: ~12,300 series.
//
//   bazel run -c opt //dashboard/api:api_benchmark
//
// Reports the mean per call and, as counters, the p50 and p99 of the calls it timed.
#include <algorithm>
#include <chrono>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "core/simulated_clock.h"
#include "dashboard/api/dashboard_api.h"
#include "dashboard/api/testing/fake_metrics_source.h"

namespace failover {
namespace dashboard {
namespace {

constexpr int kInstances = 1000;
constexpr int kApis = 20;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<v1::MetricSeries> FleetSeries() {
  std::vector<v1::MetricSeries> series;
  const std::vector<std::pair<double, uint64_t>> buckets = {
      {0.005, 100}, {0.01, 400}, {0.05, 900}, {0.1, 990}, {0.5, 999}, {1, 1000}, {kInf, 1000}};
  for (int a = 0; a < kApis; ++a) {
    const std::string name = absl::StrCat("api-", a);
    for (v1::MetricSeries& s : WorkedExampleSeries(name, "orders")) series.push_back(std::move(s));
    for (const char* result : {"success", "failure"}) {
      series.push_back(HistogramSeries("failover.upstream.duration",
                                       {{"name", name}, {"result", result}}, buckets, 20, 0.9));
    }
    for (const char* action : {"store", "recover"}) {
      series.push_back(HistogramSeries("failover.operation.duration",
                                       {{"name", name}, {"action", action}}, buckets, 2, 0.2));
    }
    for (const char* type : {"Timeout", "Refused", "Io"}) {
      series.push_back(CounterSeries("failover.exception.total",
                                     {{"name", name}, {"exception_type", type}}, a + 1));
    }
  }
  for (int i = 0; i < kInstances; ++i) {
    const std::string instance = absl::StrCat("instance-", i);
    for (const char* endpoint : {"primary", "replica"}) {
      for (const char* gauge : {"failover.redis.endpoint.active", "failover.redis.endpoint.healthy",
                                "failover.redis.endpoint.breaker.state"}) {
        series.push_back(GaugeSeries(gauge, {{"endpoint", endpoint}, {"instance", instance}}, 1));
      }
    }
    series.push_back(GaugeSeries("failover.naming.switch",
                                 {{"instance", instance}, {"namespace", "public"}}, 1));
    for (int s = 0; s < 5; ++s) {
      const std::string service = absl::StrCat("DEFAULT_GROUP@@service-", s);
      series.push_back(
          GaugeSeries("failover.naming.failover.instances",
                      {{"instance", instance}, {"namespace", "public"}, {"service", service}}, 3));
    }
  }
  return series;
}

std::vector<InstanceStatus> FleetInstances(const Clock& clock) {
  std::vector<InstanceStatus> instances(kInstances);
  for (int i = 0; i < kInstances; ++i) {
    instances[i].instance_id = absl::StrCat("instance-", i);
    instances[i].liveness = i % 10 == 0 ? Liveness::kDown : Liveness::kLive;
    instances[i].last_heartbeat_at = clock.WallNow();
    instances[i].last_snapshot_at = clock.WallNow();
    instances[i].series_count = 40;
  }
  return instances;
}

void BM_MetricsThousandInstances(benchmark::State& state) {
  SimulatedClock clock;
  FakeMetricsSource source;
  source.SetSeries(FleetSeries());
  source.SetInstances(FleetInstances(clock));
  FailoverConfig config;
  DashboardApi api(config, source, clock, nullptr);
  std::vector<double> millis;
  size_t bytes = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    ApiResponse response = api.Metrics();
    millis.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    if (response.status != 200) state.SkipWithError("Metrics() did not answer 200");
    bytes = response.body.size();
    benchmark::DoNotOptimize(response);
  }
  std::sort(millis.begin(), millis.end());
  auto quantile = [&](double q) {
    return millis.empty() ? 0.0 : millis[static_cast<size_t>(q * (millis.size() - 1))];
  };
  state.counters["p50_ms"] = quantile(0.50);
  state.counters["p99_ms"] = quantile(0.99);
  state.counters["body_bytes"] = static_cast<double>(bytes);
  state.counters["series"] = static_cast<double>(FleetSeries().size());
}
BENCHMARK(BM_MetricsThousandInstances)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace dashboard
}  // namespace failover

namespace failover {
namespace dashboard {
namespace {

// The same fleet through FailoverHealth(): the series copy and the KPIs without the per-instance
// gauge rows, for comparison.
void BM_FailoverHealthThousandInstances(benchmark::State& state) {
  SimulatedClock clock;
  FakeMetricsSource source;
  source.SetSeries(FleetSeries());
  source.SetInstances(FleetInstances(clock));
  FailoverConfig config;
  DashboardApi api(config, source, clock, nullptr);
  for (auto _ : state) {
    ApiResponse response = api.FailoverHealth();
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK(BM_FailoverHealthThousandInstances)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace dashboard
}  // namespace failover
