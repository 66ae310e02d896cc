// Benchmarks of the in-memory stores, linked into //store-jdbc:store_benchmark and runnable on
// their own: bazel run --config=bench //store-jdbc/memory:cache_benchmark
//
// Throughput: Find (hits) and Store (overwrites) of 10,000 UUID-keyed entries through the
// FailoverStore interface, single-threaded and with two threads sharing a store, next to an
// unlocked std::unordered_map keyed by the key alone (the floor: one hash lookup and a copy).
// Hit ratio: LRU (inmemory), W-TinyLFU (caffeine) and Belady's clairvoyant optimum on Zipf traces
// of 1,000,000 requests over 100,000 keys with a cache of 1,000 entries (seeded, deterministic).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "core/clock.h"
#include "store-jdbc/memory/caffeine_store.h"
#include "store-jdbc/memory/in_memory_store.h"

namespace failover {
namespace {

constexpr int kEntries = 10000;  // Throughput working set.
constexpr char kName[] = "quotes";

std::string UuidLike(std::mt19937_64& rng) {
  char buffer[40];
  const uint64_t a = rng();
  const uint64_t b = rng();
  std::snprintf(buffer, sizeof(buffer), "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(a >> 32), static_cast<unsigned>((a >> 16) & 0xFFFF),
                static_cast<unsigned>(a & 0xFFFF), static_cast<unsigned>(b >> 48),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
  return buffer;
}

std::vector<std::string> Keys(int count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> keys;
  keys.reserve(count);
  for (int i = 0; i < count; ++i) keys.push_back(UuidLike(rng));
  return keys;
}

const std::vector<FailoverStoreEntry>& Entries() {
  static const std::vector<FailoverStoreEntry>* entries = [] {
    auto* list = new std::vector<FailoverStoreEntry>();
    const absl::Time now = SystemClock().WallNow();
    for (const std::string& key : Keys(kEntries, 1)) {
      list->push_back(FailoverStoreEntry{kName, key, now, now + absl::Hours(24),
                                         R"({"symbol":"ACME","px":101.25,"ccy":"EUR"})",
                                         "acme.Quote"});
    }
    return list;
  }();
  return *entries;
}

// One filled store per backend, shared by the benchmarks' threads.
FailoverStore& FilledStore(bool caffeine) {
  auto fill = [](std::unique_ptr<FailoverStore> store) {
    for (const FailoverStoreEntry& e : Entries()) (void)store->Store(e);
    return store;
  };
  static FailoverStore* lru = fill(NewInMemoryStore(10 * kEntries)).release();
  static FailoverStore* tiny = fill(NewCaffeineStore(10 * kEntries, SystemClock())).release();
  return caffeine ? *tiny : *lru;
}

void FindHit(benchmark::State& state, bool caffeine) {
  FailoverStore& store = FilledStore(caffeine);
  const std::vector<FailoverStoreEntry>& entries = Entries();
  size_t i = state.thread_index() * 7919;
  for (auto _ : state) {
    auto found = store.Find(kName, entries[i++ % kEntries].key);
    benchmark::DoNotOptimize(found);
  }
  state.SetItemsProcessed(state.iterations());
}

void StoreOverwrite(benchmark::State& state, bool caffeine) {
  FailoverStore& store = FilledStore(caffeine);
  const std::vector<FailoverStoreEntry>& entries = Entries();
  size_t i = state.thread_index() * 7919;
  for (auto _ : state) {
    absl::Status stored = store.Store(entries[i++ % kEntries]);
    benchmark::DoNotOptimize(stored);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_LruFind(benchmark::State& state) { FindHit(state, false); }
void BM_LruStore(benchmark::State& state) { StoreOverwrite(state, false); }
void BM_WTinyLfuFind(benchmark::State& state) { FindHit(state, true); }
void BM_WTinyLfuStore(benchmark::State& state) { StoreOverwrite(state, true); }
BENCHMARK(BM_LruFind)->Threads(1)->Threads(2);
BENCHMARK(BM_LruStore)->Threads(1)->Threads(2);
BENCHMARK(BM_WTinyLfuFind)->Threads(1)->Threads(2);
BENCHMARK(BM_WTinyLfuStore)->Threads(1)->Threads(2);

// The floor: no lock, no namespace, no recency; a lookup and a copy of the entry.
void BM_UnorderedMapFind(benchmark::State& state) {
  std::unordered_map<std::string, FailoverStoreEntry> map;
  for (const FailoverStoreEntry& e : Entries()) map.emplace(e.key, e);
  const std::vector<FailoverStoreEntry>& entries = Entries();
  size_t i = 0;
  for (auto _ : state) {
    auto it = map.find(entries[i++ % kEntries].key);
    std::optional<FailoverStoreEntry> found;
    if (it != map.end()) found = it->second;
    benchmark::DoNotOptimize(found);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UnorderedMapFind);

void BM_UnorderedMapStore(benchmark::State& state) {
  std::unordered_map<std::string, FailoverStoreEntry> map;
  const std::vector<FailoverStoreEntry>& entries = Entries();
  size_t i = 0;
  for (auto _ : state) {
    const FailoverStoreEntry& e = entries[i++ % kEntries];
    map.insert_or_assign(e.key, e);
  }
  benchmark::DoNotOptimize(map);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UnorderedMapStore);

// ---- Hit ratios on Zipf traces ----

constexpr int kTraceKeys = 100000;
constexpr int kTraceRequests = 1000000;
constexpr int kCacheSize = 1000;

// Request i asks for key trace[i]; rank r (0-based) is drawn with probability ~ 1 / (r+1)^s.
std::vector<int> ZipfTrace(double s, uint64_t seed) {
  std::vector<double> cdf(kTraceKeys);
  double sum = 0;
  for (int r = 0; r < kTraceKeys; ++r) cdf[r] = (sum += 1.0 / std::pow(r + 1.0, s));
  std::mt19937_64 rng(seed);
  std::vector<int> trace(kTraceRequests);
  for (int& key : trace) {
    const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53 * sum;
    key = static_cast<int>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
    if (key >= kTraceKeys) key = kTraceKeys - 1;
  }
  return trace;
}

const std::vector<int>& Trace(int s_percent) {
  static const std::vector<int>* zipf90 = new std::vector<int>(ZipfTrace(0.90, 90));
  static const std::vector<int>* zipf99 = new std::vector<int>(ZipfTrace(0.99, 99));
  return s_percent == 90 ? *zipf90 : *zipf99;
}

const std::vector<std::string>& TraceKeys() {
  static const std::vector<std::string>* keys = new std::vector<std::string>(Keys(kTraceKeys, 2));
  return *keys;
}

// Read-through: Find, and Store on a miss. Returns the hit ratio.
double StoreHitRatio(FailoverStore& store, const std::vector<int>& trace) {
  const std::vector<std::string>& keys = TraceKeys();
  const absl::Time now = SystemClock().WallNow();
  int64_t hits = 0;
  for (int k : trace) {
    if (store.Find(kName, keys[k]).value().has_value()) {
      ++hits;
    } else {
      (void)store.Store(FailoverStoreEntry{kName, keys[k], now, now + absl::Hours(24), "{}", "T"});
    }
  }
  return static_cast<double>(hits) / trace.size();
}

// Belady's MIN: on a miss with a full cache, evict the entry used farthest in the future (or do
// not admit the requested key if it is that entry). The best any policy can do.
double BeladyHitRatio(const std::vector<int>& trace) {
  const int n = static_cast<int>(trace.size());
  std::vector<int> next_use(n);
  std::vector<int> seen(kTraceKeys, n);  // n: never again.
  for (int i = n - 1; i >= 0; --i) {
    next_use[i] = seen[trace[i]];
    seen[trace[i]] = i;
  }
  std::set<std::pair<int, int>> cache;            // (next use, key); its last element goes first.
  std::vector<int> cached_until(kTraceKeys, -1);  // Key's next use while cached, else -1.
  int64_t hits = 0;
  for (int i = 0; i < n; ++i) {
    const int key = trace[i];
    if (cached_until[key] == i) {
      ++hits;
      cache.erase({i, key});
    } else if (static_cast<int>(cache.size()) >= kCacheSize) {
      auto farthest = std::prev(cache.end());
      if (farthest->first <= next_use[i]) continue;  // Bypass: the new key is needed last.
      cached_until[farthest->second] = -1;
      cache.erase(farthest);
    }
    cache.emplace(next_use[i], key);
    cached_until[key] = next_use[i];
  }
  return static_cast<double>(hits) / n;
}

void HitRatio(benchmark::State& state, int s_percent, int policy) {
  const std::vector<int>& trace = Trace(s_percent);
  double ratio = 0;
  for (auto _ : state) {
    if (policy == 0) {
      ratio = BeladyHitRatio(trace);
    } else if (policy == 1) {
      ratio = StoreHitRatio(*NewInMemoryStore(kCacheSize), trace);
    } else {
      ratio = StoreHitRatio(*NewCaffeineStore(kCacheSize, SystemClock()), trace);
    }
  }
  state.counters["hit_ratio"] = ratio;
  state.SetItemsProcessed(state.iterations() * trace.size());
}

void BM_HitRatioZipf090_Belady(benchmark::State& state) { HitRatio(state, 90, 0); }
void BM_HitRatioZipf090_Lru(benchmark::State& state) { HitRatio(state, 90, 1); }
void BM_HitRatioZipf090_WTinyLfu(benchmark::State& state) { HitRatio(state, 90, 2); }
void BM_HitRatioZipf099_Belady(benchmark::State& state) { HitRatio(state, 99, 0); }
void BM_HitRatioZipf099_Lru(benchmark::State& state) { HitRatio(state, 99, 1); }
void BM_HitRatioZipf099_WTinyLfu(benchmark::State& state) { HitRatio(state, 99, 2); }
BENCHMARK(BM_HitRatioZipf090_Belady)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HitRatioZipf090_Lru)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HitRatioZipf090_WTinyLfu)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HitRatioZipf099_Belady)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HitRatioZipf099_Lru)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HitRatioZipf099_WTinyLfu)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace failover
