#include "store-jdbc/memory/w_tiny_lfu_cache.h"

#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace failover {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1700000000);
const absl::Time kNever = absl::InfiniteFuture();

using IntCache = WTinyLfuCache<int64_t, int64_t>;

TEST(WTinyLfuCacheTest, PutGetOverwriteRemove) {
  IntCache cache(100);
  cache.Put(1, 10, kNever, kNow);
  ASSERT_NE(cache.Get(1, kNow), nullptr);
  EXPECT_EQ(*cache.Get(1, kNow), 10);
  cache.Put(1, 11, kNever, kNow);
  EXPECT_EQ(*cache.Get(1, kNow), 11);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Get(2, kNow), nullptr);
  EXPECT_TRUE(cache.Remove(1));
  EXPECT_FALSE(cache.Remove(1));
  EXPECT_EQ(cache.Get(1, kNow), nullptr);
}

TEST(WTinyLfuCacheTest, NeverExceedsMaxSize) {
  for (int64_t max : {1, 2, 7, 100, 1000}) {
    IntCache cache(max);
    for (int64_t i = 0; i < 5000; ++i) {
      cache.Put(i % 1500, i, kNever, kNow);
      cache.Get((i * 7) % 1500, kNow);
      ASSERT_LE(cache.size(), static_cast<size_t>(max)) << "max " << max;
    }
    EXPECT_EQ(cache.size(), static_cast<size_t>(max));
  }
}

TEST(WTinyLfuCacheTest, UnboundedKeepsEverything) {
  IntCache cache(0);
  for (int64_t i = 0; i < 10000; ++i) cache.Put(i, i, kNever, kNow);
  EXPECT_EQ(cache.size(), 10000u);
  EXPECT_NE(cache.Get(0, kNow), nullptr);
}

TEST(WTinyLfuCacheTest, ReportsReplacedAndEvictedValues) {
  IntCache cache(1);
  IntCache::Displaced displaced;
  cache.Put(1, 10, kNever, kNow, &displaced);
  EXPECT_TRUE(displaced.empty());
  cache.Put(1, 11, kNever, kNow, &displaced);
  ASSERT_EQ(displaced.size(), 1u);
  EXPECT_EQ(displaced[0], 10);
  displaced.clear();
  cache.Put(2, 20, kNever, kNow, &displaced);  // One of the two is evicted.
  ASSERT_EQ(displaced.size(), 1u);
  EXPECT_EQ(cache.size(), 1u);
}

// A hot set that an LRU of the same size would lose to a one-off scan survives it here.
TEST(WTinyLfuCacheTest, HotSetSurvivesAScan) {
  IntCache cache(100);
  for (int round = 0; round < 20; ++round) {
    for (int64_t k = 0; k < 50; ++k) {
      if (cache.Get(k, kNow) == nullptr) cache.Put(k, k, kNever, kNow);
    }
  }
  // 500 keys never seen before: an LRU of 100 would keep only the last 100 of them.
  for (int64_t k = 1'000'000; k < 1'000'500; ++k) {
    if (cache.Get(k, kNow) == nullptr) cache.Put(k, k, kNever, kNow);
  }
  int hot_kept = 0;
  for (int64_t k = 0; k < 50; ++k) hot_kept += cache.Get(k, kNow) != nullptr;
  // An LRU keeps none of them. The sketch is probabilistic and its hash is seeded per process,
  // so a rare collision may let a scan key win one admission contest: allow a few.
  EXPECT_GE(hot_kept, 45);
}

// 60 hot keys read round-robin, one scan key between hot reads: 119 distinct keys pass between
// two reads of a hot key, so an LRU of 100 misses every hot read; W-TinyLFU keeps the hot set.
TEST(WTinyLfuCacheTest, HotReadsKeepHittingDuringALongScan) {
  IntCache cache(100);
  auto read = [&](int64_t k) {
    if (cache.Get(k, kNow) != nullptr) return true;
    cache.Put(k, k, kNever, kNow);
    return false;
  };
  int64_t scan_key = 1'000'000;
  int hot_hits = 0;
  constexpr int kHotReads = 60 * 200;
  for (int i = 0; i < kHotReads; ++i) {
    read(scan_key++);
    hot_hits += read(i % 60);
  }
  EXPECT_GT(hot_hits, kHotReads * 9 / 10);
}

TEST(WTinyLfuCacheTest, FrequentKeyBeatsOneOffCandidates) {
  IntCache cache(100);
  for (int i = 0; i < 10; ++i) {
    if (cache.Get(42, kNow) == nullptr) cache.Put(42, 42, kNever, kNow);
  }
  for (int64_t k = 1000; k < 1300; ++k) cache.Put(k, k, kNever, kNow);  // 3x the capacity.
  EXPECT_NE(cache.Get(42, kNow), nullptr);
}

// Accesses are counted in the sketch in batches; the few still pending must count in the very
// next admission contest. Window 1, main 1: B, read 4 times in the window, beats A (read once).
TEST(WTinyLfuCacheTest, PendingAccessesCountInTheNextAdmission) {
  IntCache cache(2);
  cache.Put(1, 1, kNever, kNow);  // A
  cache.Put(2, 2, kNever, kNow);  // B; A moves to the main space.
  for (int i = 0; i < 4; ++i) ASSERT_NE(cache.Get(2, kNow), nullptr);
  cache.Put(3, 3, kNever, kNow);  // B leaves the window and duels A.
  EXPECT_NE(cache.Get(2, kNow), nullptr);
  EXPECT_EQ(cache.Get(1, kNow), nullptr);
}

TEST(WTinyLfuCacheTest, ExpiredEntriesAreNotReturnedAndAreReclaimed) {
  IntCache cache(100);
  cache.Put(1, 10, kNow + absl::Seconds(10), kNow);
  cache.Put(2, 20, kNow + absl::Seconds(20), kNow);
  cache.Put(3, 30, kNever, kNow);
  EXPECT_NE(cache.Get(1, kNow + absl::Seconds(10)), nullptr);  // Live at its expiry.
  EXPECT_EQ(cache.Get(1, kNow + absl::Seconds(11)), nullptr);  // Dropped by the read.
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.RemoveExpired(kNow + absl::Seconds(30)), 1);  // Entry 2.
  EXPECT_EQ(cache.size(), 1u);
  int live = 0;
  cache.ForEachLive(kNow + absl::Hours(1), [&](int64_t k, int64_t v) { live += k == 3; });
  EXPECT_EQ(live, 1);
}

TEST(WTinyLfuCacheTest, PutReclaimsABoundedNumberOfExpiredEntries) {
  IntCache cache(1000);
  for (int64_t k = 0; k < 40; ++k) cache.Put(k, k, kNow + absl::Seconds(1), kNow);
  cache.Put(100, 100, kNever, kNow + absl::Seconds(1));  // Nothing expired yet.
  EXPECT_EQ(cache.size(), 41u);
  IntCache::Displaced displaced;
  cache.Put(101, 101, kNever, kNow + absl::Seconds(2), &displaced);
  EXPECT_EQ(cache.size(), 41u - IntCache::kReclaimPerPut + 1);
  EXPECT_EQ(displaced.size(), static_cast<size_t>(IntCache::kReclaimPerPut));
  cache.Put(102, 102, kNever, kNow + absl::Seconds(2));
  cache.Put(103, 103, kNever, kNow + absl::Seconds(2));
  EXPECT_EQ(cache.size(), 4u);  // 100..103; every expired one reclaimed by the writes.
  EXPECT_EQ(cache.RemoveExpired(kNow + absl::Seconds(2)), 0);
}

// Expired entries make room before any live entry is evicted.
TEST(WTinyLfuCacheTest, ExpiredEntriesAreReclaimedBeforeLiveOnesAreEvicted) {
  IntCache cache(10);
  for (int64_t k = 0; k < 5; ++k) cache.Put(k, k, kNever, kNow);
  for (int64_t k = 5; k < 10; ++k) cache.Put(k, k, kNow + absl::Seconds(1), kNow);
  for (int64_t k = 10; k < 15; ++k) cache.Put(k, k, kNever, kNow + absl::Seconds(5));
  for (int64_t k = 0; k < 5; ++k) EXPECT_NE(cache.Get(k, kNow + absl::Seconds(5)), nullptr);
  for (int64_t k = 10; k < 15; ++k) EXPECT_NE(cache.Get(k, kNow + absl::Seconds(5)), nullptr);
}

TEST(WTinyLfuCacheTest, PutOfAlreadyExpiredValueRemovesTheKey) {
  IntCache cache(100);
  cache.Put(1, 10, kNever, kNow);
  cache.Put(1, 11, kNow - absl::Seconds(1), kNow);
  EXPECT_EQ(cache.Get(1, kNow), nullptr);
  EXPECT_EQ(cache.size(), 0u);
  cache.Put(2, 20, kNow - absl::Seconds(1), kNow);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(WTinyLfuCacheTest, ForEachLiveSkipsExpired) {
  IntCache cache(0);
  cache.Put(1, 10, kNow + absl::Seconds(1), kNow);
  cache.Put(2, 20, kNow + absl::Seconds(5), kNow);
  int64_t sum = 0;
  cache.ForEachLive(kNow + absl::Seconds(3), [&](int64_t, int64_t v) { sum += v; });
  EXPECT_EQ(sum, 20);
}

}  // namespace
}  // namespace failover
