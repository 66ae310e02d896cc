// The failover reactor's costs (docs/benchmarks.md, "naming-client"):
//   bazel run --config=bench //naming-client:reactor_benchmark
//
// A temp directory holds 10,000 failover files (three hosts each, in clusters c1 and c2) and the
// switch, as the Java client's format has them. Measured:
//   - BM_FailoverLookup: FailoverReactor::Lookup() with the switch on, keys cycling over every
//     service, 1 and 2 threads (the issue's target: <= 200 ns, no contention across threads).
//   - BM_FailoverLookupHotKey: every thread asks for the same service.
//   - BM_FailoverLookupPrivateReactor: a reactor per thread, nothing shared: what two threads
//     cost on this machine without any sharing.
//   - BM_FailoverLookupClusterFiltered: the same with a cluster filter that drops hosts (builds
//     a filtered copy; stored data is never touched).
//   - BM_CacheLookup: the same keys from the normal cache (ServiceInfoHolder::Get), the path
//     lookups take while the switch is off.
//   - BM_ClientLookup/failover and /cache: NamingClient::Lookup() end to end, answered from
//     failover data (switch on) and from the cache (a second client whose switch is off).
//   - BM_MapLookupBaseline: the floor for the same key set: a std::map<std::string, shared_ptr>
//     find and a shared_ptr copy, no lock.
//   - BM_LoadFailoverDirectory: reading and parsing all 10,000 files, the reactor's first load
//     (target <= 1 s).
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "core/simulated_clock.h"
#include "naming-client/disk_failover_data_source.h"
#include "naming-client/failover_reactor.h"
#include "naming-client/internal/temp_dir.h"
#include "naming-client/naming_client.h"
#include "naming-client/service_info_holder.h"
#include "naming-client/service_key.h"

namespace failover {
namespace naming {
namespace {

constexpr int kServices = 10000;
constexpr char kSwitch[] = "00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00";

std::string ServiceName(int i) { return absl::StrCat("svc-", i); }

// The directory, written once per process.
const naming_internal::TempDir& Directory() {
  static const naming_internal::TempDir* dir = [] {
    auto* d = new naming_internal::TempDir();
    d->WriteFile(kSwitch, "1\n");
    for (int i = 0; i < kServices; ++i) {
      const std::string name = ServiceName(i);
      d->WriteFile(absl::StrCat("DEFAULT_GROUP%40%40", name),
                   absl::StrCat(R"({"name":")", name, R"(","groupName":"DEFAULT_GROUP",)",
                                R"("cacheMillis":10000,"hosts":[)",
                                R"({"ip":"10.0.0.1","port":8080,"clusterName":"c1"},)",
                                R"({"ip":"10.0.0.2","port":8080,"clusterName":"c1"},)",
                                R"({"ip":"10.0.0.3","port":8080,"clusterName":"c2"}]})"));
    }
    return d;
  }();
  return *dir;
}

std::unique_ptr<FailoverDataSource> Source() {
  DiskFailoverOptions options;
  options.directory = Directory().path();
  return *DiskFailoverDataSource::Create(options);
}

// One reactor shared by the benchmark threads (as an application shares one).
FailoverReactor& SharedReactor() {
  static SimulatedClock* clock = new SimulatedClock();
  static FailoverReactor* reactor = FailoverReactor::Create(Source(), *clock)->release();
  return *reactor;
}

// Every service once, in an order that jumps around (no help from the map's layout).
std::vector<ServiceKey> Keys(const std::string& clusters) {
  std::vector<ServiceKey> keys;
  keys.reserve(kServices);
  for (int i = 0; i < kServices; ++i) {
    keys.push_back({"DEFAULT_GROUP", ServiceName((i * 7919) % kServices), clusters});
  }
  return keys;
}

// A cache holding the same 10,000 services (no disk mirror).
std::unique_ptr<ServiceInfoHolder> FilledCache() {
  ServiceInfoHolderOptions options;
  options.write_disk_cache = false;
  std::unique_ptr<ServiceInfoHolder> holder = *ServiceInfoHolder::Create(options);
  for (int i = 0; i < kServices; ++i) {
    v1::ServiceInfo info;
    info.set_name(ServiceName(i));
    info.set_group_name("DEFAULT_GROUP");
    for (const char* ip : {"10.0.0.1", "10.0.0.2", "10.0.0.3"}) {
      v1::Instance* host = info.add_hosts();
      host->set_ip(ip);
      host->set_port(8080);
    }
    (void)holder->ProcessServiceInfo(info);
  }
  return holder;
}

// An upstream for the benchmark clients: never asked (every key is cached or in failover data),
// but its presence makes subscribing lookups go through the poller check.
class UnusedUpstream final : public NamingUpstream {
 public:
  absl::StatusOr<v1::ServiceInfo> Query(const ServiceKey& key, bool healthy_only) override {
    return absl::InternalError("the benchmark's upstream must not be asked");
  }
};

// Two clients over the same cache content: one whose failover directory has the switch on,
// one whose (empty) failover directory has none. Subscribing lookups (the default) mark their
// keys for polling; the clock never advances, so no poll runs.
NamingClient& SharedClient(bool failover_on) {
  static SimulatedClock* clock = new SimulatedClock();
  static naming_internal::TempDir* empty = new naming_internal::TempDir();
  const auto make = [](const std::string& directory) {
    NamingClientParts parts;
    DiskFailoverOptions disk;
    disk.directory = directory;
    parts.reactor = *FailoverReactor::Create(*DiskFailoverDataSource::Create(disk), *clock);
    parts.holder = FilledCache();
    parts.upstream = std::make_unique<UnusedUpstream>();
    return NamingClient::Create(std::move(parts), *clock, SystemRandom())->release();
  };
  static NamingClient* on = make(Directory().path());
  static NamingClient* off = make(empty->path());
  return failover_on ? *on : *off;
}

void RunLookups(benchmark::State& state, const std::string& clusters) {
  FailoverReactor& reactor = SharedReactor();
  const std::vector<ServiceKey> keys = Keys(clusters);
  // Threads start at different keys so they do not walk the same entries in step.
  size_t i = static_cast<size_t>(state.thread_index()) * (kServices / 2);
  for (auto _ : state) {
    std::shared_ptr<const v1::ServiceInfo> info = reactor.Lookup(keys[i]);
    benchmark::DoNotOptimize(info);
    if (++i == keys.size()) i = 0;
  }
  if (reactor.Lookup(keys[0]) == nullptr) state.SkipWithError("failover data not served");
}

void BM_FailoverLookup(benchmark::State& state) { RunLookups(state, ""); }
BENCHMARK(BM_FailoverLookup)->Threads(1)->Threads(2)->UseRealTime();

// Every thread asks for the same service, the common case of a hot dependency: the result's
// ownership must not make the threads write one shared reference count.
void BM_FailoverLookupHotKey(benchmark::State& state) {
  FailoverReactor& reactor = SharedReactor();
  const ServiceKey key{"DEFAULT_GROUP", ServiceName(42), ""};
  for (auto _ : state) {
    std::shared_ptr<const v1::ServiceInfo> info = reactor.Lookup(key);
    benchmark::DoNotOptimize(info);
  }
}
BENCHMARK(BM_FailoverLookupHotKey)->Threads(1)->Threads(2)->UseRealTime();

// Each thread with a reactor of its own over the same directory: nothing at all is shared, so
// the difference between 1 and 2 threads is the machine's (two vCPUs sharing a core), not the
// reactor's.
void BM_FailoverLookupPrivateReactor(benchmark::State& state) {
  SimulatedClock clock;
  std::unique_ptr<FailoverReactor> reactor = *FailoverReactor::Create(Source(), clock);
  const std::vector<ServiceKey> keys = Keys("");
  size_t i = static_cast<size_t>(state.thread_index()) * (kServices / 2);
  for (auto _ : state) {
    std::shared_ptr<const v1::ServiceInfo> info = reactor->Lookup(keys[i]);
    benchmark::DoNotOptimize(info);
    if (++i == keys.size()) i = 0;
  }
}
BENCHMARK(BM_FailoverLookupPrivateReactor)->Threads(1)->Threads(2)->UseRealTime();

void BM_FailoverLookupClusterFiltered(benchmark::State& state) { RunLookups(state, "c1"); }
BENCHMARK(BM_FailoverLookupClusterFiltered)->Threads(1)->Threads(2)->UseRealTime();

void BM_CacheLookup(benchmark::State& state) {
  static ServiceInfoHolder* holder = FilledCache().release();
  const std::vector<ServiceKey> keys = Keys("");
  size_t i = static_cast<size_t>(state.thread_index()) * (kServices / 2);
  for (auto _ : state) {
    std::shared_ptr<const v1::ServiceInfo> info = holder->Get(keys[i]);
    benchmark::DoNotOptimize(info);
    if (++i == keys.size()) i = 0;
  }
}
BENCHMARK(BM_CacheLookup)->Threads(1)->Threads(2)->UseRealTime();

void BM_ClientLookup(benchmark::State& state) {
  const bool failover_on = state.range(0) == 1;
  NamingClient& client = SharedClient(failover_on);
  const std::vector<ServiceKey> keys = Keys("");
  const LookupSource expected = failover_on ? LookupSource::kFailover : LookupSource::kCache;
  size_t i = static_cast<size_t>(state.thread_index()) * (kServices / 2);
  for (auto _ : state) {
    absl::StatusOr<NamingLookup> found = client.Lookup(keys[i]);
    benchmark::DoNotOptimize(found);
    if (++i == keys.size()) i = 0;
  }
  if (client.Lookup(keys[0])->source != expected) state.SkipWithError("wrong source");
  state.SetLabel(failover_on ? "failover" : "cache");
}
BENCHMARK(BM_ClientLookup)->Arg(1)->Arg(0)->Threads(1)->Threads(2)->UseRealTime();

void BM_MapLookupBaseline(benchmark::State& state) {
  static const auto* map = [] {
    auto* m = new std::map<std::string, std::shared_ptr<const v1::ServiceInfo>>();
    for (int i = 0; i < kServices; ++i) {
      (*m)[absl::StrCat("DEFAULT_GROUP@@", ServiceName(i))] =
          std::make_shared<const v1::ServiceInfo>();
    }
    return m;
  }();
  const std::vector<ServiceKey> keys = Keys("");
  size_t i = static_cast<size_t>(state.thread_index()) * (kServices / 2);
  for (auto _ : state) {
    auto it = map->find(keys[i].ToString());
    std::shared_ptr<const v1::ServiceInfo> info = it->second;
    benchmark::DoNotOptimize(info);
    if (++i == keys.size()) i = 0;
  }
}
BENCHMARK(BM_MapLookupBaseline)->Threads(1)->Threads(2)->UseRealTime();

void BM_LoadFailoverDirectory(benchmark::State& state) {
  Directory();
  SimulatedClock clock;
  for (auto _ : state) {
    auto reactor = FailoverReactor::Create(Source(), clock);
    if (!reactor.ok() || (*reactor)->Gauges().instances.size() != kServices) {
      state.SkipWithError("load failed");
      break;
    }
  }
  state.counters["files"] = kServices;
}
BENCHMARK(BM_LoadFailoverDirectory)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace
}  // namespace naming
}  // namespace failover
