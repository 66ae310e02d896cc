#include "store-jdbc/routing/async_write_store.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "core/sync.h"
#include "core/testing/warning_log.h"
#include "gtest/gtest.h"
#include "store-jdbc/testing/map_failover_store.h"

namespace failover {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

FailoverStoreEntry Entry(std::string key, std::string payload,
                         absl::Time expire_on = kNow + absl::Hours(1)) {
  return FailoverStoreEntry{"quotes",  std::move(key),     kNow,
                            expire_on, std::move(payload), "acme.Quote"};
}

// A backend that can hold writes until `release` is notified: only the next one while
// `block_next` is set (`blocked` is notified once it waits), or every one while `block_all` is
// set. Its writes fail while `fail` is set.
struct Backend {
  // Stores `entry` directly, without blocking.
  void Preload(const FailoverStoreEntry& entry) {
    const bool armed = block_next.exchange(false);
    ASSERT_TRUE(map.Store(entry).ok());
    block_next = armed;
  }

  Notification release, blocked;
  std::atomic<bool> block_next{true};
  std::atomic<bool> block_all{false};
  std::atomic<bool> fail{false};
  MapFailoverStore map{MapFailoverStoreOptions{[this](absl::string_view op) {
    if (block_all.load()) {
      release.WaitForNotification();
    } else if (block_next.exchange(false)) {
      blocked.Notify();
      release.WaitForNotification();
    }
    if (fail.load()) return absl::UnavailableError(absl::StrCat("backend down during ", op));
    return absl::OkStatus();
  }}};
};

std::unique_ptr<AsyncWriteStore> AsyncOver(Backend& backend, WarningLog& log,
                                           AsyncExecutorConfig config = {}) {
  return NewAsyncWriteStore(std::make_unique<UnownedStore>(&backend.map), config, log.Sink());
}

TEST(AsyncWriteStoreTest, DestructorDrainsEveryAcceptedWrite) {
  Backend backend;
  WarningLog log;
  auto store = AsyncOver(backend, log);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(store->Store(Entry(absl::StrCat("k", i), "v")).ok());
  EXPECT_LT(backend.map.size(), 50);  // the first write is still blocked
  std::thread releaser([&] { backend.release.Notify(); });
  store.reset();
  releaser.join();
  EXPECT_EQ(backend.map.size(), 50);
}

TEST(AsyncWriteStoreTest, FindSeesAcceptedWritesBeforeTheyReachTheBackend) {
  Backend backend;
  WarningLog log;
  backend.Preload(Entry("old", "stored"));
  backend.block_all = true;
  auto store = AsyncOver(backend, log);

  ASSERT_TRUE(store->Store(Entry("k", "v1")).ok());
  ASSERT_TRUE(store->Store(Entry("k", "v2")).ok());
  ASSERT_TRUE(store->Delete("quotes", "old").ok());
  EXPECT_EQ(backend.map.size(), 1);  // nothing has landed yet

  auto found = store->Find("quotes", "k");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->payload, "v2");
  auto gone = store->Find("quotes", "old");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
  auto all = store->FindAll("quotes");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0], Entry("k", "v2"));

  ASSERT_TRUE(store->Delete("quotes", "k").ok());
  found = store->Find("quotes", "k");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
  EXPECT_TRUE(store->FindAll("quotes")->empty());

  backend.release.Notify();
  EXPECT_TRUE(store->Flush().ok());
  EXPECT_EQ(backend.map.size(), 0);
}

TEST(AsyncWriteStoreTest, NewestWriteOfAKeyWinsInTheBackend) {
  Backend backend;
  backend.block_next = false;
  WarningLog log;
  auto store = AsyncOver(backend, log);
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(store->Store(Entry("k", absl::StrCat("v", i))).ok());
    ASSERT_TRUE(store->Store(Entry(absl::StrCat("other", i % 7), "x")).ok());
  }
  ASSERT_TRUE(store->Flush().ok());
  auto stored = backend.map.Find("quotes", "k");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->payload, "v299");
}

TEST(AsyncWriteStoreTest, FlushReturnsTheFirstBackgroundErrorOnce) {
  Backend backend;
  backend.block_next = false;
  backend.fail = true;
  WarningLog log;
  auto store = AsyncOver(backend, log);
  ASSERT_TRUE(store->Store(Entry("k1", "v")).ok());  // accepted: the failure comes later
  ASSERT_TRUE(store->Flush().code() == absl::StatusCode::kUnavailable);
  EXPECT_EQ(store->failed_writes(), 1);
  ASSERT_EQ(log.messages().size(), 1u);
  EXPECT_TRUE(absl::StrContains(log.messages()[0], "store of ('quotes', 'k1')"))
      << log.messages()[0];
  // A failed write no longer shadows the backend.
  auto found = store->Find("quotes", "k1");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());

  ASSERT_TRUE(store->Delete("quotes", "k2").ok());
  absl::Status flushed = store->Flush();
  EXPECT_TRUE(absl::StrContains(flushed.message(), "delete of ('quotes', 'k2')")) << flushed;
  backend.fail = false;
  ASSERT_TRUE(store->Store(Entry("k3", "v")).ok());
  EXPECT_TRUE(store->Flush().ok());  // the errors were reported by earlier Flush() calls
  EXPECT_EQ(store->failed_writes(), 2);
}

AsyncExecutorConfig LimitOne(RejectionPolicy policy) {
  AsyncExecutorConfig config;
  config.concurrency_limit = 1;
  config.rejection_policy = policy;
  return config;
}

TEST(AsyncWriteStoreTest, DiscardAtTheLimitReturnsOkButDropsCountsAndWarns) {
  Backend backend;
  WarningLog log;
  auto store = AsyncOver(backend, log, LimitOne(RejectionPolicy::kDiscard));
  ASSERT_TRUE(store->Store(Entry("held", "v")).ok());
  backend.blocked.WaitForNotification();  // occupies the only slot
  EXPECT_TRUE(store->Store(Entry("dropped", "v")).ok());
  EXPECT_EQ(store->discarded_writes(), 1);
  ASSERT_EQ(log.messages().size(), 1u);
  EXPECT_TRUE(absl::StrContains(log.messages()[0], "failover.store.async-executor"));
  auto found = store->Find("quotes", "dropped");
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());  // a dropped write is not visible either
  backend.release.Notify();
  EXPECT_TRUE(store->Flush().ok());
  EXPECT_TRUE(backend.map.Find("quotes", "held")->has_value());
  EXPECT_FALSE(backend.map.Find("quotes", "dropped")->has_value());
}

TEST(AsyncWriteStoreTest, CallerRunsAtTheLimitWritesBeforeReturning) {
  Backend backend;
  WarningLog log;
  auto store = AsyncOver(backend, log, LimitOne(RejectionPolicy::kCallerRuns));
  ASSERT_TRUE(store->Store(Entry("held", "v")).ok());
  backend.blocked.WaitForNotification();
  ASSERT_TRUE(store->Store(Entry("inline", "v")).ok());
  EXPECT_TRUE(backend.map.Find("quotes", "inline")->has_value());  // already durable
  EXPECT_FALSE(backend.map.Find("quotes", "held")->has_value());
  EXPECT_EQ(store->discarded_writes(), 0);
  backend.release.Notify();
  EXPECT_TRUE(store->Flush().ok());
  EXPECT_TRUE(backend.map.Find("quotes", "held")->has_value());
}

TEST(AsyncWriteStoreTest, AbortAtTheLimitIsResourceExhaustedAndWritesNothing) {
  Backend backend;
  WarningLog log;
  auto store = AsyncOver(backend, log, LimitOne(RejectionPolicy::kAbort));
  ASSERT_TRUE(store->Store(Entry("held", "v")).ok());
  backend.blocked.WaitForNotification();
  absl::Status rejected = store->Store(Entry("refused", "v"));
  EXPECT_EQ(rejected.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(absl::StrContains(rejected.message(), "('quotes', 'refused')")) << rejected;
  EXPECT_TRUE(absl::StrContains(rejected.message(), "limit 1")) << rejected;
  EXPECT_FALSE(store->Find("quotes", "refused")->has_value());
  backend.release.Notify();
  EXPECT_TRUE(store->Flush().ok());
  EXPECT_FALSE(backend.map.Find("quotes", "refused")->has_value());
}

TEST(AsyncWriteStoreTest, PendingCleanHidesExpiredEntriesUntilItRuns) {
  Backend backend;
  backend.Preload(Entry("expired", "v", kNow - absl::Minutes(1)));
  backend.Preload(Entry("live", "v", kNow + absl::Minutes(1)));
  WarningLog log;
  auto store = AsyncOver(backend, log);
  EXPECT_EQ(*store->CleanByExpiry(kNow), 0);  // queued: the count comes later
  EXPECT_FALSE(store->Find("quotes", "expired")->has_value());
  auto all = store->FindAll("quotes");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].key, "live");
  EXPECT_EQ(backend.map.size(), 2);  // still in the backend

  backend.release.Notify();
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(store->cleaned_entries(), 1);
  EXPECT_EQ(backend.map.size(), 1);
}

TEST(AsyncWriteStoreTest, ConcurrentWritersReadTheirOwnWrites) {
  Backend backend;
  backend.block_next = false;
  WarningLog log;
  AsyncExecutorConfig config;
  config.concurrency_limit = 16;
  config.rejection_policy = RejectionPolicy::kCallerRuns;
  auto store = AsyncOver(backend, log, config);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string key = absl::StrCat("t", t, "-", i % 5);
        if (i % 4 == 3) {
          if (!store->Delete("quotes", key).ok()) mismatches.fetch_add(1);
          if (store->Find("quotes", key)->has_value()) mismatches.fetch_add(1);
          continue;
        }
        const std::string payload = absl::StrCat(i);
        if (!store->Store(Entry(key, payload)).ok()) mismatches.fetch_add(1);
        auto found = store->Find("quotes", key);
        if (!found.ok() || !found->has_value() || (*found)->payload != payload) {
          mismatches.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& w : writers) w.join();
  EXPECT_EQ(mismatches.load(), 0);
  ASSERT_TRUE(store->Flush().ok());
  // Last operation per key (i % 5): 195 deletes key 0, 196..198 store keys 1..3, 199 deletes 4.
  for (int t = 0; t < 8; ++t) {
    EXPECT_FALSE(backend.map.Find("quotes", absl::StrCat("t", t, "-0"))->has_value());
    EXPECT_FALSE(backend.map.Find("quotes", absl::StrCat("t", t, "-4"))->has_value());
    auto kept = backend.map.Find("quotes", absl::StrCat("t", t, "-3"));
    ASSERT_TRUE(kept->has_value());
    EXPECT_EQ((*kept)->payload, "198");
  }
}

}  // namespace
}  // namespace failover
