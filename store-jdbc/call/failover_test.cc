// Failover<T>: store, recovery, expiry, policies, handler, domains, names.
#include "store-jdbc/call/failover.h"

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

TEST_F(FailoverTest, StoresOnSuccessAndRecoversOnFailureWithMetadata) {
  auto quotes = Make(Options("quotes"));
  const absl::Time stored_at = clock_.WallNow();
  auto live = quotes->Call({"EURUSD", 2}, Ok(MakeQuote("EURUSD", 1.5)));
  ASSERT_TRUE(live.ok());
  EXPECT_TRUE(live->up_to_date);
  EXPECT_EQ(live->as_of, stored_at);
  EXPECT_FALSE(live->failure.has_value());

  const std::string key = DefaultFailoverKey("quotes", {"EURUSD", 2});
  auto entry = store_.Find("quotes", key);
  ASSERT_TRUE(entry.ok() && entry->has_value());
  EXPECT_EQ((*entry)->as_of, stored_at);
  EXPECT_EQ((*entry)->expire_on, stored_at + absl::Hours(1));
  EXPECT_EQ((*entry)->payload_type, "com.acme.Quote");
  EXPECT_NE((*entry)->payload.find("EURUSD"), std::string::npos);

  clock_.Advance(absl::Minutes(10));
  auto recovered = quotes->Call({"EURUSD", 2}, Fail(absl::UnavailableError("quotes-api down")));
  ASSERT_TRUE(recovered.ok()) << recovered.status();
  EXPECT_FALSE(recovered->up_to_date);
  EXPECT_EQ(recovered->as_of, stored_at);
  EXPECT_EQ(recovered->value->px(), 1.5);
  ASSERT_TRUE(recovered->failure.has_value());
  EXPECT_EQ(recovered->failure->status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(recovered->failure->exception_type, "UNAVAILABLE");
  EXPECT_EQ(recovered->failure->message, "quotes-api down");
  EXPECT_NE(recovered->failure->cause.find("quotes-api down"), std::string::npos);

  // Other arguments, other key: nothing to recover.
  auto other = quotes->Call({"EURUSD", 3}, Fail(absl::UnavailableError("down")));
  EXPECT_EQ(other.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(FailoverTest, OverwriteRefreshesValueAndExpiry) {
  auto quotes = Make(Options("quotes"));
  ASSERT_TRUE(quotes->Call({"k"}, Ok(MakeQuote("A", 1))).ok());
  clock_.Advance(absl::Minutes(50));
  const absl::Time second = clock_.WallNow();
  ASSERT_TRUE(quotes->Call({"k"}, Ok(MakeQuote("A", 2))).ok());
  EXPECT_EQ(store_.size(), 1);
  clock_.Advance(absl::Minutes(30));  // 80 min after the first store, 30 after the second
  auto recovered = quotes->Call({"k"}, Fail(absl::InternalError("boom")));
  ASSERT_TRUE(recovered.ok()) << recovered.status();
  EXPECT_EQ(recovered->value->px(), 2);
  EXPECT_EQ(recovered->as_of, second);
}

TEST_F(FailoverTest, ExpiredEntryIsDeletedAndNotRecovered) {
  auto quotes = Make(Options("quotes"));
  ASSERT_TRUE(quotes->Call({"k"}, Ok(MakeQuote("A", 1))).ok());
  clock_.Advance(absl::Hours(1));  // expiring exactly now: still live
  EXPECT_TRUE(quotes->Call({"k"}, Fail(absl::InternalError("boom"))).ok());
  clock_.Advance(absl::Seconds(1));
  auto result = quotes->Call({"k"}, Fail(absl::InternalError("boom")));
  EXPECT_EQ(result.status(), absl::InternalError("boom"));
  EXPECT_EQ(store_.size(), 0);
  EXPECT_EQ(store_.delete_calls(), 1);
  EXPECT_EQ(CounterValue(FailoverMetrics::kOutcome,
                         {{"name", "quotes"}, {"domain", "quotes"}, {"outcome", "not_recovered"}}),
            1u);
}

TEST_F(FailoverTest, CustomExpiryPolicyAndKeyGenerator) {
  FailoverOptions options = Options("quotes");
  options.expiry = absl::Minutes(7);
  options.key_generator = [](absl::string_view ns, const KeyArgs& args) {
    return absl::StrCat(ns, "/", RawKey(args));
  };
  options.expiry_policy = [](absl::Time now, const FailoverOptions& o) {
    return now + 2 * o.expiry;
  };
  auto quotes = Make(options);
  const absl::Time now = clock_.WallNow();
  ASSERT_TRUE(quotes->Call({"a", 1}, Ok(MakeQuote("A", 1))).ok());
  auto entry = store_.Find("quotes", "quotes/a:1");
  ASSERT_TRUE(entry.ok() && entry->has_value());
  EXPECT_EQ((*entry)->expire_on, now + absl::Minutes(14));
  clock_.Advance(absl::Minutes(10));
  EXPECT_TRUE(quotes->Call({"a", 1}, Fail(absl::InternalError("x"))).ok());
}

TEST_F(FailoverTest, NonRecoverableErrorsPassThroughWithoutLookup) {
  FailoverOptions options = Options("quotes");
  options.non_recoverable = [](const absl::Status& s) { return s.message() == "quota"; };
  auto quotes = Make(options);
  ASSERT_TRUE(quotes->Call({"k"}, Ok(MakeQuote("A", 1))).ok());
  for (absl::Status error :
       {absl::InvalidArgumentError("bad"), absl::NotFoundError("no"),
        absl::AlreadyExistsError("dup"), absl::PermissionDeniedError("no"),
        absl::UnauthenticatedError("who"), absl::FailedPreconditionError("state"),
        absl::OutOfRangeError("range"), absl::ResourceExhaustedError("quota")}) {
    EXPECT_EQ(quotes->Call({"k"}, Fail(error)).status(), error);
  }
  EXPECT_EQ(store_.find_calls(), 0);
  EXPECT_EQ(CounterValue(FailoverMetrics::kException,
                         {{"name", "quotes"}, {"exception_type", "INVALID_ARGUMENT"}}),
            1u);
  EXPECT_EQ(CounterValue(FailoverMetrics::kCall,
                         {{"name", "quotes"}, {"domain", "quotes"}, {"result", "failover"}}),
            0u);
}

TEST_F(FailoverTest, RethrowReturnsTheOriginalStatus) {
  auto quotes = Make(Options("quotes"));
  absl::Status original = absl::UnavailableError("upstream 503");
  original.SetPayload("type.example/cause", absl::Cord("socket reset"));
  auto result = quotes->Call({"k"}, Fail(original));
  EXPECT_EQ(result.status(), original);
  EXPECT_EQ(result.status().GetPayload("type.example/cause"), absl::Cord("socket reset"));
}

TEST_F(FailoverTest, NeverThrowReturnsAnEmptyResult) {
  FailoverOptions options = Options("quotes");
  options.exception_policy = ExceptionPolicy::kNeverThrow;
  auto quotes = Make(options);
  auto result = quotes->Call({"k"}, Fail(absl::UnavailableError("down")));
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->value.has_value());
  EXPECT_FALSE(result->up_to_date);
  EXPECT_EQ(result->failure->exception_type, "UNAVAILABLE");
}

TEST_F(FailoverTest, CustomExceptionPolicySeesArgsRecoveredResultAndCause) {
  FailoverOptions options = Options("quotes");
  options.exception_policy = ExceptionPolicy::kCustom;
  std::vector<std::string> seen;
  FailoverHooks<Quote> hooks;
  hooks.exception_policy =
      [&seen](const RecoveryContext<Quote>& ctx) -> absl::StatusOr<FailoverResult<Quote>> {
    seen.push_back(absl::StrCat(ctx.name, "|", RawKey(ctx.args), "|", ctx.result.value.has_value(),
                                "|", ctx.cause.message()));
    if (ctx.result.value.has_value()) return ctx.result;
    return absl::DeadlineExceededError("custom: nothing for " + RawKey(ctx.args));
  };
  auto quotes = Make(options, hooks);
  ASSERT_TRUE(quotes->Call({"a"}, Ok(MakeQuote("A", 1))).ok());
  auto recovered = quotes->Call({"a"}, Fail(absl::UnavailableError("down")));
  ASSERT_TRUE(recovered.ok());
  EXPECT_EQ(recovered->value->symbol(), "A");
  auto missing = quotes->Call({"b"}, Fail(absl::UnavailableError("down")));
  EXPECT_EQ(missing.status(), absl::DeadlineExceededError("custom: nothing for b"));
  EXPECT_EQ(seen, (std::vector<std::string>{"quotes|a|1|down", "quotes|b|0|down"}));
}

TEST_F(FailoverTest, CustomPoliciesNeedTheirHooks) {
  FailoverOptions options = Options("quotes");
  options.exception_policy = ExceptionPolicy::kCustom;
  auto created =
      Failover<Quote>::Create(options, std::make_unique<ProtoJsonCodec<Quote>>(), {}, deps_);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  options.exception_policy = ExceptionPolicy::kRethrow;
  options.type = FailoverType::kCustom;
  created = Failover<Quote>::Create(options, std::make_unique<ProtoJsonCodec<Quote>>(), {}, deps_);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(registry_.names().empty());
}

TEST_F(FailoverTest, HandlerSubstitutesADefault) {
  FailoverHooks<Quote> hooks;
  hooks.recovered_payload_handler = [](const RecoveryContext<Quote>& ctx) -> std::optional<Quote> {
    if (ctx.result.value.has_value()) return ctx.result.value;
    return MakeQuote(ctx.args[0].string_value(), -1);
  };
  auto quotes = Make(Options("quotes"), hooks);
  clock_.Advance(absl::Minutes(1));
  auto result = quotes->Call({"ZZZ"}, Fail(absl::UnavailableError("down")));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->value->symbol(), "ZZZ");
  EXPECT_EQ(result->value->px(), -1);
  EXPECT_FALSE(result->up_to_date);
  EXPECT_EQ(result->as_of, clock_.WallNow());
}

TEST_F(FailoverTest, FailoversOfOneDomainShareEntries) {
  FailoverOptions a = Options("quotes-v1");
  a.domain = "market";
  FailoverOptions b = Options("quotes-v2");
  b.domain = "market";
  auto v1 = Make(a);
  auto v2 = Make(b);
  ASSERT_TRUE(v1->Call({"EURUSD"}, Ok(MakeQuote("EURUSD", 1.25))).ok());
  auto recovered = v2->Call({"EURUSD"}, Fail(absl::UnavailableError("down")));
  ASSERT_TRUE(recovered.ok()) << recovered.status();
  EXPECT_EQ(recovered->value->px(), 1.25);
  EXPECT_TRUE(store_.Find("market", DefaultFailoverKey("market", {"EURUSD"}))->has_value());
}

TEST_F(FailoverTest, DuplicateNamesAreRejected) {
  auto first = Make(Options("quotes"));
  EXPECT_EQ(metrics_.GetGauge(FailoverRegistry::kRegisteredGauge).Value(), 1);
  auto second = Failover<Quote>::Create(Options("quotes"),
                                        std::make_unique<ProtoJsonCodec<Quote>>(), {}, deps_);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(second.status().message().find("'quotes'"), std::string::npos);
  first.reset();
  EXPECT_EQ(metrics_.GetGauge(FailoverRegistry::kRegisteredGauge).Value(), 0);
  EXPECT_NE(Make(Options("quotes")), nullptr);
}

}  // namespace
}  // namespace failover
