// Both in-memory stores used from four threads at once: every operation, overlapping keys,
// evictions and expiry cleaning. Meant to run under --config=tsan as well.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/simulated_clock.h"
#include "gtest/gtest.h"
#include "store-jdbc/memory/caffeine_store.h"
#include "store-jdbc/memory/in_memory_store.h"

namespace failover {
namespace {

constexpr int kThreads = 4;
constexpr int kOpsPerThread = 20000;
constexpr int kKeys = 300;
constexpr size_t kBound = 100;

void Hammer(FailoverStore& store, const Clock& clock, SimulatedClock* advancing) {
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string name = "ns" + std::to_string(t % 2);
      for (int i = 0; i < kOpsPerThread; ++i) {
        const std::string key = std::to_string((i * 7 + t * 13) % kKeys);
        const absl::Time now = clock.WallNow();
        switch (i % 8) {
          case 0:
          case 1:
          case 2: {
            const FailoverStoreEntry entry{
                name, key, now, now + absl::Seconds(1 + i % 5), "payload-" + key, "acme.Quote"};
            ASSERT_TRUE(store.Store(entry).ok());
            break;
          }
          case 3:
          case 4:
          case 5: {
            absl::StatusOr<std::optional<FailoverStoreEntry>> found = store.Find(name, key);
            ASSERT_TRUE(found.ok());
            if (found->has_value()) {
              ASSERT_EQ((*found)->payload, "payload-" + key);
              ASSERT_EQ((*found)->key, key);
            }
            break;
          }
          case 6:
            if (i % 64 == 6) {
              absl::StatusOr<std::vector<FailoverStoreEntry>> all = store.FindAll(name);
              ASSERT_TRUE(all.ok());
              for (const FailoverStoreEntry& e : *all) ASSERT_EQ(e.name, name);
            } else {
              ASSERT_TRUE(store.Delete(name, key).ok());
            }
            break;
          default:
            if (i % 256 == 7) {
              ASSERT_TRUE(store.CleanByExpiry(now).ok());
              if (advancing != nullptr && t == 0) advancing->Advance(absl::Seconds(1));
            }
            break;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
}

TEST(MemoryStoresConcurrencyTest, InMemoryStoreStaysConsistent) {
  InMemoryStore store(kBound);
  SimulatedClock clock;
  Hammer(store, clock, &clock);
  EXPECT_LE(store.size(), kBound);
  const size_t listed = store.FindAll("ns0")->size() + store.FindAll("ns1")->size();
  EXPECT_EQ(listed, store.size());
}

TEST(MemoryStoresConcurrencyTest, CaffeineStoreStaysConsistent) {
  SimulatedClock clock;
  CaffeineStore store(kBound, clock);
  Hammer(store, clock, &clock);
  EXPECT_LE(store.size(), kBound);
  ASSERT_TRUE(store.CleanByExpiry(clock.WallNow()).ok());
  const size_t listed = store.FindAll("ns0")->size() + store.FindAll("ns1")->size();
  EXPECT_EQ(listed, store.size());
}

}  // namespace
}  // namespace failover
