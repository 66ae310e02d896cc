#include "store-jdbc/scheduling/store_maintenance.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/civil_time.h"
#include "core/config/failover_config_loader.h"
#include "core/simulated_clock.h"
#include "core/sync.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2024, 1, 1, 0, 0, 0), absl::UTCTimeZone());

// A map-backed store whose CleanByExpiry can be made to fail. Thread-safe.
class TestStore final : public FailoverStore {
 public:
  absl::Status Store(const FailoverStoreEntry& entry) override {
    MutexLock lock(&mu_);
    entries_[{entry.name, entry.key}] = entry;
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<FailoverStoreEntry>> Find(absl::string_view name,
                                                         absl::string_view key) override {
    MutexLock lock(&mu_);
    auto it = entries_.find({std::string(name), std::string(key)});
    if (it == entries_.end()) return std::optional<FailoverStoreEntry>();
    return std::optional<FailoverStoreEntry>(it->second);
  }
  absl::StatusOr<std::vector<FailoverStoreEntry>> FindAll(absl::string_view name) override {
    MutexLock lock(&mu_);
    std::vector<FailoverStoreEntry> out;
    for (const auto& [id, entry] : entries_) {
      if (id.first == name) out.push_back(entry);
    }
    return out;
  }
  absl::Status Delete(absl::string_view name, absl::string_view key) override {
    MutexLock lock(&mu_);
    entries_.erase({std::string(name), std::string(key)});
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> CleanByExpiry(absl::Time now) override {
    MutexLock lock(&mu_);
    clean_times_.push_back(now);
    if (failures_left_ > 0) {
      --failures_left_;
      return absl::UnavailableError("test store: database is down");
    }
    int64_t removed = 0;
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (it->second.expire_on < now) {
        it = entries_.erase(it);
        ++removed;
      } else {
        ++it;
      }
    }
    return removed;
  }

  void FailNextCleans(int n) {
    MutexLock lock(&mu_);
    failures_left_ = n;
  }
  std::vector<absl::Time> clean_times() {
    MutexLock lock(&mu_);
    return clean_times_;
  }
  size_t size() {
    MutexLock lock(&mu_);
    return entries_.size();
  }

 private:
  Mutex mu_;
  std::map<std::pair<std::string, std::string>, FailoverStoreEntry> entries_ ABSL_GUARDED_BY(mu_);
  std::vector<absl::Time> clean_times_ ABSL_GUARDED_BY(mu_);
  int failures_left_ ABSL_GUARDED_BY(mu_) = 0;
};

class StoreMaintenanceTest : public ::testing::Test {
 protected:
  StoreMaintenanceOptions Options() {
    StoreMaintenanceOptions options;
    options.report_sink = [this](const std::vector<FailoverSummary>& summaries) {
      MutexLock lock(&mu_);
      reports_.push_back(summaries);
    };
    options.warnings = [this](absl::string_view message) {
      MutexLock lock(&mu_);
      warnings_.emplace_back(message);
    };
    return options;
  }
  std::unique_ptr<StoreMaintenance> Start(const SchedulerConfig& config) {
    absl::StatusOr<std::unique_ptr<StoreMaintenance>> started =
        StartStoreMaintenance(config, store_, registry_, clock_, Options());
    EXPECT_TRUE(started.ok()) << started.status();
    return started.ok() ? *std::move(started) : nullptr;
  }
  void Put(absl::string_view key, absl::Duration expires_in) {
    ASSERT_TRUE(
        store_.Store({"quotes", std::string(key), kStart, kStart + expires_in, "{}", "Q"}).ok());
  }
  double Value(absl::string_view meter) {
    const MetricsSnapshot snapshot = registry_.Snapshot();
    const SeriesSnapshot* series = snapshot.Find(meter);
    return series == nullptr ? -1 : series->value;
  }
  void Count(absl::string_view meter, const Tags& tags, uint64_t n) {
    registry_.GetCounter(meter, tags).Increment(n);
  }
  std::vector<std::vector<FailoverSummary>> reports() {
    MutexLock lock(&mu_);
    return reports_;
  }
  std::vector<std::string> warnings() {
    MutexLock lock(&mu_);
    return warnings_;
  }

  SimulatedClock clock_{MonotonicTime::FromNanos(1'000'000'000), kStart};
  TestStore store_;
  MetricsRegistry registry_;
  Mutex mu_;
  std::vector<std::vector<FailoverSummary>> reports_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> warnings_ ABSL_GUARDED_BY(mu_);
};

TEST_F(StoreMaintenanceTest, CleanupRunsHourlyAndRemovesOnlyExpiredEntries) {
  Put("a", absl::Minutes(30));
  Put("b", absl::Minutes(90));
  Put("c", absl::Hours(10));
  Put("d", absl::Hours(2));  // expires exactly at the 02:00 run: still live then
  auto maintenance = Start(SchedulerConfig{});
  EXPECT_EQ(maintenance->next_cleanup(), kStart + absl::Hours(1));
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(store_.size(), 3u);
  EXPECT_EQ(Value(StoreMaintenance::kCleanupLastRemoved), 1);
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(store_.size(), 2u);
  EXPECT_EQ(Value(StoreMaintenance::kCleanupLastRemoved), 1);
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(store_.size(), 1u);  // only "c"
  EXPECT_TRUE(store_.Find("quotes", "c")->has_value());
  EXPECT_EQ(Value(StoreMaintenance::kCleanupTotal), 3);
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(Value(StoreMaintenance::kCleanupLastRemoved), 0);
  EXPECT_EQ(store_.clean_times(),
            (std::vector<absl::Time>{kStart + absl::Hours(1), kStart + absl::Hours(2),
                                     kStart + absl::Hours(3), kStart + absl::Hours(4)}));
  EXPECT_EQ(Value(StoreMaintenance::kCleanupErrors), 0);
  EXPECT_TRUE(reports().empty());  // the daily report is not due yet
}

TEST_F(StoreMaintenanceTest, DailyReportOfTheWorkedExample) {
  Count("failover.store.total", {{"name", "quotes"}, {"stored", "true"}}, 90);
  const Tags outcome{{"name", "quotes"}, {"domain", "orders"}};
  Count("failover.recovery.outcome.total", outcome.With("outcome", "recovered"), 8);
  Count("failover.recovery.outcome.total", outcome.With("outcome", "not_recovered"), 1);
  Count("failover.recovery.outcome.total", outcome.With("outcome", "error"), 1);
  auto maintenance = Start(SchedulerConfig{});
  clock_.Advance(absl::Hours(23));
  EXPECT_TRUE(reports().empty());
  clock_.Advance(absl::Hours(1));  // midnight
  ASSERT_EQ(reports().size(), 1u);
  ASSERT_EQ(reports()[0].size(), 1u);
  const FailoverSummary s = reports()[0][0];
  EXPECT_EQ(s.name, "quotes");
  EXPECT_DOUBLE_EQ(s.success_rate, 0.90);
  EXPECT_DOUBLE_EQ(s.failover_rate, 0.10);
  EXPECT_DOUBLE_EQ(s.recovery_rate, 0.80);
  EXPECT_DOUBLE_EQ(s.non_recovery_rate, 0.20);
  EXPECT_DOUBLE_EQ(s.healthy_rate, 0.98);
  EXPECT_EQ(s.health, FailoverHealth::kDegraded);
  EXPECT_EQ(maintenance->next_report(), kStart + absl::Hours(48));
}

TEST_F(StoreMaintenanceTest, ReportRefreshesThePerFailoverGauges) {
  // The worked example, on the storage namespace "orders" (its domain): 3 entries, 1 expired.
  Count("failover.store.total", {{"name", "quotes"}, {"stored", "true"}}, 90);
  const Tags outcome{{"name", "quotes"}, {"domain", "orders"}};
  Count("failover.recovery.outcome.total", outcome.With("outcome", "recovered"), 8);
  Count("failover.recovery.outcome.total", outcome.With("outcome", "not_recovered"), 1);
  Count("failover.recovery.outcome.total", outcome.With("outcome", "error"), 1);
  for (const char* key : {"a", "b"}) {
    ASSERT_TRUE(store_.Store({"orders", key, kStart, kStart + absl::Hours(48), "{}", "Q"}).ok());
  }
  ASSERT_TRUE(store_.Store({"orders", "old", kStart, kStart + absl::Hours(1), "{}", "Q"}).ok());
  ASSERT_TRUE(store_.Store({"quotes", "other", kStart, kStart + absl::Hours(48), "{}", "Q"}).ok());
  SchedulerConfig config;
  config.cleanup_cron = "-";  // the expired entry stays in the store; it is not counted as live
  auto maintenance = Start(config);
  clock_.Advance(absl::Hours(24));
  ASSERT_EQ(reports().size(), 1u);
  const MetricsSnapshot snapshot = registry_.Snapshot();
  const Tags name{{"name", "quotes"}};
  ASSERT_NE(snapshot.Find(StoreMaintenance::kApiHealth, name), nullptr);
  EXPECT_DOUBLE_EQ(snapshot.Find(StoreMaintenance::kApiHealth, name)->value, 0.98);
  EXPECT_DOUBLE_EQ(snapshot.Find(StoreMaintenance::kStaleServedRatio, name)->value, 8.0 / 98);
  EXPECT_DOUBLE_EQ(snapshot.Find(StoreMaintenance::kLiveEntries, name)->value, 2);
}

TEST_F(StoreMaintenanceTest, ReportCoversEveryFailover) {
  SchedulerConfig config;
  config.report_cron = "0 */10 * * * *";
  Count("failover.store.total", {{"name", "rates"}, {"stored", "true"}}, 5);
  Count("failover.recovery.outcome.total", {{"name", "rates"}, {"outcome", "not_recovered"}}, 5);
  Count("failover.store.total", {{"name", "quotes"}, {"stored", "true"}}, 100);
  auto maintenance = Start(config);
  clock_.Advance(absl::Minutes(10));
  ASSERT_EQ(reports().size(), 1u);
  const std::vector<FailoverSummary> first = reports()[0];
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].name, "quotes");
  EXPECT_EQ(first[0].health, FailoverHealth::kHealthy);
  EXPECT_EQ(first[1].name, "rates");
  EXPECT_DOUBLE_EQ(first[1].healthy_rate, 0.5);
  EXPECT_EQ(first[1].health, FailoverHealth::kUnhealthy);
  // The next report sees counters that moved in between.
  Count("failover.recovery.outcome.total", {{"name", "rates"}, {"outcome", "recovered"}}, 90);
  clock_.Advance(absl::Minutes(10));
  ASSERT_EQ(reports().size(), 2u);
  EXPECT_DOUBLE_EQ(reports()[1][1].healthy_rate, 0.95);
  EXPECT_EQ(reports()[1][1].health, FailoverHealth::kDegraded);
}

TEST_F(StoreMaintenanceTest, DisabledSchedulerSchedulesNothing) {
  SchedulerConfig off;
  off.enabled = false;
  Put("a", absl::Minutes(1));
  auto maintenance = Start(off);
  EXPECT_FALSE(clock_.NextTimerDue().has_value());
  clock_.Advance(absl::Hours(48));
  EXPECT_TRUE(store_.clean_times().empty());
  EXPECT_TRUE(reports().empty());

  SchedulerConfig report_only;
  report_only.cleanup_cron = "-";
  auto second = Start(report_only);
  EXPECT_FALSE(second->next_cleanup().has_value());
  EXPECT_TRUE(second->next_report().has_value());
  clock_.Advance(absl::Hours(24));
  EXPECT_TRUE(store_.clean_times().empty());
  EXPECT_EQ(reports().size(), 1u);
}

TEST_F(StoreMaintenanceTest, FailedCleanupIsReportedAndTheNextRunStillHappens) {
  Put("a", absl::Minutes(30));
  store_.FailNextCleans(1);
  auto maintenance = Start(SchedulerConfig{});
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(store_.size(), 1u);
  EXPECT_EQ(Value(StoreMaintenance::kCleanupErrors), 1);
  ASSERT_EQ(warnings().size(), 1u);
  EXPECT_TRUE(absl::StrContains(warnings()[0], "failover.scheduler.cleanup-cron"));
  EXPECT_TRUE(absl::StrContains(warnings()[0], "database is down"));
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(store_.size(), 0u);
  EXPECT_EQ(Value(StoreMaintenance::kCleanupTotal), 1);
  EXPECT_EQ(Value(StoreMaintenance::kCleanupErrors), 1);
}

TEST_F(StoreMaintenanceTest, StopAndDestructionCancelTheJobs) {
  auto maintenance = Start(SchedulerConfig{});
  EXPECT_TRUE(clock_.NextTimerDue().has_value());
  maintenance->Stop();
  EXPECT_FALSE(clock_.NextTimerDue().has_value());
  maintenance = Start(SchedulerConfig{});
  maintenance.reset();
  EXPECT_FALSE(clock_.NextTimerDue().has_value());
  clock_.Advance(absl::Hours(24));
  EXPECT_TRUE(store_.clean_times().empty());
}

TEST_F(StoreMaintenanceTest, BadCronIsRejectedNamingTheKey) {
  SchedulerConfig config;
  config.cleanup_cron = "61 * * * * *";
  absl::StatusOr<std::unique_ptr<StoreMaintenance>> started =
      StartStoreMaintenance(config, store_, registry_, clock_, Options());
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.status().message(),
            "failover.scheduler.cleanup-cron: '61 * * * * *' is not a cron expression: second "
            "'61': 61 is out of range 0-59");
  EXPECT_FALSE(clock_.NextTimerDue().has_value());
}

TEST(StoreMaintenanceConfigTest, ConfigLoadRejectsAnOutOfRangeCron) {
  absl::StatusOr<FailoverConfig> config =
      LoadFailoverConfig("failover:\n  scheduler:\n    cleanup-cron: '61 * * * * *'\n", {});
  ASSERT_FALSE(config.ok());
  EXPECT_TRUE(absl::StrContains(config.status().message(),
                                "failover.scheduler.cleanup-cron: '61 * * * * *' is not a cron "
                                "expression: second '61': 61 is out of range 0-59"))
      << config.status();
  EXPECT_TRUE(LoadFailoverConfig("failover:\n  scheduler:\n    cleanup-cron: '-'\n", {}).ok());
}

}  // namespace
}  // namespace failover
