// The failover call wrapper over every backend failover.store.type offers, each built from YAML by
// NewFailoverStore exactly as an application builds it: inmemory, caffeine, jdbc on a real SQLite
// file and jdbc on a real PostgreSQL 15 server started for this test. Time is simulated; the
// stores are real.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "core/config/failover_config_loader.h"
#include "core/metrics/metrics_registry.h"
#include "core/simulated_clock.h"
#include "gtest/gtest.h"
#include "store-jdbc/call/failover.h"
#include "store-jdbc/call/failover_registry.h"
#include "store-jdbc/call/key_generator.h"
#include "store-jdbc/call/payload_codec.h"
#include "store-jdbc/store_factory.h"
#include "tests/store-jdbc/backend_fixture.h"

namespace failover {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'750'000'000);

class FailoverBackendsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    absl::StatusOr<FailoverConfig> config = LoadBackendConfig(GetParam(), "[java.lang.String]");
    ASSERT_TRUE(config.ok()) << config.status();
    FailoverStoreDeps deps;
    deps.clock = &clock_;
    absl::StatusOr<std::unique_ptr<ConfiguredFailoverStore>> store =
        NewFailoverStore(config->store, std::move(deps));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    name_ = BackendTestNamespace(GetParam());
  }

  std::unique_ptr<Failover<std::string>> NewFailover(ExceptionPolicy policy) {
    FailoverOptions options;
    options.name = name_;
    options.expiry = absl::Hours(1);
    options.exception_policy = policy;
    absl::StatusOr<std::unique_ptr<Failover<std::string>>> failover = Failover<std::string>::Create(
        options, std::make_unique<StringCodec>(), {}, {*store_, clock_, registry_});
    EXPECT_TRUE(failover.ok()) << failover.status();
    return failover.ok() ? *std::move(failover) : nullptr;
  }

  SimulatedClock clock_{MonotonicTime::FromNanos(0), kStart};
  MetricsRegistry metrics_;
  FailoverRegistry registry_{metrics_};
  std::unique_ptr<ConfiguredFailoverStore> store_;
  std::string name_;
};

const absl::Status kDown = absl::UnavailableError("quotes service is down");

TEST_P(FailoverBackendsTest, StoresRecoversOverwritesAndExpires) {
  std::unique_ptr<Failover<std::string>> quotes = NewFailover(ExceptionPolicy::kRethrow);
  ASSERT_NE(quotes, nullptr);
  auto up = [](std::string v) { return [v]() -> absl::StatusOr<std::string> { return v; }; };
  auto down = []() -> absl::StatusOr<std::string> { return kDown; };

  absl::StatusOr<FailoverResult<std::string>> live = quotes->Call({"EUR", 1}, up("1.10"));
  ASSERT_TRUE(live.ok() && live->up_to_date && *live->value == "1.10");

  clock_.Advance(absl::Minutes(5));
  absl::StatusOr<FailoverResult<std::string>> recovered = quotes->Call({"EUR", 1}, down);
  ASSERT_TRUE(recovered.ok()) << recovered.status();
  EXPECT_EQ(*recovered->value, "1.10");
  EXPECT_FALSE(recovered->up_to_date);
  EXPECT_EQ(recovered->as_of, kStart);
  ASSERT_TRUE(recovered->failure.has_value());
  EXPECT_EQ(recovered->failure->status, kDown);

  // Overwrite: one row, the new payload, a refreshed as-of and expiry.
  ASSERT_TRUE(quotes->Call({"EUR", 1}, up("1.20")).ok());
  clock_.Advance(absl::Minutes(50));  // 55 min after the first store, 50 after the second
  absl::StatusOr<FailoverResult<std::string>> refreshed = quotes->Call({"EUR", 1}, down);
  ASSERT_TRUE(refreshed.ok()) << refreshed.status();
  EXPECT_EQ(*refreshed->value, "1.20");
  EXPECT_EQ(refreshed->as_of, kStart + absl::Minutes(5));
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(store_->FindAll(name_)->size(), 1u);

  // The row's key is the Java framework's key for ("EUR", 1) in this namespace.
  const std::string java_key = DefaultFailoverKey(name_, {"EUR", 1});
  EXPECT_TRUE(store_->Find(name_, java_key)->has_value());

  // Past expiry: not served, the original error comes back, the row is deleted.
  clock_.Advance(absl::Minutes(11));
  absl::StatusOr<FailoverResult<std::string>> expired = quotes->Call({"EUR", 1}, down);
  EXPECT_EQ(expired.status(), kDown);
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_FALSE(store_->Find(name_, java_key)->has_value());
}

TEST_P(FailoverBackendsTest, MissingEntriesRethrowOrReturnEmptyAndValidationErrorsPassThrough) {
  std::unique_ptr<Failover<std::string>> rethrow = NewFailover(ExceptionPolicy::kRethrow);
  ASSERT_NE(rethrow, nullptr);
  EXPECT_EQ(
      rethrow->Call({"never-stored"}, [] { return absl::StatusOr<std::string>(kDown); }).status(),
      kDown);
  const absl::Status invalid = absl::InvalidArgumentError("bad currency");
  ASSERT_TRUE(rethrow->Call({"GBP"}, [] { return absl::StatusOr<std::string>("0.85"); }).ok());
  EXPECT_EQ(rethrow->Call({"GBP"}, [&] { return absl::StatusOr<std::string>(invalid); }).status(),
            invalid);
  rethrow.reset();  // frees the name for a failover with another policy

  std::unique_ptr<Failover<std::string>> quiet = NewFailover(ExceptionPolicy::kNeverThrow);
  ASSERT_NE(quiet, nullptr);
  absl::StatusOr<FailoverResult<std::string>> empty =
      quiet->Call({"never-stored"}, [] { return absl::StatusOr<std::string>(kDown); });
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_FALSE(empty->value.has_value());
}

TEST_P(FailoverBackendsTest, CleanupRemovesOnlyExpiredEntries) {
  std::unique_ptr<Failover<std::string>> quotes = NewFailover(ExceptionPolicy::kRethrow);
  ASSERT_NE(quotes, nullptr);
  ASSERT_TRUE(quotes->Call({"old"}, [] { return absl::StatusOr<std::string>("1"); }).ok());
  clock_.Advance(absl::Minutes(45));
  ASSERT_TRUE(quotes->Call({"new"}, [] { return absl::StatusOr<std::string>("2"); }).ok());
  clock_.Advance(absl::Minutes(30));  // "old" expired 15 min ago, "new" lives 30 min more
  ASSERT_TRUE(store_->Flush().ok());
  absl::StatusOr<int64_t> removed = store_->CleanByExpiry(clock_.WallNow());
  ASSERT_TRUE(removed.ok()) << removed.status();
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_FALSE(store_->Find(name_, DefaultFailoverKey(name_, {"old"}))->has_value());
  EXPECT_TRUE(store_->Find(name_, DefaultFailoverKey(name_, {"new"}))->has_value());
}

INSTANTIATE_TEST_SUITE_P(EveryBackend, FailoverBackendsTest, ::testing::ValuesIn(EveryBackend()),
                         BackendTestName);

}  // namespace
}  // namespace failover
