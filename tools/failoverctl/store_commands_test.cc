// failoverctl store, in process, against a real SQLite file described by a YAML config.
#include "tools/failoverctl/store_commands.h"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "store-jdbc/call/key_generator.h"
#include "store-jdbc/sql/sql_store.h"
#include "tools/failoverctl/failoverctl.h"

namespace failover {
namespace {

struct CommandRun {
  int code;
  std::string out;
  std::string err;
};

CommandRun Failoverctl(std::vector<std::string> args, const Environment& env = {}) {
  std::ostringstream out, err;
  const int code = RunFailoverctl(args, env, out, err);
  return CommandRun{code, out.str(), err.str()};
}

class StoreCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = std::getenv("TEST_TMPDIR");
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    db_ = absl::StrCat(dir, "/", name, ".db");
    config_ = absl::StrCat(dir, "/", name, ".yml");
    std::ofstream(config_) << "failover:\n  store:\n    type: jdbc\n    jdbc:\n      url: sqlite://"
                           << db_
                           << "\n      table-prefix: CLI_\n      allowed-payload-classes: "
                              "[com.acme]\n";
  }

  std::vector<std::string> With(std::vector<std::string> args) {
    args.insert(args.begin() + 2, {"--config", config_});
    return args;
  }

  std::string db_;
  std::string config_;
};

TEST_F(StoreCommandsTest, KeyIsTheJavaFrameworksKey) {
  CommandRun run = Failoverctl({"store", "key", "--name", "failover-X", "key-X"});
  EXPECT_EQ(run.code, kExitOk) << run.err;
  EXPECT_EQ(run.out, "ab731e45-8d4d-330c-b9a8-00651916d239\n");
  CommandRun two = Failoverctl({"store", "key", "--name", "quotes", "x", "y"});
  EXPECT_EQ(two.out, DefaultFailoverKey("quotes", {"x", "y"}) + "\n");
  CommandRun none = Failoverctl({"store", "key", "--name", "quotes"});
  EXPECT_EQ(none.out, DefaultFailoverKey("quotes", {}) + "\n");
}

TEST_F(StoreCommandsTest, PutGetListDelete) {
  CommandRun put = Failoverctl(With({"store", "put", "--name", "quotes", "--args", "EUR",
                                     "--payload", R"({"px":1.1})", "--type", "com.acme.Quote"}));
  ASSERT_EQ(put.code, kExitOk) << put.err;
  EXPECT_TRUE(absl::StartsWith(put.out, "STORED quotes ")) << put.out;

  CommandRun get = Failoverctl(With({"store", "get", "--name", "quotes", "--args", "EUR"}));
  EXPECT_EQ(get.code, kExitOk) << get.err;
  EXPECT_EQ(get.out, "{\"px\":1.1}\n");

  CommandRun list = Failoverctl(With({"store", "list", "--name", "quotes"}));
  EXPECT_EQ(list.code, kExitOk) << list.err;
  EXPECT_TRUE(absl::StartsWith(list.out, DefaultFailoverKey("quotes", {"EUR"}))) << list.out;
  EXPECT_TRUE(absl::StrContains(list.err, "1 entry in 'quotes'"));

  CommandRun del = Failoverctl(With({"store", "delete", "--name", "quotes", "--args", "EUR"}));
  EXPECT_EQ(del.code, kExitOk) << del.err;
  CommandRun gone = Failoverctl(With({"store", "get", "--name", "quotes", "--args", "EUR"}));
  EXPECT_EQ(gone.code, kExitNoStoredEntry);
  EXPECT_TRUE(absl::StartsWith(gone.err, "MISSING quotes ")) << gone.err;
}

TEST_F(StoreCommandsTest, ExpiredEntriesAreNotServedAndCleanRemovesOnlyThem) {
  absl::StatusOr<std::shared_ptr<SqlDatabase>> db = OpenSqlDatabase(absl::StrCat("sqlite://", db_));
  ASSERT_TRUE(db.ok()) << db.status();
  absl::StatusOr<std::unique_ptr<FailoverStore>> table =
      NewSqlFailoverStore(*db, SqlTableOptions{"CLI_", ""});
  ASSERT_TRUE(table.ok()) << table.status();
  const absl::Time now = absl::Now();
  const std::string old_key = DefaultFailoverKey("quotes", {"old"});
  ASSERT_TRUE((*table)
                  ->Store({"quotes", old_key, now - absl::Hours(2), now - absl::Hours(1), "{}",
                           "com.acme.Quote"})
                  .ok());
  ASSERT_EQ(Failoverctl(With({"store", "put", "--name", "quotes", "--args", "new", "--payload",
                              "[1,2]", "--type", "com.acme.Quote"}))
                .code,
            kExitOk);

  CommandRun expired = Failoverctl(With({"store", "get", "--name", "quotes", "--args", "old"}));
  EXPECT_EQ(expired.code, kExitNoStoredEntry);
  EXPECT_TRUE(absl::StrContains(expired.err, "EXPIRED")) << expired.err;
  EXPECT_EQ(expired.out, "");

  CommandRun clean = Failoverctl(With({"store", "clean"}));
  EXPECT_EQ(clean.code, kExitOk) << clean.err;
  EXPECT_EQ(clean.out, "REMOVED 1 expired entries\n");
  EXPECT_FALSE((*table)->Find("quotes", old_key)->has_value());
  EXPECT_TRUE((*table)->Find("quotes", DefaultFailoverKey("quotes", {"new"}))->has_value());
}

TEST_F(StoreCommandsTest, BadInputIsRejectedAndNamed) {
  CommandRun bad_json = Failoverctl(
      With({"store", "put", "--name", "q", "--payload", "{oops", "--type", "com.acme.Quote"}));
  EXPECT_EQ(bad_json.code, kExitInvalid);
  EXPECT_TRUE(absl::StrContains(bad_json.err, "--payload is not valid JSON")) << bad_json.err;

  CommandRun denied = Failoverctl(
      With({"store", "put", "--name", "q", "--payload", "1", "--type", "com.acmex.Evil"}));
  ASSERT_EQ(denied.code, kExitOk) << denied.err;  // writes are not checked; reads are
  CommandRun read = Failoverctl(With({"store", "get", "--name", "q"}));
  EXPECT_EQ(read.code, kExitInvalid);
  EXPECT_TRUE(absl::StrContains(read.err, "com.acmex.Evil")) << read.err;

  EXPECT_EQ(Failoverctl({"store", "get", "--name", "q"}).code, kExitUsage);  // no --config
  EXPECT_EQ(Failoverctl({"store", "frobnicate"}).code, kExitUsage);
  EXPECT_EQ(Failoverctl(With({"store", "get", "--name", "q", "--key", "k", "--args", "a"})).code,
            kExitUsage);

  CommandRun tenant = Failoverctl(With({"store", "get", "--name", "other", "--tenant", "x"}));
  EXPECT_EQ(tenant.code, kExitNoStoredEntry) << tenant.err;  // multitenancy off: ignored
}

}  // namespace
}  // namespace failover
