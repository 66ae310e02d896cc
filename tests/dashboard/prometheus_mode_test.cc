// The "prometheus" cluster mode end to end: two peers' registries served at /metrics with the
// core exposition, a real Prometheus 2.42 scraping them every second, and PrometheusMetricsSource
// reading the fleet's KPIs back with PromQL; then a peer stops (DOWN) and Prometheus stops
// (FallbackMetricsSource serves the local registry and warns once).
#include <httplib.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/metrics/metrics_registry.h"
#include "core/metrics/prometheus_text.h"
#include "core/testing/warning_log.h"
#include "dashboard/api/local_metrics_source.h"
#include "dashboard/prometheus/fallback_metrics_source.h"
#include "dashboard/prometheus/prometheus_metrics_source.h"
#include "gtest/gtest.h"
#include "tests/dashboard/testing/prometheus_server.h"

namespace failover {
namespace dashboard {
namespace {

constexpr absl::Duration kPatience = absl::Seconds(30);

// One peer process's /metrics endpoint.
class Peer {
 public:
  explicit Peer(std::string id) : policy_(InstanceMode::kAuto, std::move(id)) {
    server_.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      const PrometheusExposition page = RenderPrometheusExposition(registry_.Snapshot(), policy_);
      res.set_content(page.body, page.content_type);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Peer() { Stop(); }
  void Stop() {
    if (!thread_.joinable()) return;
    server_.stop();
    thread_.join();
  }
  MetricsRegistry& registry() { return registry_; }
  std::string target() const { return absl::StrCat("127.0.0.1:", port_); }

 private:
  MetricsRegistry registry_;
  const InstanceTagPolicy policy_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

// Polls `condition` until it holds or kPatience passes.
bool Eventually(const std::function<bool()>& condition) { return PollUntil(condition, kPatience); }

const v1::MetricSeries* Find(const std::vector<v1::MetricSeries>& all, absl::string_view name,
                             const std::vector<std::pair<std::string, std::string>>& tags) {
  for (const v1::MetricSeries& series : all) {
    if (series.name() != name || series.tags_size() != static_cast<int>(tags.size())) continue;
    bool same = true;
    for (int i = 0; i < series.tags_size(); ++i) {
      same =
          same && series.tags(i).key() == tags[i].first && series.tags(i).value() == tags[i].second;
    }
    if (same) return &series;
  }
  return nullptr;
}

double CounterOf(MetricsSource& source, absl::string_view name,
                 const std::vector<std::pair<std::string, std::string>>& tags) {
  const absl::StatusOr<std::vector<v1::MetricSeries>> series = source.Series();
  if (!series.ok()) return -1;
  const v1::MetricSeries* found = Find(*series, name, tags);
  return found == nullptr ? -1 : found->counter();
}

Liveness LivenessOf(MetricsSource& source, const std::string& id) {
  for (const InstanceStatus& instance : source.Instances()) {
    if (instance.instance_id == id) return instance.liveness;
  }
  return Liveness::kUnknown;
}

void FillPeer(MetricsRegistry& registry, uint64_t stored, uint64_t recovered, uint64_t exceptions,
              double endpoint_active) {
  registry.GetCounter("failover.store.total", {{"name", "quotes"}, {"stored", "true"}})
      .Increment(stored);
  registry
      .GetCounter("failover.recovery.outcome.total",
                  {{"name", "quotes"}, {"domain", "orders"}, {"outcome", "recovered"}})
      .Increment(recovered);
  registry
      .GetCounter("failover.call.total",
                  {{"name", "quotes"}, {"domain", "orders"}, {"result", "success"}})
      .Increment(stored);
  if (exceptions > 0) {
    registry
        .GetCounter("failover.exception.total",
                    {{"name", "quotes"}, {"exception_type", "UNAVAILABLE"}})
        .Increment(exceptions);
  }
  registry.GetTimer("failover.operation.duration", {{"name", "quotes"}, {"action", "store"}})
      .Record(absl::Milliseconds(3));
  registry.GetGauge("failover.redis.endpoint.active", {{"endpoint", "primary"}})
      .Set(endpoint_active);
}

TEST(PrometheusModeTest, FleetKpisInstancesAndFallback) {
  Peer a("orders-a");
  Peer b("orders-b");
  FillPeer(a.registry(), /*stored=*/90, /*recovered=*/8, /*exceptions=*/0, /*active=*/1);
  FillPeer(b.registry(), /*stored=*/10, /*recovered=*/2, /*exceptions=*/3, /*active=*/0);

  absl::StatusOr<std::unique_ptr<PrometheusServer>> prometheus =
      PrometheusServer::Start({a.target(), b.target()});
  ASSERT_TRUE(prometheus.ok()) << prometheus.status();
  PrometheusClusterConfig config;
  config.base_url = (*prometheus)->base_url();
  config.timeout_seconds = 2;
  absl::StatusOr<std::unique_ptr<PrometheusMetricsSource>> source =
      PrometheusMetricsSource::Create(config);
  ASSERT_TRUE(source.ok()) << source.status();
  PrometheusMetricsSource& prom = **source;

  // Both targets scraped.
  ASSERT_TRUE(Eventually([&] {
    return LivenessOf(prom, a.target()) == Liveness::kLive &&
           LivenessOf(prom, b.target()) == Liveness::kLive;
  })) << "instances never both LIVE";
  const std::vector<InstanceStatus> instances = prom.Instances();
  ASSERT_EQ(instances.size(), 2u);
  EXPECT_EQ(prom.mode(), "prometheus");

  // Counters summed over the two peers, under their dotted names and tags.
  absl::StatusOr<std::vector<v1::MetricSeries>> series = prom.Series();
  ASSERT_TRUE(series.ok()) << series.status();
  const v1::MetricSeries* stored =
      Find(*series, "failover.store.total", {{"name", "quotes"}, {"stored", "true"}});
  ASSERT_NE(stored, nullptr);
  EXPECT_EQ(stored->counter(), 100);
  const v1::MetricSeries* recovered =
      Find(*series, "failover.recovery.outcome.total",
           {{"domain", "orders"}, {"name", "quotes"}, {"outcome", "recovered"}});
  ASSERT_NE(recovered, nullptr);
  EXPECT_EQ(recovered->counter(), 10);
  const v1::MetricSeries* calls =
      Find(*series, "failover.call.total",
           {{"domain", "orders"}, {"name", "quotes"}, {"result", "success"}});
  ASSERT_NE(calls, nullptr);
  EXPECT_EQ(calls->counter(), 100);
  const v1::MetricSeries* exceptions = Find(
      *series, "failover.exception.total", {{"exception_type", "UNAVAILABLE"}, {"name", "quotes"}});
  ASSERT_NE(exceptions, nullptr);
  EXPECT_EQ(exceptions->counter(), 3);
  // The registries' own denial counters come through too (0 each, summed).
  EXPECT_NE(Find(*series, "failover.metrics.denied.total", {{"reason", "cardinality"}}), nullptr);
  // Histograms summed: one 3 ms store per peer, in the 4 ms bucket.
  const v1::MetricSeries* duration =
      Find(*series, "failover.operation.duration", {{"action", "store"}, {"name", "quotes"}});
  ASSERT_NE(duration, nullptr);
  ASSERT_EQ(duration->value_case(), v1::MetricSeries::kHistogram);
  EXPECT_EQ(duration->unit(), "seconds");
  EXPECT_EQ(duration->histogram().count(), 2u);
  EXPECT_NEAR(duration->histogram().sum(), 0.006, 1e-9);
  ASSERT_EQ(duration->histogram().buckets_size(), 17);
  EXPECT_EQ(duration->histogram().buckets(1).cumulative_count(), 0u);  // le 0.002
  EXPECT_EQ(duration->histogram().buckets(2).cumulative_count(), 2u);  // le 0.004
  // Gauges per instance, tagged with Prometheus's instance label.
  const v1::MetricSeries* active_a = Find(*series, "failover.redis.endpoint.active",
                                          {{"endpoint", "primary"}, {"instance", a.target()}});
  const v1::MetricSeries* active_b = Find(*series, "failover.redis.endpoint.active",
                                          {{"endpoint", "primary"}, {"instance", b.target()}});
  ASSERT_NE(active_a, nullptr);
  ASSERT_NE(active_b, nullptr);
  EXPECT_EQ(active_a->gauge(), 1);
  EXPECT_EQ(active_b->gauge(), 0);

  // New counts reach the sums at the next scrape.
  a.registry()
      .GetCounter("failover.store.total", {{"name", "quotes"}, {"stored", "true"}})
      .Increment(5);
  EXPECT_TRUE(Eventually([&] {
    return CounterOf(prom, "failover.store.total", {{"name", "quotes"}, {"stored", "true"}}) == 105;
  }));

  // A peer stops: Prometheus marks it down, its last counts stay in the totals.
  b.Stop();
  EXPECT_TRUE(Eventually([&] { return LivenessOf(prom, b.target()) == Liveness::kDown; }))
      << "stopped peer never DOWN";
  EXPECT_EQ(LivenessOf(prom, a.target()), Liveness::kLive);
  EXPECT_EQ(CounterOf(prom, "failover.store.total", {{"name", "quotes"}, {"stored", "true"}}), 105);

  // Prometheus stops: the fallback serves peer a's own registry and warns once.
  absl::StatusOr<std::unique_ptr<PrometheusMetricsSource>> primary =
      PrometheusMetricsSource::Create(config);
  ASSERT_TRUE(primary.ok());
  WarningLog warnings;
  FallbackMetricsSource fallback(*std::move(primary),
                                 std::make_unique<LocalMetricsSource>(a.registry(), "orders-a"),
                                 warnings.Sink());
  EXPECT_EQ(CounterOf(fallback, "failover.store.total", {{"name", "quotes"}, {"stored", "true"}}),
            105);
  EXPECT_EQ(fallback.mode(), "prometheus");
  (*prometheus)->Stop();
  EXPECT_EQ(CounterOf(fallback, "failover.store.total", {{"name", "quotes"}, {"stored", "true"}}),
            95);
  EXPECT_EQ(fallback.mode(), "local (prometheus unreachable)");
  const std::vector<InstanceStatus> local = fallback.Instances();
  ASSERT_EQ(local.size(), 1u);
  EXPECT_EQ(local[0].instance_id, "orders-a");
  EXPECT_EQ(CounterOf(fallback, "failover.store.total", {{"name", "quotes"}, {"stored", "true"}}),
            95);
  ASSERT_EQ(warnings.messages().size(), 1u);
  EXPECT_NE(warnings.messages()[0].find("prometheus is unreachable"), std::string::npos)
      << warnings.messages()[0];
  EXPECT_FALSE(prom.Series().ok());
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
