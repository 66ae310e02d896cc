#include "dashboard/fleet/sql_snapshot_repository.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "core/simulated_clock.h"
#include "core/testing/warning_log.h"
#include "dashboard/fleet/fleet_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store-jdbc/sql/internal/sql_database.h"
#include "store-jdbc/sql/sql_store.h"
#include "store-jdbc/sql/testing/postgres_server.h"

namespace failover {
namespace dashboard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// One server for the whole test binary; stopped at exit.
PostgresServer* SharedPostgres() {
  static PostgresServer* const server = [] {
    absl::StatusOr<std::unique_ptr<PostgresServer>> started = PostgresServer::Start();
    if (!started.ok()) {
      ADD_FAILURE() << "cannot start PostgreSQL: " << started.status();
      return static_cast<PostgresServer*>(nullptr);
    }
    return started->release();
  }();
  static const struct Stopper {
    ~Stopper() { delete server; }
  } stopper;
  return server;
}

v1::MetricsSnapshot Snapshot(const std::string& id, int64_t process_start, uint64_t sequence,
                             double calls, double open) {
  v1::MetricsSnapshot snapshot;
  snapshot.set_instance_id(id);
  snapshot.set_process_start_unix_nanos(process_start);
  snapshot.set_sequence(sequence);
  v1::MetricSeries* counter = snapshot.add_series();
  counter->set_name("calls");
  counter->set_counter(calls);
  v1::MetricSeries* gauge = snapshot.add_series();
  gauge->set_name("open");
  gauge->set_gauge(open);
  return snapshot;
}

v1::HeartbeatRequest Heartbeat(const std::string& id, int64_t process_start) {
  v1::HeartbeatRequest heartbeat;
  heartbeat.set_instance_id(id);
  heartbeat.set_process_start_unix_nanos(process_start);
  return heartbeat;
}

class SqlSnapshotRepositoryTest : public ::testing::TestWithParam<SqlDialect> {
 protected:
  void SetUp() override {
    config_.liveness_seconds = 60;
    config_.instance_retention = absl::Hours(1);
    if (GetParam() == SqlDialect::kSqlite) {
      const char* tmp = std::getenv("TEST_TMPDIR");
      const std::string name = absl::StrReplaceAll(
          ::testing::UnitTest::GetInstance()->current_test_info()->name(), {{"/", "_"}});
      const std::string path = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/", name, ".db");
      std::filesystem::remove(path);
      url_ = absl::StrCat("sqlite://", path);
    } else {
      PostgresServer* server = SharedPostgres();
      ASSERT_NE(server, nullptr);
      url_ = server->url();
    }
    static int next = 0;
    jdbc_.table_prefix = absl::StrCat("T", next++, "_");
  }

  std::unique_ptr<SnapshotRepository> Open() {
    absl::StatusOr<std::unique_ptr<SnapshotRepository>> repository =
        OpenSqlSnapshotRepository(url_, jdbc_, clock_);
    EXPECT_TRUE(repository.ok()) << repository.status();
    return repository.ok() ? std::move(*repository) : nullptr;
  }

  std::unique_ptr<FleetStore> NewStore() {
    absl::StatusOr<std::unique_ptr<FleetStore>> store =
        FleetStore::Create(clock_, config_, Open(), sink_);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // The table as SQL names it in this dialect.
  std::string Table(absl::string_view prefix) const {
    const std::string name = absl::StrCat(prefix, "FAILOVER_DASHBOARD_SNAPSHOT");
    return absl::StrCat(
        "\"", GetParam() == SqlDialect::kPostgres ? absl::AsciiStrToLower(name) : name, "\"");
  }

  absl::StatusOr<SqlRows> Query(const std::string& sql) {
    absl::StatusOr<std::shared_ptr<SqlDatabase>> db = OpenSqlDatabase(url_);
    if (!db.ok()) return db.status();
    return QueryRows(**db, sql);
  }

  SimulatedClock clock_;
  SharedStoreConfig config_;
  SnapshotJdbcConfig jdbc_;
  std::string url_;
  WarningLog warnings_;
  WarningSink sink_ = warnings_.Sink();
};

TEST_P(SqlSnapshotRepositoryTest, RestartedStoreShowsTheSameInstancesAndTotals) {
  std::vector<v1::MetricSeries> before;
  {
    auto store = NewStore();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat("a", 1)).ok());
    ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 1, 1, 10, 1)).ok());
    ASSERT_TRUE(store->AcceptSnapshot(Snapshot("a", 2, 3, 4, 2)).ok());  // restart
    ASSERT_TRUE(store->AcceptSnapshot(Snapshot("gone", 1, 1, 100, 7)).ok());
    clock_.Advance(absl::Minutes(50));
    ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat("a", 2)).ok());
    ASSERT_TRUE(store->AcceptSnapshot(Snapshot("b", 1, 1, 5, 3)).ok());
    clock_.Advance(absl::Minutes(11));
    store->RetireExpired();  // "gone" retires into the totals
    ASSERT_TRUE(store->Flush().ok());
    before = *store->Series();
  }
  absl::StatusOr<SqlRows> rows =
      Query(absl::StrCat("SELECT COUNT(*) FROM ", Table(jdbc_.table_prefix)));
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ((*rows)[0][0], "3");  // a, b and the retired totals

  auto store = NewStore();
  ASSERT_NE(store, nullptr);
  std::vector<InstanceStatus> instances = store->Instances();
  ASSERT_EQ(instances.size(), 2u);
  EXPECT_EQ(instances[0].instance_id, "a");
  EXPECT_EQ(instances[0].liveness, Liveness::kDown);  // heartbeat 11 min ago
  EXPECT_EQ(instances[0].restarts, 1u);
  EXPECT_EQ(instances[0].sequence, 3u);
  EXPECT_EQ(instances[0].process_start, absl::FromUnixNanos(2));
  EXPECT_EQ(instances[0].last_heartbeat_at, clock_.WallNow() - absl::Minutes(11));
  EXPECT_EQ(instances[1].instance_id, "b");
  EXPECT_EQ(instances[1].liveness, Liveness::kUnknown);
  std::vector<v1::MetricSeries> after = *store->Series();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].SerializeAsString(), before[i].SerializeAsString()) << i;
  }
  EXPECT_DOUBLE_EQ(after[0].counter(), 119);  // 10 before a's restart + 4 + b's 5 + gone's 100
  ASSERT_TRUE(store->AcceptHeartbeat(Heartbeat("a", 2)).ok());
  EXPECT_EQ(store->Instances()[0].liveness, Liveness::kLive);
}

TEST_P(SqlSnapshotRepositoryTest, MissingTableWithoutAutoDdlIsAClearError) {
  jdbc_.auto_ddl = false;
  absl::StatusOr<std::unique_ptr<SnapshotRepository>> repository =
      OpenSqlSnapshotRepository(url_, jdbc_, clock_);
  EXPECT_EQ(repository.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(repository.status().message()),
              HasSubstr(absl::StrCat("table ", jdbc_.table_prefix,
                                     "FAILOVER_DASHBOARD_SNAPSHOT does not exist and "
                                     "failover.dashboard.cluster.shared-store.jdbc.auto-ddl is "
                                     "false; create it with: CREATE TABLE")));
  jdbc_.auto_ddl = true;
  ASSERT_NE(Open(), nullptr);
  jdbc_.auto_ddl = false;
  EXPECT_NE(Open(), nullptr);
}

TEST_P(SqlSnapshotRepositoryTest, TablePrefixNamesTheTable) {
  jdbc_.table_prefix = "MYAPP_";
  auto repository = Open();
  ASSERT_NE(repository, nullptr);
  InstanceRecord record;
  record.snapshot = Snapshot("a", 1, 1, 1, 1);
  ASSERT_TRUE(repository->Save(record).ok());
  absl::StatusOr<SqlRows> rows = Query(absl::StrCat("SELECT INSTANCE_ID FROM ", Table("MYAPP_")));
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0][0], "a");
  ASSERT_TRUE(repository->Delete("a").ok());
  EXPECT_TRUE(repository->LoadAll()->instances.empty());
}

TEST_P(SqlSnapshotRepositoryTest, SchemaQualifiedPrefixWorks) {
  jdbc_.table_prefix = "dash.P_";
  auto repository = Open();
  ASSERT_NE(repository, nullptr);
  InstanceRecord record;
  record.snapshot = Snapshot("a", 1, 1, 1, 1);
  record.last_heartbeat_at = absl::FromUnixSeconds(1700000000);
  ASSERT_TRUE(repository->Save(record).ok());
  absl::StatusOr<RepositoryContents> contents = Open()->LoadAll();
  ASSERT_TRUE(contents.ok()) << contents.status();
  ASSERT_EQ(contents->instances.size(), 1u);
  EXPECT_EQ(contents->instances[0].last_heartbeat_at, absl::FromUnixSeconds(1700000000));
  EXPECT_EQ(contents->instances[0].last_snapshot_at, absl::InfinitePast());
}

TEST_P(SqlSnapshotRepositoryTest, BadPrefixAndUrlAreRejectedNamingTheProperty) {
  jdbc_.table_prefix = "A;B";
  absl::StatusOr<std::unique_ptr<SnapshotRepository>> repository =
      OpenSqlSnapshotRepository(url_, jdbc_, clock_);
  EXPECT_EQ(repository.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(repository.status().message()),
              HasSubstr("failover.dashboard.cluster.shared-store.jdbc.table-prefix: 'A;B'"));
  jdbc_.table_prefix = "a.b.C_";
  repository = OpenSqlSnapshotRepository(url_, jdbc_, clock_);
  EXPECT_THAT(std::string(repository.status().message()), HasSubstr("more than one qualifier"));
  repository = OpenSqlSnapshotRepository(" ", jdbc_, clock_);
  EXPECT_THAT(std::string(repository.status().message()),
              HasSubstr("failover.dashboard.cluster.shared-store.jdbc.url: blank"));
}

TEST_P(SqlSnapshotRepositoryTest, PasswordsNeverAppearInMessages) {
  std::string url = "mysql://app:s3cr3t@db:3306/x";
  if (GetParam() == SqlDialect::kPostgres) {
    url = absl::StrReplaceAll(url_, {{SharedPostgres()->password(), "s3cr3t"}});
  }
  absl::StatusOr<std::unique_ptr<SnapshotRepository>> repository =
      OpenSqlSnapshotRepository(url, jdbc_, clock_);
  ASSERT_FALSE(repository.ok());
  EXPECT_THAT(std::string(repository.status().message()), Not(HasSubstr("s3cr3t")));
  EXPECT_THAT(std::string(repository.status().message()),
              HasSubstr("failover.dashboard.cluster.shared-store.jdbc.url"));
}

TEST_P(SqlSnapshotRepositoryTest, UnreadableRowIsDataLossNamingTheInstance) {
  auto repository = Open();
  ASSERT_NE(repository, nullptr);
  InstanceRecord record;
  record.snapshot = Snapshot("a", 1, 1, 1, 1);
  ASSERT_TRUE(repository->Save(record).ok());
  ASSERT_TRUE(
      Query(absl::StrCat("UPDATE ", Table(jdbc_.table_prefix), " SET SNAPSHOT = '!!'")).ok());
  absl::StatusOr<RepositoryContents> contents = repository->LoadAll();
  EXPECT_EQ(contents.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(contents.status().message()),
              HasSubstr("the row of 'a' has an unreadable SNAPSHOT"));
}

INSTANTIATE_TEST_SUITE_P(Dialects, SqlSnapshotRepositoryTest,
                         ::testing::Values(SqlDialect::kSqlite, SqlDialect::kPostgres),
                         [](const ::testing::TestParamInfo<SqlDialect>& info) {
                           return info.param == SqlDialect::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace dashboard
}  // namespace failover
