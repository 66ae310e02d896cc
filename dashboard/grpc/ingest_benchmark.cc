// Snapshot ingest over gRPC (docs/benchmarks.md, "dashboard"):
//   bazel run --config=bench //dashboard/grpc:ingest_benchmark
//
// A DashboardGrpcServer on 127.0.0.1 takes ClusterIngest.PushSnapshot calls into an in-memory
// FleetStore (max-instances 1000), authenticated with a bearer token as peers do. Snapshots are
// realistic: 50 series (30 tagged counters, 12 gauges, 8 latency histograms of 12 buckets),
// about 4 KB on the wire, from 1,000 distinct instances whose sequence advances on every push
// (so each is a new snapshot the store keeps, not a repeat it ignores).
//   - BM_PushSnapshotGrpc/fleet:1/threads:2: two client threads, each with its own connection,
//     pushing round-robin over their half of the instances (the target: >= 5,000
//     snapshots/s).
//   - BM_PushSnapshotGrpc/fleet:0/threads:2: the same into a sink that only counts: the cost of
//     the gRPC path (transport, protobuf, authentication) alone.
//   - BM_AcceptSnapshotDirect/threads:2: FleetStore::AcceptSnapshot called in-process with the
//     same snapshots: the floor without gRPC, protobuf on the wire and authentication.
//   - BM_CopySnapshot: copying one snapshot, which both of the above do once per push.
// process_cpu_us: CPU of the whole process (client threads, gRPC's threads, the sink) per
// snapshot; the CPU column is the client threads' share. On a shared machine the rates move with
// other load, the CPU per snapshot much less.
#include <time.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "core/clock.h"
#include "core/config/dashboard_config.h"
#include "core/warning_sink.h"
#include "dashboard/fleet/fleet_store.h"
#include "dashboard/grpc/dashboard_grpc_server.h"
#include "dashboard/security/authenticator.h"
#include "grpcpp/grpcpp.h"
#include "proto/metrics_snapshot.grpc.pb.h"

namespace failover {
namespace dashboard {
namespace {

constexpr int kInstances = 1000;
constexpr char kToken[] = "bench-token";

v1::MetricsSnapshot MakeSnapshot(int instance) {
  v1::MetricsSnapshot snapshot;
  snapshot.set_instance_id(absl::StrCat("app-", instance));
  snapshot.set_process_start_unix_nanos(1'700'000'000'000'000'000);
  for (int i = 0; i < 30; ++i) {
    v1::MetricSeries* series = snapshot.add_series();
    series->set_name(i % 2 == 0 ? "failover.calls" : "breaker.transitions");
    v1::Tag* tag = series->add_tags();
    tag->set_key("name");
    tag->set_value(absl::StrCat("upstream-", i));
    tag = series->add_tags();
    tag->set_key("outcome");
    tag->set_value(i % 3 == 0 ? "failure" : "success");
    series->set_counter(1000.0 * i + instance);
  }
  for (int i = 0; i < 12; ++i) {
    v1::MetricSeries* series = snapshot.add_series();
    series->set_name("breaker.state");
    v1::Tag* tag = series->add_tags();
    tag->set_key("name");
    tag->set_value(absl::StrCat("upstream-", i));
    series->set_gauge(i % 3);
  }
  for (int i = 0; i < 8; ++i) {
    v1::MetricSeries* series = snapshot.add_series();
    series->set_name("failover.latency");
    series->set_unit("seconds");
    v1::Tag* tag = series->add_tags();
    tag->set_key("name");
    tag->set_value(absl::StrCat("upstream-", i));
    v1::Histogram* histogram = series->mutable_histogram();
    uint64_t count = 0;
    for (int b = 0; b < 12; ++b) {
      v1::Histogram::Bucket* bucket = histogram->add_buckets();
      bucket->set_upper_bound(b == 11 ? std::numeric_limits<double>::infinity() : 0.001 * (1 << b));
      count += 10 * (b + 1);
      bucket->set_cumulative_count(count);
    }
    histogram->set_count(count);
    histogram->set_sum(0.05 * count);
    histogram->set_max(1.5);
  }
  return snapshot;
}

// The snapshots of every instance, their sequence advanced by the pusher.
std::vector<v1::MetricsSnapshot>& Snapshots() {
  static auto* snapshots = [] {
    auto* all = new std::vector<v1::MetricsSnapshot>();
    for (int i = 0; i < kInstances; ++i) all->push_back(MakeSnapshot(i));
    return all;
  }();
  return *snapshots;
}

std::unique_ptr<FleetStore> NewFleet() {
  static WarningSink warnings = [](absl::string_view) {};  // max-instances warnings are expected
  SharedStoreConfig config;
  config.max_instances = kInstances;
  absl::StatusOr<std::unique_ptr<FleetStore>> fleet =
      FleetStore::Create(SystemClock(), config, nullptr, warnings);
  if (!fleet.ok()) std::abort();
  return *std::move(fleet);
}

// Counts what it accepts, nothing more: what ingest costs without the fleet's work.
class CountingSink final : public IngestSink {
 public:
  absl::Status AcceptSnapshot(v1::MetricsSnapshot snapshot) override {
    snapshots_.fetch_add(1, std::memory_order_relaxed);
    return absl::OkStatus();
  }
  absl::Status AcceptHeartbeat(const v1::HeartbeatRequest&) override { return absl::OkStatus(); }

 private:
  std::atomic<int64_t> snapshots_{0};
};

// The server and its sink, shared by the threads of one benchmark run.
struct IngestServer {
  explicit IngestServer(bool into_fleet) {
    DashboardSecurityConfig security;
    security.ingest_tokens = {kToken};
    auth = *Authenticator::Create(security, SystemClock(), warnings);
    DashboardGrpcServices services;
    if (into_fleet) {
      fleet = NewFleet();
      services.ingest = fleet.get();
    } else {
      services.ingest = &counting;
    }
    services.auth = auth.get();
    services.cluster_exposed = true;
    services.warnings = &warnings;
    server = *DashboardGrpcServer::Start("127.0.0.1:0", services);
  }

  WarningSink warnings = StderrWarningSink();
  std::unique_ptr<Authenticator> auth;
  std::unique_ptr<FleetStore> fleet;  // Or, when null:
  CountingSink counting;
  std::unique_ptr<DashboardGrpcServer> server;
};

IngestServer* server = nullptr;
std::unique_ptr<FleetStore> direct_fleet;

// CPU time of the whole process (client threads, server threads, the sink) in microseconds.
double ProcessCpuMicros() {
  timespec now;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return now.tv_sec * 1e6 + now.tv_nsec / 1e3;
}

// Thread 0 measures the process's CPU over the timed loop (every thread runs as many
// iterations): process_cpu_us is the CPU per snapshot of client and server together, of which
// client_cpu_us (the CPU column, the client threads) is the part the benchmark's own threads use.
class ProcessCpu {
 public:
  void Start(const benchmark::State& state) {
    if (state.thread_index() == 0 && start_ < 0) start_ = ProcessCpuMicros();
  }
  void Report(benchmark::State& state) {
    if (state.thread_index() != 0 || start_ < 0 || state.iterations() == 0) return;
    const double snapshots = static_cast<double>(state.iterations()) * state.threads();
    state.counters["process_cpu_us"] = (ProcessCpuMicros() - start_) / snapshots;
  }

 private:
  double start_ = -1;
};

// state.range(0): 1 = into a FleetStore, 0 = into a counting sink.
void BM_PushSnapshotGrpc(benchmark::State& state) {
  // Threads start their loops together, after thread 0's setup.
  if (state.thread_index() == 0) server = new IngestServer(state.range(0) == 1);
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // One connection per thread, as per peer.
  std::unique_ptr<v1::ClusterIngest::Stub> stub;
  std::vector<v1::MetricsSnapshot> mine;
  for (int i = state.thread_index(); i < kInstances; i += state.threads()) {
    mine.push_back(Snapshots()[i]);
  }
  uint64_t sequence = 0;
  int next = 0;
  ProcessCpu cpu;
  for (auto _ : state) {
    cpu.Start(state);
    if (stub == nullptr) {  // In the loop: the server exists once every thread is in it.
      stub = v1::ClusterIngest::NewStub(
          grpc::CreateCustomChannel(absl::StrCat("127.0.0.1:", server->server->port()),
                                    grpc::InsecureChannelCredentials(), args));
    }
    v1::MetricsSnapshot& snapshot = mine[next];
    if (next == 0) ++sequence;
    snapshot.set_sequence(sequence);
    next = (next + 1) % static_cast<int>(mine.size());
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
    v1::PushSnapshotResponse response;
    grpc::Status status = stub->PushSnapshot(&context, snapshot, &response);
    if (!status.ok()) {
      state.SkipWithError(status.error_message().c_str());
      break;
    }
  }
  cpu.Report(state);
  state.SetItemsProcessed(state.iterations());
  state.counters["snapshots_per_s"] =
      benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
  if (state.thread_index() == 0) {
    if (server->fleet != nullptr) {
      state.counters["instances"] = static_cast<double>(server->fleet->Instances().size());
    }
    delete server;
    server = nullptr;
  }
}
BENCHMARK(BM_PushSnapshotGrpc)
    ->ArgName("fleet")
    ->Arg(1)
    ->Arg(0)
    ->Threads(2)
    ->UseRealTime()
    ->MinTime(2.0);

void BM_AcceptSnapshotDirect(benchmark::State& state) {
  if (state.thread_index() == 0) direct_fleet = NewFleet();
  std::vector<v1::MetricsSnapshot> mine;
  for (int i = state.thread_index(); i < kInstances; i += state.threads()) {
    mine.push_back(Snapshots()[i]);
  }
  uint64_t sequence = 0;
  int next = 0;
  ProcessCpu cpu;
  for (auto _ : state) {
    cpu.Start(state);
    v1::MetricsSnapshot& snapshot = mine[next];
    if (next == 0) ++sequence;
    snapshot.set_sequence(sequence);
    next = (next + 1) % static_cast<int>(mine.size());
    if (!direct_fleet->AcceptSnapshot(snapshot).ok()) {
      state.SkipWithError("AcceptSnapshot failed");
      break;
    }
  }
  cpu.Report(state);
  state.SetItemsProcessed(state.iterations());
  state.counters["snapshots_per_s"] =
      benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
  if (state.thread_index() == 0) direct_fleet.reset();
}
BENCHMARK(BM_AcceptSnapshotDirect)->Threads(2)->UseRealTime()->MinTime(2.0);

// What copying one snapshot costs (the sync gRPC handler copies its const request into the
// sink's by-value parameter; BM_AcceptSnapshotDirect copies too).
void BM_CopySnapshot(benchmark::State& state) {
  const v1::MetricsSnapshot& snapshot = Snapshots()[0];
  for (auto _ : state) {
    v1::MetricsSnapshot copy = snapshot;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_CopySnapshot);

}  // namespace
}  // namespace dashboard
}  // namespace failover

BENCHMARK_MAIN();
