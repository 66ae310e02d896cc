// Throughput of RedisFailoverClient against raw hiredis on the same local redis-server, in one
// run, with a summary that divides the two (docs/benchmarks.md, "redis-failover"):
//   bazel run --config=bench //redis-failover:client_benchmark
//
// One op is one command; every loop alternates SET k v / GET k on a key of its own thread.
//   BM_RawHiredis           hiredis alone, one blocking connection per thread: the baseline.
//   BM_RedisConnection      our hiredis adapter (redis_connection.h), one per thread.
//   BM_Client               RedisFailoverClient, one client shared by all threads.
//   BM_InstantConnection    the command on a connection that answers at once (no network) ...
//   BM_ClientWithoutNetwork ... and through a client over such connections: the client's own
//                           cost per command, with the clock reads it makes.
// The cost of each piece of the client's command path is in client_benchmark_costs.cc, the
// failover and failback times in client_benchmark_failover.cc.
//
// This is the one file outside the adapter that includes hiredis: the baseline must be hiredis
// itself, not our wrapper of it.
#include "redis-failover/client_benchmark.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "core/clock.h"
#include "redis-failover/redis_client.h"
#include "redis-failover/redis_client_options.h"
#include "redis-failover/redis_connection.h"
#include "redis-failover/testing/redis_server.h"

namespace {
thread_local uint64_t t_allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  ++t_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace failover {
namespace redis {
namespace client_benchmark {

uint64_t ThreadAllocations() { return t_allocations; }

namespace {

constexpr absl::Duration kTimeout = absl::Milliseconds(200);

// Set up by main() on the main thread, which outlives them (the fixture's PR_SET_PDEATHSIG).
redis_testing::RedisServer* g_server = nullptr;
RedisFailoverClient* g_client = nullptr;
RedisFailoverClient* g_instant_client = nullptr;

thread_local uint64_t t_clock_reads = 0;

// The system clock, counting the Now() calls of each thread.
class CountingClock final : public Clock {
 public:
  MonotonicTime Now() const override {
    ++t_clock_reads;
    return SystemClock().Now();
  }
  absl::Time WallNow() const override { return SystemClock().WallNow(); }
  void SleepFor(absl::Duration d) override { SystemClock().SleepFor(d); }
  TimerId ScheduleAfter(absl::Duration delay, std::function<void()> callback) override {
    return SystemClock().ScheduleAfter(delay, std::move(callback));
  }
  bool Cancel(TimerId id) override { return SystemClock().Cancel(id); }
};

std::string KeyFor(const benchmark::State& state, absl::string_view layer) {
  return absl::StrCat("bench:", layer, ":", state.thread_index());
}

void Finish(benchmark::State& state, uint64_t allocations_before) {
  state.SetItemsProcessed(state.iterations());
  ReportAllocationsPerOp(state, allocations_before);
}

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};

void BM_RawHiredis(benchmark::State& state) {
  const timeval timeout = absl::ToTimeval(kTimeout);
  std::unique_ptr<redisContext, ContextDeleter> c(
      redisConnectWithTimeout(g_server->host().c_str(), g_server->port(), timeout));
  if (c == nullptr || c->err != 0 || redisSetTimeout(c.get(), timeout) != REDIS_OK) {
    state.SkipWithError("hiredis could not connect");
    return;
  }
  const std::string key = KeyFor(state, "raw");
  const char* set_argv[] = {"SET", key.c_str(), kValue};
  const size_t set_lengths[] = {3, key.size(), sizeof(kValue) - 1};
  const char* get_argv[] = {"GET", key.c_str()};
  const size_t get_lengths[] = {3, key.size()};
  uint64_t op = 0;
  const uint64_t before = ThreadAllocations();
  for (auto _ : state) {
    const bool set = (op++ & 1) == 0;
    auto* reply = static_cast<redisReply*>(set ? redisCommandArgv(c.get(), 3, set_argv, set_lengths)
                                               : redisCommandArgv(c.get(), 2, get_argv, get_lengths));
    const bool ok = reply != nullptr && reply->type != REDIS_REPLY_ERROR;
    if (reply != nullptr) freeReplyObject(reply);
    if (!ok) {
      state.SkipWithError("hiredis command failed");
      break;
    }
  }
  Finish(state, before);
}
BENCHMARK(BM_RawHiredis)->Threads(1)->Threads(4)->UseRealTime();

void BM_RedisConnection(benchmark::State& state) {
  RedisConnectionOptions options;
  options.connect_timeout = kTimeout;
  options.socket_timeout = kTimeout;
  absl::StatusOr<std::unique_ptr<RedisConnection>> c =
      ConnectRedis(*ParseRedisUri(g_server->uri()), options);
  if (!c.ok()) {
    state.SkipWithError(std::string(c.status().message()).c_str());
    return;
  }
  const std::string key = KeyFor(state, "connection");
  const std::vector<std::string> set_argv = {"SET", key, kValue};
  const std::vector<std::string> get_argv = {"GET", key};
  uint64_t op = 0;
  const uint64_t before = ThreadAllocations();
  for (auto _ : state) {
    absl::StatusOr<RedisReply> r = (*c)->Command((op++ & 1) == 0 ? set_argv : get_argv);
    if (!r.ok() || r->is_error()) {
      state.SkipWithError("command failed");
      break;
    }
  }
  Finish(state, before);
}
BENCHMARK(BM_RedisConnection)->Threads(1)->Threads(4)->UseRealTime();

// Set() and Get(), the typed helpers an application calls.
void ClientLoop(benchmark::State& state, RedisFailoverClient& client, const std::string& key) {
  uint64_t op = 0;
  for (auto _ : state) {
    if ((op++ & 1) == 0) {
      absl::StatusOr<bool> set = client.Set(key, kValue);
      if (!set.ok() || !*set) {
        state.SkipWithError(set.ok() ? "SET not applied" : std::string(set.status().message()).c_str());
        break;
      }
    } else {
      absl::StatusOr<std::optional<std::string>> got = client.Get(key);
      if (!got.ok() || !got->has_value()) {
        state.SkipWithError(got.ok() ? "GET found no value" : std::string(got.status().message()).c_str());
        break;
      }
    }
  }
}

void BM_Client(benchmark::State& state) {
  const std::string key = KeyFor(state, "client");
  const uint64_t before = ThreadAllocations();
  ClientLoop(state, *g_client, key);
  Finish(state, before);
}
BENCHMARK(BM_Client)->Threads(1)->Threads(4)->UseRealTime();

// The baseline of the client's own cost: the argv Set()/Get() build, and the command on a
// connection that answers at once.
void BM_InstantConnection(benchmark::State& state) {
  InstantConnection c(*ParseRedisUri("redis://127.0.0.1:1"));
  const std::string key = KeyFor(state, "instant");
  uint64_t op = 0;
  const uint64_t before = ThreadAllocations();
  for (auto _ : state) {
    absl::StatusOr<RedisReply> r = (op++ & 1) == 0 ? c.Command({"SET", key, kValue})
                                                   : c.Command({"GET", key});
    benchmark::DoNotOptimize(r);
  }
  Finish(state, before);
}
BENCHMARK(BM_InstantConnection)->Threads(1)->Threads(4)->UseRealTime();

void BM_ClientWithoutNetwork(benchmark::State& state) {
  const std::string key = KeyFor(state, "instant");
  const uint64_t clock_reads_before = t_clock_reads;
  const uint64_t before = ThreadAllocations();
  ClientLoop(state, *g_instant_client, key);
  Finish(state, before);
  state.counters["clock_reads_per_op"] =
      benchmark::Counter(static_cast<double>(t_clock_reads - clock_reads_before),
                         benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_ClientWithoutNetwork)->Threads(1)->Threads(4)->UseRealTime();

// --- Set-up and summary -------------------------------------------------------------------------

// Default options except the timeouts (2 s by default), as the issue asks.
RedisClientOptions NetworkClientOptions(const std::string& uri) {
  RedisClientOptions o;
  o.endpoints = {{"local", uri, 1.0}};
  o.connection.connect_timeout = kTimeout;
  o.connection.socket_timeout = kTimeout;
  return o;
}

// One endpoint without health checks (there is no server to probe) over InstantConnections.
RedisClientOptions InstantClientOptions() {
  RedisClientOptions o;
  o.endpoints = {{"instant", "redis://127.0.0.1:1", 1.0, /*health_check=*/false}};
  o.connection_factory = [](const RedisAddress& address, const RedisConnectionOptions&)
      -> absl::StatusOr<std::unique_ptr<RedisConnection>> {
    return std::make_unique<InstantConnection>(address);
  };
  return o;
}

// The console output, plus a summary of the figures to read together: medians over the
// repetitions, and the ratios within this run.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.run_type != Run::RT_Iteration || r.error_occurred) continue;
      std::map<std::string, double> counters;
      for (const auto& [name, counter] : r.counters) counters[name] = counter.value;
      runs_.push_back({r.run_name.function_name, r.run_name.args, r.threads, std::move(counters)});
    }
    ConsoleReporter::ReportRuns(runs);
  }

  void PrintSummary(std::ostream& out) const {
    out << "\n== redis-failover client vs raw hiredis (median ops/s; one op = one SET or GET) ==\n";
    out << absl::StrFormat("%-8s %12s %16s %12s %15s %11s %6s\n", "threads", "raw hiredis",
                           "RedisConnection", "client", "connection/raw", "client/raw", "reps");
    for (int threads : {1, 4}) {
      const double raw = Median("BM_RawHiredis", threads, "items_per_second");
      const double connection = Median("BM_RedisConnection", threads, "items_per_second");
      const double client = Median("BM_Client", threads, "items_per_second");
      out << absl::StrFormat("%-8d %12.0f %16.0f %12.0f %14.1f%% %10.1f%% %6d\n", threads, raw,
                             connection, client, 100 * connection / raw, 100 * client / raw,
                             Count("BM_Client", threads));
    }
    out << "\nThe client's own cost, without network (median ns per op):\n";
    for (int threads : {1, 4}) {
      const double bare = 1e9 / Median("BM_InstantConnection", threads, "items_per_second");
      const double client = 1e9 / Median("BM_ClientWithoutNetwork", threads, "items_per_second");
      out << absl::StrFormat(
          "  %d thread(s): connection alone %.0f ns, through the client %.0f ns (+%.0f ns, "
          "%.1f allocations, %.1f clock reads per op)\n",
          threads, bare, client, client - bare,
          Median("BM_ClientWithoutNetwork", threads, "allocs_per_op"),
          Median("BM_ClientWithoutNetwork", threads, "clock_reads_per_op"));
    }
    for (const RunFigures& r : runs_) {
      if (r.function != "BM_FailoverTime") continue;
      auto c = [&](const std::string& name) {
        auto it = r.counters.find(name);
        return it == r.counters.end() ? -1.0 : it->second;
      };
      out << absl::StrFormat(
          "\nFailover (%s; %.0f cycles): kill east -> first command served by west: min %.0f / "
          "median %.0f / max %.0f ms (target <= 300)\n",
          r.args, c("cycles"), c("failover_ms_min"), c("failover_ms_median"),
          c("failover_ms_max"));
      out << absl::StrFormat(
          "  restart east -> FAILBACK to east: min %.0f / median %.0f / max %.0f ms (target <= "
          "1300)\n",
          c("failback_ms_min"), c("failback_ms_median"), c("failback_ms_max"));
    }
  }

 private:
  struct RunFigures {
    std::string function;
    std::string args;
    int64_t threads;
    std::map<std::string, double> counters;
  };

  std::vector<double> Values(const std::string& function, int64_t threads,
                             const std::string& counter) const {
    std::vector<double> values;
    for (const RunFigures& r : runs_) {
      auto it = r.counters.find(counter);
      if (r.function == function && r.threads == threads && it != r.counters.end()) {
        values.push_back(it->second);
      }
    }
    return values;
  }
  int Count(const std::string& function, int64_t threads) const {
    return static_cast<int>(Values(function, threads, "items_per_second").size());
  }
  double Median(const std::string& function, int64_t threads, const std::string& counter) const {
    std::vector<double> v = Values(function, threads, counter);
    if (v.empty()) return std::nan("");
    std::sort(v.begin(), v.end());
    return v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  }

  std::vector<RunFigures> runs_;
};

int Main(int argc, char** argv) {
  // Defaults, overridable on the command line (a later flag wins): five repetitions, run in a
  // random order so that drift on a noisy machine spreads over all benchmarks alike.
  std::vector<std::string> storage = {argv[0], "--benchmark_repetitions=5",
                                      "--benchmark_enable_random_interleaving=true"};
  for (int i = 1; i < argc; ++i) storage.push_back(argv[i]);
  std::vector<char*> args;
  for (std::string& s : storage) args.push_back(s.data());
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;

  absl::StatusOr<std::unique_ptr<redis_testing::RedisServer>> server =
      redis_testing::RedisServer::Start();
  if (!server.ok()) {
    std::cerr << "cannot start redis-server: " << server.status() << "\n";
    return 1;
  }
  absl::StatusOr<std::unique_ptr<RedisFailoverClient>> client =
      RedisFailoverClient::Create(NetworkClientOptions((*server)->uri()));
  CountingClock counting_clock;
  absl::StatusOr<std::unique_ptr<RedisFailoverClient>> instant_client =
      RedisFailoverClient::Create(InstantClientOptions(), counting_clock);
  if (!client.ok() || !instant_client.ok()) {
    std::cerr << "cannot create the clients: " << client.status() << " / "
              << instant_client.status() << "\n";
    return 1;
  }
  g_server = server->get();
  g_client = client->get();
  g_instant_client = instant_client->get();

  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintSummary(std::cout);
  benchmark::Shutdown();
  return 0;
}

}  // namespace
}  // namespace client_benchmark
}  // namespace redis
}  // namespace failover

int main(int argc, char** argv) {
  return failover::redis::client_benchmark::Main(argc, argv);
}
