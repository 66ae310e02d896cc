// Failover<T>: execution types, store and decode failures, disabled failovers, metrics, options.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/simulated_clock.h"
#include "gtest/gtest.h"
#include "store-jdbc/call/failover.h"
#include "store-jdbc/call/testing/failover_fixture.h"

namespace failover {
namespace {

using calltest::FailoverTest;
using calltest::MakeQuote;
using calltest::Quote;

TEST_F(FailoverTest, OpenBreakerRecoversWithoutCallingTheUpstream) {
  FailoverOptions options = Options("quotes");
  options.type = FailoverType::kResilience;
  options.breaker.consecutive_failures_threshold = 3;
  auto quotes = Make(options);
  ASSERT_NE(quotes->breaker(), nullptr);
  EXPECT_EQ(quotes->breaker()->name(), "quotes");
  ASSERT_TRUE(quotes->Call({"k"}, Ok(MakeQuote("A", 1))).ok());
  int calls = 0;
  auto failing = [&calls]() -> absl::StatusOr<Quote> {
    ++calls;
    return absl::UnavailableError("down");
  };
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(quotes->Call({"k"}, failing).ok());
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(quotes->breaker()->state(), CircuitBreakerState::kOpen);
  for (int i = 0; i < 5; ++i) {
    auto result = quotes->Call({"k"}, failing);
    ASSERT_TRUE(result.ok());
    EXPECT_FALSE(result->up_to_date);
    EXPECT_TRUE(IsCallNotPermitted(result->failure->status));
  }
  EXPECT_EQ(calls, 3);
  auto missing = quotes->Call({"other"}, failing);
  EXPECT_TRUE(IsCallNotPermitted(missing.status()));
}

TEST_F(FailoverTest, ValidationErrorsDoNotTripTheBreaker) {
  FailoverOptions options = Options("quotes");
  options.type = FailoverType::kResilience;
  options.breaker.consecutive_failures_threshold = 2;
  auto quotes = Make(options);
  for (int i = 0; i < 5; ++i)
    quotes->Call({"k"}, Fail(absl::InvalidArgumentError("bad"))).IgnoreError();
  EXPECT_EQ(quotes->breaker()->state(), CircuitBreakerState::kClosed);
}

TEST_F(FailoverTest, CustomExecutionRunsTheUpstreamItsWay) {
  FailoverOptions options = Options("quotes");
  options.type = FailoverType::kCustom;
  FailoverHooks<Quote> hooks;
  hooks.execution = [](const Failover<Quote>::OptionalUpstream& upstream) {
    absl::StatusOr<std::optional<Quote>> result = upstream();
    return result.ok() ? result : upstream();  // one retry
  };
  auto quotes = Make(options, hooks);
  int calls = 0;
  auto flaky = [&calls]() -> absl::StatusOr<Quote> {
    if (++calls == 1) return absl::UnavailableError("first try fails");
    return MakeQuote("A", 3);
  };
  auto result = quotes->Call({"k"}, flaky);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->up_to_date);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(store_.size(), 1);
}

TEST_F(FailoverTest, StoreFailureIsAWarningNeverAnError) {
  auto quotes = Make(Options("quotes"));
  store_.FailStoresWith(absl::UnavailableError("db down"));
  auto result = quotes->Call({"k"}, Ok(MakeQuote("A", 1)));
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->up_to_date);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("db down"), std::string::npos);
  EXPECT_EQ(CounterValue(FailoverMetrics::kStore, {{"name", "quotes"}, {"stored", "false"}}), 1u);
}

TEST_F(FailoverTest, UndecodableOrForeignPayloadIsAnErrorOutcome) {
  auto quotes = Make(Options("quotes"));
  const absl::Time now = clock_.WallNow();
  store_.Put({"quotes", DefaultFailoverKey("quotes", {"bad"}), now, now + absl::Hours(1),
              "{not json", "com.acme.Quote"});
  store_.Put({"quotes", DefaultFailoverKey("quotes", {"foreign"}), now, now + absl::Hours(1), "{}",
              "com.acme.Other"});
  EXPECT_FALSE(quotes->Call({"bad"}, Fail(absl::UnavailableError("down"))).ok());
  EXPECT_FALSE(quotes->Call({"foreign"}, Fail(absl::UnavailableError("down"))).ok());
  store_.FailFindsWith(absl::UnavailableError("db down"));
  EXPECT_FALSE(quotes->Call({"k"}, Fail(absl::UnavailableError("down"))).ok());
  EXPECT_EQ(CounterValue(FailoverMetrics::kOutcome,
                         {{"name", "quotes"}, {"domain", "quotes"}, {"outcome", "error"}}),
            3u);
  EXPECT_EQ(warnings_.size(), 3u);
}

TEST_F(FailoverTest, DisabledCallsTheUpstreamDirectly) {
  FailoverOptions options = Options("quotes");
  options.enabled = false;
  auto quotes = Make(options);
  ASSERT_TRUE(quotes->Call({"k"}, Ok(MakeQuote("A", 1))).ok());
  EXPECT_EQ(store_.size(), 0);
  EXPECT_EQ(quotes->Call({"k"}, Fail(absl::UnavailableError("down"))).status(),
            absl::UnavailableError("down"));
  EXPECT_EQ(store_.find_calls(), 0);
}

TEST_F(FailoverTest, EmptyLiveResultCountsAsSuccessAndIsNotStored) {
  auto quotes = Make(Options("quotes"));
  auto result = quotes->CallOptional(
      {"k"}, []() -> absl::StatusOr<std::optional<Quote>> { return std::nullopt; });
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->up_to_date);
  EXPECT_FALSE(result->value.has_value());
  EXPECT_EQ(store_.size(), 0);
  EXPECT_EQ(CounterValue(FailoverMetrics::kCall,
                         {{"name", "quotes"}, {"domain", "quotes"}, {"result", "success"}}),
            1u);
}

// The dashboard's worked example: 90 successes, 8 recovered, 1 not recovered, 1 error.
TEST_F(FailoverTest, MetricsOfTheWorkedExample) {
  FailoverOptions options = Options("quotes");
  options.domain = "market";
  auto quotes = Make(options);
  for (int i = 0; i < 90; ++i) ASSERT_TRUE(quotes->Call({i}, Ok(MakeQuote("A", i))).ok());
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(quotes->Call({i}, Fail(absl::UnavailableError("down"))).ok());
  }
  EXPECT_FALSE(quotes->Call({"missing"}, Fail(absl::UnavailableError("down"))).ok());
  const absl::Time now = clock_.WallNow();
  store_.Put({"market", DefaultFailoverKey("market", {"corrupt"}), now, now + absl::Hours(1), "[",
              "com.acme.Quote"});
  EXPECT_FALSE(quotes->Call({"corrupt"}, Fail(absl::DeadlineExceededError("slow"))).ok());

  const Tags name{{"name", "quotes"}};
  const Tags domain{{"name", "quotes"}, {"domain", "market"}};
  EXPECT_EQ(CounterValue(FailoverMetrics::kStore, name.With("stored", "true")), 90u);
  EXPECT_EQ(CounterValue(FailoverMetrics::kCall, domain.With("result", "success")), 90u);
  EXPECT_EQ(CounterValue(FailoverMetrics::kCall, domain.With("result", "failover")), 10u);
  EXPECT_EQ(CounterValue(FailoverMetrics::kOutcome, domain.With("outcome", "recovered")), 8u);
  EXPECT_EQ(CounterValue(FailoverMetrics::kOutcome, domain.With("outcome", "not_recovered")), 1u);
  EXPECT_EQ(CounterValue(FailoverMetrics::kOutcome, domain.With("outcome", "error")), 1u);
  EXPECT_EQ(CounterValue(FailoverMetrics::kRecover,
                         name.With("recovered", "true").With("recovery_failed", "false")),
            8u);
  EXPECT_EQ(CounterValue(FailoverMetrics::kRecover,
                         name.With("recovered", "false").With("recovery_failed", "false")),
            1u);
  EXPECT_EQ(CounterValue(FailoverMetrics::kRecover,
                         name.With("recovered", "false").With("recovery_failed", "true")),
            1u);
  EXPECT_EQ(CounterValue(FailoverMetrics::kException, name.With("exception_type", "UNAVAILABLE")),
            9u);
  EXPECT_EQ(
      CounterValue(FailoverMetrics::kException, name.With("exception_type", "DEADLINE_EXCEEDED")),
      1u);
  EXPECT_EQ(
      metrics_.GetTimer(FailoverMetrics::kOperation, name.With("action", "store")).Read().count,
      90u);
  EXPECT_EQ(
      metrics_.GetTimer(FailoverMetrics::kOperation, name.With("action", "recover")).Read().count,
      10u);
  EXPECT_EQ(
      metrics_.GetTimer(FailoverMetrics::kUpstream, name.With("result", "success")).Read().count,
      90u);
  EXPECT_EQ(
      metrics_.GetTimer(FailoverMetrics::kUpstream, name.With("result", "failure")).Read().count,
      10u);
}

TEST(FailoverOptionsTest, FromConfigTakesTheApplicationWideSettings) {
  FailoverConfig config;
  config.enabled = false;
  config.type = FailoverType::kResilience;
  config.exception_policy = ExceptionPolicy::kNeverThrow;
  FailoverOptions options = FailoverOptionsFromConfig(config, "quotes");
  EXPECT_EQ(options.name, "quotes");
  EXPECT_FALSE(options.enabled);
  EXPECT_EQ(options.type, FailoverType::kResilience);
  EXPECT_EQ(options.exception_policy, ExceptionPolicy::kNeverThrow);
  EXPECT_EQ(options.expiry, absl::Hours(1));
  EXPECT_EQ(options.storage_namespace(), "quotes");
}

}  // namespace
}  // namespace failover
