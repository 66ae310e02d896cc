// Scatter/gather batch failover over every backend failover.store.type offers, each built from
// YAML by NewFailoverStore (asynchronous writes on) exactly as an application builds it:
// inmemory, caffeine, jdbc on a real SQLite file and jdbc on a real PostgreSQL 15 server. A batch
// of symbols is stored and recovered one symbol (slice) at a time. Time is simulated; the stores
// and, on the parallel path, the executor threads are real.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "core/executor/bounded_executor.h"
#include "core/metrics/metrics_registry.h"
#include "core/simulated_clock.h"
#include "core/sync.h"
#include "gtest/gtest.h"
#include "store-jdbc/call/failover_metrics.h"
#include "store-jdbc/call/failover_registry.h"
#include "store-jdbc/call/key_generator.h"
#include "store-jdbc/call/payload_codec.h"
#include "store-jdbc/call/scatter_gather.h"
#include "store-jdbc/store_factory.h"
#include "tests/store-jdbc/backend_fixture.h"

namespace failover {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'750'000'000);
const absl::Status kDown = absl::UnavailableError("batch quotes service is down");

struct Quote {
  std::string symbol;
  std::string px;
  friend bool operator==(const Quote& a, const Quote& b) {
    return a.symbol == b.symbol && a.px == b.px;
  }
};

using Symbols = std::vector<std::string>;
using Quotes = std::vector<std::optional<Quote>>;  // one per requested symbol, in request order
using QuoteBatch = ScatterFailover<Symbols, Quotes, Quote>;

// Stored as "SYMBOL=PX" under a Java-style class name the jdbc allowlist must admit.
std::unique_ptr<PayloadCodec<Quote>> NewQuoteCodec() {
  return std::make_unique<FunctionCodec<Quote>>(
      "com.acme.Quote",
      [](const Quote& q) -> absl::StatusOr<std::string> {
        return absl::StrCat(q.symbol, "=", q.px);
      },
      [](absl::string_view s) -> absl::StatusOr<Quote> {
        const size_t eq = s.find('=');
        if (eq == absl::string_view::npos) {
          return absl::InvalidArgumentError(absl::StrCat("com.acme.Quote: no '=' in '", s, "'"));
        }
        return Quote{std::string(s.substr(0, eq)), std::string(s.substr(eq + 1))};
      });
}

// One slice per symbol. A response slot whose quote is for another symbol is not stored.
class QuoteSplitter : public PayloadSplitter<Symbols, Quotes, Quote> {
 public:
  std::vector<KeyArgs> SplitRequest(const Symbols& symbols) const override {
    std::vector<KeyArgs> keys;
    for (const std::string& symbol : symbols) keys.push_back({symbol});
    return keys;
  }
  std::vector<std::optional<Quote>> SplitResponse(const Symbols& symbols,
                                                  const Quotes& quotes) const override {
    std::vector<std::optional<Quote>> slices(symbols.size());
    for (size_t i = 0; i < symbols.size() && i < quotes.size(); ++i) {
      if (quotes[i].has_value() && quotes[i]->symbol == symbols[i]) slices[i] = quotes[i];
    }
    return slices;
  }
  Quotes Merge(const Symbols&, std::vector<std::optional<Quote>> slices) const override {
    return slices;
  }
};

Quote Q(const std::string& symbol, const std::string& px) { return Quote{symbol, px}; }

QuoteBatch::Upstream Up(Quotes quotes) {
  return [quotes]() -> absl::StatusOr<Quotes> { return quotes; };
}

QuoteBatch::Upstream Down() {
  return []() -> absl::StatusOr<Quotes> { return kDown; };
}

std::vector<std::string> SortedSymbols(const Quotes& quotes) {
  std::vector<std::string> symbols;
  for (const std::optional<Quote>& q : quotes) symbols.push_back(q.has_value() ? q->symbol : "");
  std::sort(symbols.begin(), symbols.end());
  return symbols;
}

class FailoverScatterTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    // The parallel path as configured: at most 2 slices in flight, the rest on the caller.
    absl::StatusOr<FailoverConfig> config =
        LoadBackendConfig(GetParam(), "[com.acme.Quote]",
                          "  scatter:\n    parallel: true\n    concurrency-limit: 2\n"
                          "    rejection-policy: CALLER_RUNS\n");
    ASSERT_TRUE(config.ok()) << config.status();
    scatter_ = config->scatter;
    FailoverStoreDeps deps;
    deps.clock = &clock_;
    absl::StatusOr<std::unique_ptr<ConfiguredFailoverStore>> store =
        NewFailoverStore(config->store, std::move(deps));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    BoundedExecutorOptions executor;
    executor.name = "failover.scatter";
    executor.threads = 4;
    executor.concurrency_limit = scatter_.concurrency_limit;
    executor.rejection_policy = scatter_.rejection_policy;
    executor_ = std::make_unique<BoundedExecutor>(std::move(executor));
    name_ = BackendTestNamespace(GetParam());
  }

  // A batch failover named `name` (default: the test's), sequential or on executor_.
  std::unique_ptr<QuoteBatch> NewBatch(bool parallel, std::string name = "") {
    FailoverOptions options;
    options.name = name.empty() ? name_ : std::move(name);
    options.expiry = absl::Hours(1);
    options.warnings = [this](absl::string_view warning) {
      MutexLock lock(&mu_);
      warnings_.emplace_back(warning);
    };
    ScatterOptions scatter;
    scatter.config = scatter_;
    scatter.config.parallel = parallel;
    scatter.executor = parallel ? executor_.get() : nullptr;
    absl::StatusOr<std::unique_ptr<QuoteBatch>> batch =
        QuoteBatch::Create(options, scatter, std::make_unique<QuoteSplitter>(), NewQuoteCodec(), {},
                           {*store_, clock_, registry_});
    EXPECT_TRUE(batch.ok()) << batch.status();
    return batch.ok() ? *std::move(batch) : nullptr;
  }

  // The row of `symbol`'s slice, looked up under the slice's own key (after a Flush).
  std::optional<FailoverStoreEntry> Row(const std::string& symbol) {
    absl::StatusOr<std::optional<FailoverStoreEntry>> found =
        store_->Find(name_, DefaultFailoverKey(name_, {symbol}));
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::nullopt;
  }

  uint64_t Partial() {
    return metrics_.GetCounter(FailoverMetrics::kPartial, {{"name", name_}}).Value();
  }

  std::vector<std::string> Warnings() {
    MutexLock lock(&mu_);
    return warnings_;
  }

  SimulatedClock clock_{MonotonicTime::FromNanos(0), kStart};
  MetricsRegistry metrics_;
  FailoverRegistry registry_{metrics_};
  ScatterConfig scatter_;
  std::unique_ptr<ConfiguredFailoverStore> store_;
  std::string name_;
  Mutex mu_;
  std::vector<std::string> warnings_ ABSL_GUARDED_BY(mu_);
  // Last: shut down (its remaining slices run) while the store, clock and registry still live.
  std::unique_ptr<BoundedExecutor> executor_;
};

TEST_P(FailoverScatterTest, SuccessfulBatchStoresOneRowPerSliceUnderItsOwnKey) {
  std::unique_ptr<QuoteBatch> batch = NewBatch(/*parallel=*/false);
  ASSERT_NE(batch, nullptr);
  const Quotes quotes = {Q("EUR", "1.10"), Q("GBP", "0.85"), std::nullopt};
  absl::StatusOr<FailoverResult<Quotes>> live = batch->Call({"EUR", "GBP", "JPY"}, Up(quotes));
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_TRUE(live->up_to_date);
  EXPECT_EQ(*live->value, quotes);

  ASSERT_TRUE(store_->Flush().ok());
  std::optional<FailoverStoreEntry> eur = Row("EUR");
  ASSERT_TRUE(eur.has_value());
  EXPECT_EQ(eur->payload, "EUR=1.10");
  EXPECT_EQ(eur->payload_type, "com.acme.Quote");
  EXPECT_EQ(eur->as_of, kStart);
  EXPECT_EQ(eur->expire_on, kStart + absl::Hours(1));
  ASSERT_TRUE(Row("GBP").has_value());
  EXPECT_EQ(Row("GBP")->payload, "GBP=0.85");
  EXPECT_FALSE(Row("JPY").has_value());           // no quote, no row
  EXPECT_EQ(store_->FindAll(name_)->size(), 2u);  // nothing under a whole-batch key
  EXPECT_EQ(
      metrics_.GetCounter(FailoverMetrics::kStore, {{"name", name_}, {"stored", "true"}}).Value(),
      2u);
}

TEST_P(FailoverScatterTest, FailedBatchKeepsRequestOrderAndMissesInPosition) {
  std::unique_ptr<QuoteBatch> batch = NewBatch(/*parallel=*/false);
  ASSERT_NE(batch, nullptr);
  ASSERT_TRUE(
      batch->Call({"EUR", "GBP", "JPY"}, Up({Q("EUR", "1.10"), Q("GBP", "0.85"), {}})).ok());
  clock_.Advance(absl::Minutes(5));

  absl::StatusOr<FailoverResult<Quotes>> partial =
      batch->Call({"JPY", "GBP", "CHF", "EUR"}, Down());
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_EQ(*partial->value,
            (Quotes{std::nullopt, Q("GBP", "0.85"), std::nullopt, Q("EUR", "1.10")}));
  EXPECT_FALSE(partial->up_to_date);
  EXPECT_EQ(partial->as_of, kStart);
  ASSERT_TRUE(partial->failure.has_value());
  EXPECT_EQ(partial->failure->status, kDown);
  EXPECT_EQ(Partial(), 1u);

  // Every slice found: recovered, but not partial.
  absl::StatusOr<FailoverResult<Quotes>> full = batch->Call({"EUR", "GBP"}, Down());
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(*full->value, (Quotes{Q("EUR", "1.10"), Q("GBP", "0.85")}));
  EXPECT_EQ(Partial(), 1u);
  EXPECT_EQ(metrics_
                .GetCounter(FailoverMetrics::kOutcome,
                            {{"name", name_}, {"domain", name_}, {"outcome", "recovered"}})
                .Value(),
            2u);

  // No slice found: the upstream error comes back (RETHROW).
  EXPECT_EQ(batch->Call({"CHF", "JPY"}, Down()).status(), kDown);
  EXPECT_EQ(Partial(), 1u);
  EXPECT_TRUE(Warnings().empty()) << Warnings()[0];
}

TEST_P(FailoverScatterTest, RecoverAllReturnsEveryLiveEntryOfTheNamespace) {
  std::unique_ptr<QuoteBatch> batch = NewBatch(/*parallel=*/false);
  std::unique_ptr<QuoteBatch> other = NewBatch(/*parallel=*/false, name_ + "-other");
  ASSERT_NE(batch, nullptr);
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(batch->Call({"OLD"}, Up({Q("OLD", "9.99")})).ok());
  clock_.Advance(absl::Minutes(50));
  ASSERT_TRUE(batch->Call({"EUR", "GBP"}, Up({Q("EUR", "1.10"), Q("GBP", "0.85")})).ok());
  ASSERT_TRUE(other->Call({"USD"}, Up({Q("USD", "1.00")})).ok());  // another namespace
  clock_.Advance(absl::Minutes(5));
  ASSERT_TRUE(batch->Call({"JPY"}, Up({Q("JPY", "160")})).ok());
  clock_.Advance(absl::Minutes(10));  // OLD expired 5 minutes ago

  absl::StatusOr<FailoverResult<Quotes>> all = batch->Call({}, Down());
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_FALSE(all->up_to_date);
  EXPECT_EQ(SortedSymbols(*all->value), (std::vector<std::string>{"EUR", "GBP", "JPY"}));
  EXPECT_EQ(all->as_of, kStart + absl::Minutes(50));  // the oldest entry served
  EXPECT_EQ(Partial(), 0u);

  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_FALSE(Row("OLD").has_value());  // the expired entry is gone
  EXPECT_EQ(store_->FindAll(name_)->size(), 3u);
}

TEST_P(FailoverScatterTest, ParallelSlicesGiveTheSameAnswerAsSequential) {
  const Symbols stored = {"A", "B", "C", "D", "E", "F"};
  const Symbols asked = {"F", "X", "B", "D", "Y", "A", "C"};
  absl::StatusOr<FailoverResult<Quotes>> sequential;
  {
    std::unique_ptr<QuoteBatch> batch = NewBatch(/*parallel=*/false);
    ASSERT_NE(batch, nullptr);
    ASSERT_TRUE(batch
                    ->Call(stored, Up({Q("A", "1"), Q("B", "2"), std::nullopt, Q("D", "4"),
                                       Q("E", "5"), Q("F", "6")}))
                    .ok());
    clock_.Advance(absl::Minutes(1));
    sequential = batch->Call(asked, Down());
  }  // frees the name for the parallel failover over the same namespace
  ASSERT_TRUE(sequential.ok()) << sequential.status();
  EXPECT_EQ(*sequential->value, (Quotes{Q("F", "6"), std::nullopt, Q("B", "2"), Q("D", "4"),
                                        std::nullopt, Q("A", "1"), std::nullopt}));

  std::unique_ptr<QuoteBatch> parallel = NewBatch(/*parallel=*/true);
  ASSERT_NE(parallel, nullptr);
  absl::StatusOr<FailoverResult<Quotes>> fanned_out = parallel->Call(asked, Down());
  ASSERT_TRUE(fanned_out.ok()) << fanned_out.status();
  EXPECT_EQ(*fanned_out->value, *sequential->value);
  EXPECT_EQ(fanned_out->as_of, sequential->as_of);
  EXPECT_FALSE(fanned_out->up_to_date);
  EXPECT_EQ(Partial(), 2u);

  // Parallel stores land under the same per-slice keys.
  const Symbols more = {"G", "H", "I", "J", "K"};
  ASSERT_TRUE(
      parallel->Call(more, Up({Q("G", "7"), Q("H", "8"), Q("I", "9"), Q("J", "10"), Q("K", "11")}))
          .ok());
  ASSERT_TRUE(store_->Flush().ok());
  for (const std::string& symbol : more) {
    std::optional<FailoverStoreEntry> row = Row(symbol);
    ASSERT_TRUE(row.has_value()) << symbol;
    EXPECT_EQ(row->payload.substr(0, symbol.size() + 1), symbol + "=");
  }
  EXPECT_EQ(store_->FindAll(name_)->size(), 10u);
  EXPECT_EQ(executor_->discarded(), 0);
  EXPECT_TRUE(Warnings().empty()) << Warnings()[0];
}

TEST_P(FailoverScatterTest, ExpiredSliceIsNotServedAndItsRowIsDeleted) {
  std::unique_ptr<QuoteBatch> batch = NewBatch(/*parallel=*/true);
  ASSERT_NE(batch, nullptr);
  ASSERT_TRUE(batch->Call({"EUR"}, Up({Q("EUR", "1.10")})).ok());
  clock_.Advance(absl::Minutes(45));
  ASSERT_TRUE(batch->Call({"GBP"}, Up({Q("GBP", "0.85")})).ok());
  clock_.Advance(absl::Minutes(30));  // EUR expired 15 minutes ago; GBP lives 30 more

  absl::StatusOr<FailoverResult<Quotes>> result = batch->Call({"EUR", "GBP"}, Down());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result->value, (Quotes{std::nullopt, Q("GBP", "0.85")}));
  EXPECT_EQ(result->as_of, kStart + absl::Minutes(45));
  EXPECT_EQ(Partial(), 1u);
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_FALSE(Row("EUR").has_value());
  EXPECT_TRUE(Row("GBP").has_value());

  clock_.Advance(absl::Minutes(31));  // GBP expired too: nothing to serve
  EXPECT_EQ(batch->Call({"EUR", "GBP"}, Down()).status(), kDown);
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_FALSE(Row("GBP").has_value());
  EXPECT_TRUE(store_->FindAll(name_)->empty());
  EXPECT_TRUE(Warnings().empty()) << Warnings()[0];  // every delete succeeded
}

INSTANTIATE_TEST_SUITE_P(EveryBackend, FailoverScatterTest, ::testing::ValuesIn(EveryBackend()),
                         BackendTestName);

}  // namespace
}  // namespace failover
