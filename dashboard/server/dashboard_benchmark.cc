// failoverd end to end (docs/benchmarks.md, "dashboard"): a DashboardServer in shared-store mode
// (in memory) on 127.0.0.1, secured by one admin user, fed by 1,000 demo instances (the demo
// fleet's meters: three APIs, Redis endpoints, the naming switch; ~60 series each) pushed over
// HTTP with heartbeats, so all 1,000 are LIVE. Then:
//   - BM_ApiMetricsOverHttp: GET {base}/api/metrics over a kept-alive connection with Basic auth
//     (the verified-login cache answers after the first request); counters p50_ms, p99_ms.
//   - BM_ApiMetricsOverHttpUnderIngest: the same while a thread pushes 67 snapshots a second (the
//     1,000 peers at the default 15 s interval), so the fleet changes between reads.
//   - BM_FailoverHealthOverHttp: the same for api/failover-health.
//   - BM_IngestOverHttp/threads:2: POST {base}/api/cluster/snapshot (binary protobuf, bearer
//     token), each thread with its own connection, rotating over the 1,000 instances.
//   bazel run --config=bench //dashboard/server:dashboard_benchmark
#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "core/clock.h"
#include "core/config/failover_config.h"
#include "core/metrics/snapshot_proto.h"
#include "core/random.h"
#include "dashboard/demo/demo_instance.h"
#include "dashboard/security/password_hash.h"
#include "dashboard/server/dashboard_server.h"
#include "httplib.h"

namespace failover {
namespace dashboard {
namespace {

constexpr int kInstances = 1000;
constexpr char kBase[] = "/failover-dashboard";
constexpr char kPassword[] = "benchmark-password";
constexpr char kToken[] = "benchmark-ingest-token-0123456789";

struct Fleet {
  std::unique_ptr<DashboardServer> server;
  std::vector<std::string> snapshots;  // Encoded MetricsSnapshot per instance.
  int port = 0;
};

FailoverConfig BenchmarkConfig() {
  FailoverConfig config;
  DashboardConfig& dashboard = config.dashboard;
  dashboard.enabled = true;
  dashboard.listen = "127.0.0.1:0";
  dashboard.grpc_listen = "127.0.0.1:0";
  dashboard.cluster.mode = ClusterMode::kSharedStore;
  dashboard.cluster.shared_store.max_instances = 2 * kInstances;
  dashboard.cluster.shared_store.liveness_seconds = 3600;
  SeededRandom random(7);
  DashboardUserConfig admin;
  admin.username = "admin";
  admin.password_hash = HashPassword(kPassword, random, kMinPbkdf2Iterations);
  admin.roles = {dashboard.security.role};
  dashboard.security.users.push_back(admin);
  dashboard.security.ingest_tokens.push_back(kToken);
  return config;
}

httplib::Headers Bearer() { return {{"Authorization", absl::StrCat("Bearer ", kToken)}}; }

httplib::Headers Basic() {
  return {{"Authorization",
           absl::StrCat("Basic ", absl::Base64Escape(absl::StrCat("admin:", kPassword)))}};
}

Fleet& TheFleet() {
  static Fleet* const fleet = [] {
    auto* f = new Fleet();
    absl::StatusOr<std::unique_ptr<DashboardServer>> server = DashboardServer::Start(
        BenchmarkConfig(), SystemClock(), [](absl::string_view) {}, DashboardServerOptions());
    if (!server.ok()) std::abort();
    f->server = *std::move(server);
    f->port = f->server->http_port();
    SeededRandom random(42);
    httplib::Client client("127.0.0.1", f->port);
    for (int i = 0; i < kInstances; ++i) {
      DemoInstance instance(absl::StrCat("bench-", i), random);
      for (int tick = 0; tick < 20; ++tick) instance.Tick();
      SnapshotProtoEncoder encoder(SystemClock(), instance.instance_id(), absl::Now());
      f->snapshots.push_back(encoder.Encode(instance.registry().Snapshot()).SerializeAsString());
      auto pushed = client.Post(absl::StrCat(kBase, "/api/cluster/snapshot"), Bearer(),
                                f->snapshots.back(), "application/x-protobuf");
      v1::HeartbeatRequest heartbeat;
      heartbeat.set_instance_id(instance.instance_id());
      auto beat = client.Post(absl::StrCat(kBase, "/api/cluster/heartbeat"), Bearer(),
                              heartbeat.SerializeAsString(), "application/x-protobuf");
      if (!pushed || pushed->status != 202 || !beat || beat->status != 202) std::abort();
    }
    return f;
  }();
  return *fleet;
}

void Percentiles(benchmark::State& state, std::vector<double>& millis) {
  if (millis.empty()) return;
  std::sort(millis.begin(), millis.end());
  state.counters["p50_ms"] = millis[millis.size() / 2];
  state.counters["p99_ms"] = millis[std::min(millis.size() - 1, millis.size() * 99 / 100)];
  state.counters["max_ms"] = millis.back();
}

void GetOverHttp(benchmark::State& state, const char* path) {
  Fleet& fleet = TheFleet();
  httplib::Client client("127.0.0.1", fleet.port);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  const std::string url = absl::StrCat(kBase, path);
  std::vector<double> millis;
  size_t bytes = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto response = client.Get(url, Basic());
    const auto stop = std::chrono::steady_clock::now();
    if (!response || response->status != 200) {
      state.SkipWithError("request failed");
      break;
    }
    bytes = response->body.size();
    millis.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
  }
  Percentiles(state, millis);
  state.counters["body_kb"] = static_cast<double>(bytes) / 1024;
  state.counters["instances"] = static_cast<double>(fleet.server->source().Instances().size());
}

// The metrics source alone (FleetStore::Series over the 1,000 instances), for comparison.
void BM_SourceSeries(benchmark::State& state) {
  Fleet& fleet = TheFleet();
  for (auto _ : state) {
    auto series = fleet.server->source().Series();
    benchmark::DoNotOptimize(series);
  }
}
BENCHMARK(BM_SourceSeries)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ApiMetricsOverHttp(benchmark::State& state) { GetOverHttp(state, "/api/metrics"); }
BENCHMARK(BM_ApiMetricsOverHttp)->Unit(benchmark::kMillisecond)->UseRealTime();

// api/metrics while the fleet keeps pushing, as 1,000 peers do at the default interval of 15 s
// (67 snapshots a second, each with a new sequence number), so the fleet changes between reads.
void BM_ApiMetricsOverHttpUnderIngest(benchmark::State& state) {
  Fleet& fleet = TheFleet();
  std::atomic<bool> stop{false};
  std::thread pusher([&] {
    httplib::Client client("127.0.0.1", fleet.port);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    std::vector<v1::MetricsSnapshot> snapshots(kInstances);
    for (int i = 0; i < kInstances; ++i) snapshots[i].ParseFromString(fleet.snapshots[i]);
    uint64_t round = 1000;
    for (int next = 0; !stop.load(); next = (next + 1) % kInstances) {
      if (next == 0) ++round;
      snapshots[next].set_sequence(round);
      client.Post(absl::StrCat(kBase, "/api/cluster/snapshot"), Bearer(),
                  snapshots[next].SerializeAsString(), "application/x-protobuf");
      std::this_thread::sleep_for(std::chrono::microseconds(15000));  // ~67 a second
    }
  });
  GetOverHttp(state, "/api/metrics");
  stop = true;
  pusher.join();
}
BENCHMARK(BM_ApiMetricsOverHttpUnderIngest)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FailoverHealthOverHttp(benchmark::State& state) {
  GetOverHttp(state, "/api/failover-health");
}
BENCHMARK(BM_FailoverHealthOverHttp)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_IngestOverHttp(benchmark::State& state) {
  Fleet& fleet = TheFleet();
  httplib::Client client("127.0.0.1", fleet.port);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  const std::string url = absl::StrCat(kBase, "/api/cluster/snapshot");
  int next = state.thread_index() * (kInstances / 2);
  for (auto _ : state) {
    auto response = client.Post(url, Bearer(), fleet.snapshots[next % kInstances],
                                "application/x-protobuf");
    if (!response || response->status != 202) {
      state.SkipWithError("push failed");
      break;
    }
    ++next;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IngestOverHttp)->Threads(2)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace dashboard
}  // namespace failover

BENCHMARK_MAIN();
