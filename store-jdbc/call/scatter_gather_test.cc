#include "store-jdbc/call/scatter_gather.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/simulated_clock.h"
#include "core/sync.h"
#include "gtest/gtest.h"
#include "store-jdbc/call/testdata/quote.pb.h"
#include "store-jdbc/testing/map_failover_store.h"

namespace failover {
namespace {

using calltest::Quote;
using Symbols = std::vector<std::string>;
using Quotes = std::vector<std::optional<Quote>>;
using QuoteScatter = ScatterFailover<Symbols, Quotes, Quote>;

class QuoteSplitter : public PayloadSplitter<Symbols, Quotes, Quote> {
 public:
  std::vector<KeyArgs> SplitRequest(const Symbols& symbols) const override {
    std::vector<KeyArgs> keys;
    for (const std::string& s : symbols) keys.push_back({s});
    return keys;
  }
  std::vector<std::optional<Quote>> SplitResponse(const Symbols&,
                                                  const Quotes& quotes) const override {
    return quotes;
  }
  Quotes Merge(const Symbols&, std::vector<std::optional<Quote>> slices) const override {
    return slices;
  }
};

Quote MakeQuote(const std::string& symbol, double px) {
  Quote q;
  q.set_symbol(symbol);
  q.set_px(px);
  return q;
}

// A FailoverStore over MapFailoverStore whose Find/Store of one key block until released.
class BlockingStore final : public FailoverStore {
 public:
  explicit BlockingStore(MapFailoverStore& inner) : inner_(inner) {}
  void BlockKey(std::string key) { blocked_key_ = std::move(key); }
  void Release() { release_.Notify(); }
  void WaitUntilBlocked() { entered_.WaitForNotification(); }

  absl::Status Store(const FailoverStoreEntry& entry) override {
    MaybeBlock(entry.key);
    return inner_.Store(entry);
  }
  absl::StatusOr<std::optional<FailoverStoreEntry>> Find(absl::string_view name,
                                                         absl::string_view key) override {
    MaybeBlock(key);
    return inner_.Find(name, key);
  }
  absl::StatusOr<std::vector<FailoverStoreEntry>> FindAll(absl::string_view name) override {
    return inner_.FindAll(name);
  }
  absl::Status Delete(absl::string_view name, absl::string_view key) override {
    return inner_.Delete(name, key);
  }
  absl::StatusOr<int64_t> CleanByExpiry(absl::Time now) override {
    return inner_.CleanByExpiry(now);
  }

 private:
  void MaybeBlock(absl::string_view key) {
    if (key != blocked_key_) return;
    entered_.Notify();
    release_.WaitForNotification();
  }
  MapFailoverStore& inner_;
  std::string blocked_key_;  // set before any call
  Notification entered_;
  Notification release_;
};

QuoteScatter::Upstream Returns(Quotes quotes) {
  return [quotes]() -> absl::StatusOr<Quotes> { return quotes; };
}

QuoteScatter::Upstream Down() {
  return []() -> absl::StatusOr<Quotes> { return absl::UnavailableError("batch api down"); };
}

// Waits (yielding, no sleep) until only the hanging slice is left on `executor`, so that the
// deadline the test then advances to can only catch that one.
void WaitUntilOnlyTheHangingSliceIsLeft(BoundedExecutor& executor) {
  while (executor.in_flight() > 1) std::this_thread::yield();
}

BoundedExecutorOptions TestExecutorOptions() {
  BoundedExecutorOptions options;
  options.name = "scatter-test";
  options.threads = 4;
  return options;
}

class ScatterGatherTest : public ::testing::Test {
 protected:
  std::unique_ptr<QuoteScatter> Make(ScatterConfig config, Clock& clock,
                                     FailoverStore* store = nullptr,
                                     BoundedExecutor* executor = nullptr) {
    FailoverOptions options;
    options.name = "quotes";
    options.warnings = [this](absl::string_view w) {
      MutexLock lock(&mu_);
      warnings_.emplace_back(w);
    };
    ScatterOptions scatter;
    scatter.config = config;
    scatter.executor = executor;
    FailoverStore& target = store != nullptr ? *store : store_;
    auto created = QuoteScatter::Create(options, scatter, std::make_unique<QuoteSplitter>(),
                                        std::make_unique<ProtoJsonCodec<Quote>>(), {},
                                        {target, clock, registry_});
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? std::move(*created) : nullptr;
  }

  uint64_t Counter(absl::string_view name, const Tags& tags) {
    return metrics_.GetCounter(name, tags).Value();
  }
  std::vector<std::string> Warnings() {
    MutexLock lock(&mu_);
    return warnings_;
  }

  static ScatterConfig Sequential() {
    ScatterConfig config;
    config.parallel = false;
    return config;
  }

  SimulatedClock clock_;
  MapFailoverStore store_;
  MetricsRegistry metrics_;
  FailoverRegistry registry_{metrics_};
  Mutex mu_;
  std::vector<std::string> warnings_ ABSL_GUARDED_BY(mu_);
};

void ExpectSymbols(const Quotes& quotes, const std::vector<std::string>& expected) {
  ASSERT_EQ(quotes.size(), expected.size());
  for (size_t i = 0; i < quotes.size(); ++i) {
    if (expected[i].empty()) {
      EXPECT_FALSE(quotes[i].has_value()) << "slot " << i;
    } else {
      ASSERT_TRUE(quotes[i].has_value()) << "slot " << i;
      EXPECT_EQ(quotes[i]->symbol(), expected[i]);
    }
  }
}

void StoreThenRecoverInOrder(QuoteScatter& batch, MapFailoverStore& store) {
  auto live =
      batch.Call({"A", "B", "C"}, Returns({MakeQuote("A", 1), MakeQuote("B", 2), std::nullopt}));
  ASSERT_TRUE(live.ok());
  EXPECT_TRUE(live->up_to_date);
  EXPECT_EQ(store.size(), 2);  // C had no result: nothing stored for it
  EXPECT_TRUE(store.Find("quotes", DefaultFailoverKey("quotes", {"B"}))->has_value());

  auto recovered = batch.Call({"B", "X", "C", "A"}, Down());
  ASSERT_TRUE(recovered.ok()) << recovered.status();
  EXPECT_FALSE(recovered->up_to_date);
  ExpectSymbols(*recovered->value, {"B", "", "", "A"});
  EXPECT_EQ(recovered->failure->exception_type, "UNAVAILABLE");
}

TEST_F(ScatterGatherTest, SequentialSlicesKeepRequestOrderAndMissesInPosition) {
  auto batch = Make(Sequential(), clock_);
  StoreThenRecoverInOrder(*batch, store_);
  EXPECT_EQ(Counter(FailoverMetrics::kPartial, {{"name", "quotes"}}), 1u);
  EXPECT_EQ(Counter(FailoverMetrics::kOutcome,
                    {{"name", "quotes"}, {"domain", "quotes"}, {"outcome", "recovered"}}),
            1u);
  EXPECT_EQ(Counter(FailoverMetrics::kStore, {{"name", "quotes"}, {"stored", "true"}}), 2u);
}

TEST_F(ScatterGatherTest, ParallelSlicesKeepRequestOrderAndMissesInPosition) {
  ScatterConfig config;
  config.concurrency_limit = 2;
  config.rejection_policy = RejectionPolicy::kCallerRuns;
  auto batch = Make(config, clock_);
  StoreThenRecoverInOrder(*batch, store_);
  EXPECT_EQ(Counter(FailoverMetrics::kPartial, {{"name", "quotes"}}), 1u);
}

TEST_F(ScatterGatherTest, MisalignedResponseIsReturnedButNotStored) {
  auto batch = Make(Sequential(), clock_);
  ASSERT_NE(batch, nullptr);
  // Two quotes for three symbols: which is which is unknown, so neither may be filed.
  auto live = batch->Call({"A", "B", "C"}, Returns({MakeQuote("B", 2), MakeQuote("C", 3)}));
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_EQ(live->value->size(), 2u);
  EXPECT_EQ(store_.size(), 0);
  ASSERT_EQ(Warnings().size(), 1u);
  EXPECT_NE(Warnings()[0].find("2 response slices for 3 request slices"), std::string::npos)
      << Warnings()[0];
}

TEST_F(ScatterGatherTest, FullRecoveryIsNotPartialAndNothingRecoveredRethrows) {
  auto batch = Make(Sequential(), clock_);
  ASSERT_TRUE(batch->Call({"A", "B"}, Returns({MakeQuote("A", 1), MakeQuote("B", 2)})).ok());
  auto all = batch->Call({"A", "B"}, Down());
  ASSERT_TRUE(all.ok());
  ExpectSymbols(*all->value, {"A", "B"});
  EXPECT_EQ(Counter(FailoverMetrics::kPartial, {{"name", "quotes"}}), 0u);
  auto none = batch->Call({"Y", "Z"}, Down());
  EXPECT_EQ(none.status(), absl::UnavailableError("batch api down"));
  EXPECT_EQ(Counter(FailoverMetrics::kOutcome,
                    {{"name", "quotes"}, {"domain", "quotes"}, {"outcome", "not_recovered"}}),
            1u);
}

TEST_F(ScatterGatherTest, RecoverAllReturnsEveryLiveEntry) {
  auto batch = Make(Sequential(), clock_);
  ASSERT_TRUE(batch->Call({"OLD"}, Returns({MakeQuote("OLD", 0)})).ok());
  clock_.Advance(absl::Minutes(59));
  ASSERT_TRUE(batch->Call({"A", "B"}, Returns({MakeQuote("A", 1), MakeQuote("B", 2)})).ok());
  clock_.Advance(absl::Minutes(2));  // OLD has expired
  auto all = batch->Call({}, Down());
  ASSERT_TRUE(all.ok()) << all.status();
  std::vector<std::string> symbols;
  for (const auto& q : *all->value) symbols.push_back(q->symbol());
  std::sort(symbols.begin(), symbols.end());
  EXPECT_EQ(symbols, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(store_.size(), 2);  // the expired entry was deleted
}

// The whole batch has one deadline on the injected clock: a slice that hangs does not hold the
// caller, which gets the other slices and a miss in the hanging one's position.
TEST_F(ScatterGatherTest, HangingSliceDoesNotHoldTheCallerPastTheDeadline) {
  ScatterConfig config;
  config.timeout = absl::Seconds(10);
  BlockingStore blocking(store_);
  BoundedExecutor executor(TestExecutorOptions());
  auto batch = Make(config, clock_, &blocking, &executor);
  ASSERT_TRUE(batch
                  ->Call({"A", "H", "C"},
                         Returns({MakeQuote("A", 1), MakeQuote("H", 2), MakeQuote("C", 3)}))
                  .ok());
  blocking.BlockKey(DefaultFailoverKey("quotes", {"H"}));

  const int finds_before = store_.find_calls();
  absl::StatusOr<FailoverResult<Quotes>> result;
  std::thread caller([&] { result = batch->Call({"A", "H", "C"}, Down()); });
  blocking.WaitUntilBlocked();
  // C may be submitted after H blocks: wait until A's and C's lookups have started...
  while (store_.find_calls() < finds_before + 2) std::this_thread::yield();
  WaitUntilOnlyTheHangingSliceIsLeft(executor);  // ...and finished.
  clock_.Advance(absl::Seconds(10));
  caller.join();       // returns although the H slice is still blocked
  blocking.Release();  // the late slice completes harmlessly
  executor.Drain();
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectSymbols(*result->value, {"A", "", "C"});
  EXPECT_EQ(Counter(FailoverMetrics::kPartial, {{"name", "quotes"}}), 1u);
}

TEST_F(ScatterGatherTest, HangingSliceStoreIsReportedAsTimedOut) {
  ScatterConfig config;
  config.timeout = absl::Seconds(10);
  BlockingStore blocking(store_);
  blocking.BlockKey(DefaultFailoverKey("quotes", {"H"}));
  BoundedExecutor executor(TestExecutorOptions());
  auto batch = Make(config, clock_, &blocking, &executor);
  absl::StatusOr<FailoverResult<Quotes>> result;
  std::thread caller([&] {
    result = batch->Call({"A", "H"}, Returns({MakeQuote("A", 1), MakeQuote("H", 2)}));
  });
  blocking.WaitUntilBlocked();
  WaitUntilOnlyTheHangingSliceIsLeft(executor);
  clock_.Advance(absl::Seconds(10));
  caller.join();
  const std::vector<std::string> warnings = Warnings();
  blocking.Release();
  executor.Drain();
  EXPECT_EQ(store_.size(), 2);  // the late store still landed
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->up_to_date);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("1 of 2 slice stores did not finish"), std::string::npos);
}

// The same on the real clock with a short bound: the caller is back long before the slice is.
TEST_F(ScatterGatherTest, DeadlineHoldsOnTheSystemClock) {
  ScatterConfig config;
  config.timeout = absl::Milliseconds(300);
  BlockingStore blocking(store_);
  auto batch = Make(config, SystemClock(), &blocking);
  ASSERT_TRUE(batch->Call({"A", "H"}, Returns({MakeQuote("A", 1), MakeQuote("H", 2)})).ok());
  blocking.BlockKey(DefaultFailoverKey("quotes", {"H"}));
  const absl::Time start = absl::Now();
  auto result = batch->Call({"H", "A"}, Down());
  const absl::Duration waited = absl::Now() - start;
  blocking.Release();
  batch.reset();
  ASSERT_TRUE(result.ok());
  ExpectSymbols(*result->value, {"", "A"});
  EXPECT_GE(waited, absl::Milliseconds(300));
  EXPECT_LT(waited, absl::Seconds(5));
}

TEST_F(ScatterGatherTest, DiscardedSlicesAreMisses) {
  BoundedExecutorOptions executor_options;
  executor_options.threads = 1;
  executor_options.concurrency_limit = 1;
  executor_options.rejection_policy = RejectionPolicy::kDiscard;
  executor_options.warnings = [](absl::string_view) {};
  BoundedExecutor executor(executor_options);
  // Occupy the only slot so that every slice of the batch is discarded.
  Notification hold;
  ASSERT_EQ(*executor.Submit([&hold] { hold.WaitForNotification(); }), SubmitOutcome::kQueued);

  FailoverOptions options;
  options.name = "quotes";
  options.exception_policy = ExceptionPolicy::kNeverThrow;
  ScatterOptions scatter;
  scatter.executor = &executor;
  auto batch = *QuoteScatter::Create(options, scatter, std::make_unique<QuoteSplitter>(),
                                     std::make_unique<ProtoJsonCodec<Quote>>(), {},
                                     {store_, clock_, registry_});
  const absl::Time now = clock_.WallNow();
  store_.Put({"quotes", DefaultFailoverKey("quotes", {"A"}), now, now + absl::Hours(1),
              "{\"symbol\":\"A\"}", "failover.calltest.Quote"});
  auto result = batch->Call({"A"}, Down());
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->value.has_value());
  EXPECT_EQ(executor.discarded(), 1);
  hold.Notify();
  executor.Drain();
}

}  // namespace
}  // namespace failover
