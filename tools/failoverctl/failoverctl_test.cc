#include "tools/failoverctl/failoverctl.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

constexpr char kValid[] = "tools/failoverctl/testdata/valid.yml";
constexpr char kTypo[] = "tools/failoverctl/testdata/typo.yml";
constexpr char kRedis[] = "tools/failoverctl/testdata/redis.yml";
constexpr char kRedisInvalid[] = "tools/failoverctl/testdata/redis_invalid.yml";
constexpr char kNaming[] = "tools/failoverctl/testdata/naming.yml";
constexpr char kNamingInvalid[] = "tools/failoverctl/testdata/naming_invalid.yml";

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

TEST(FailoverctlTest, CheckValidFilePrintsOneLineSummary) {
  CommandRun run = Failoverctl({"config", "check", kValid});
  EXPECT_EQ(run.code, kExitOk) << run.out << run.err;
  EXPECT_EQ(run.out, absl::StrCat("OK: ", kValid,
                                  ": 5 properties set, store=JDBC, type=RESILIENCE, dashboard "
                                  "enabled at /ops/failover\n"));
  EXPECT_EQ(run.err, "");
}

TEST(FailoverctlTest, CheckInvalidFileListsEveryProblem) {
  CommandRun run = Failoverctl({"config", "check", kTypo});
  EXPECT_EQ(run.code, kExitInvalid);
  EXPECT_EQ(run.out,
            absl::StrCat(kTypo,
                         ":3:5: failover.stor.type: unknown property; did you mean "
                         "failover.store.type?\n",
                         kTypo,
                         ":5:14: failover.scatter.timeout: 'ten seconds' is not a duration "
                         "(expected e.g. 500ms, 10s, 7d or PT10S)\n",
                         "INVALID: ", kTypo, ": 2 problems\n"));
}

TEST(FailoverctlTest, EnvironmentOverridesAreAppliedAndNamed) {
  const Environment env = {{"FAILOVER_STORE_TYPE", "caffeine"},
                           {"FAILOVER_HOME", "/opt/failover"},
                           {"FAILOVER_STORE_TPYE", "x"}};
  CommandRun run = Failoverctl({"config", "check", kValid}, env);
  EXPECT_EQ(run.code, kExitOk);
  EXPECT_TRUE(absl::StrContains(run.out, "store=CAFFEINE"));
  EXPECT_TRUE(absl::StrContains(run.out, "environment overrides: FAILOVER_STORE_TYPE\n"));
  EXPECT_EQ(run.err,
            "warning: env FAILOVER_STORE_TPYE: does not match any property; ignored (did you "
            "mean FAILOVER_STORE_TYPE?)\n");

  CommandRun no_env = Failoverctl({"config", "check", "--no-env", kValid}, env);
  EXPECT_TRUE(absl::StrContains(no_env.out, "store=JDBC"));
  EXPECT_EQ(no_env.err, "");
}

TEST(FailoverctlTest, BadEnvironmentValueNamesTheVariable) {
  CommandRun run = Failoverctl({"config", "check", kValid}, {{"FAILOVER_SCATTER_TIMEOUT", "soon"}});
  EXPECT_EQ(run.code, kExitInvalid);
  EXPECT_TRUE(absl::StartsWith(
      run.out, "env FAILOVER_SCATTER_TIMEOUT: failover.scatter.timeout: 'soon' is not a duration"));
}

TEST(FailoverctlTest, UnreadableFile) {
  CommandRun run = Failoverctl({"config", "check", "tools/failoverctl/testdata/missing.yml"});
  EXPECT_EQ(run.code, kExitInvalid);
  EXPECT_TRUE(absl::StartsWith(run.out, "ERROR: cannot open tools/failoverctl/testdata/missing"));
}

TEST(FailoverctlTest, UsageErrors) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{},
                                             {"conf"},
                                             {"config"},
                                             {"config", "lint", kValid},
                                             {"config", "check"},
                                             {"config", "check", kValid, kTypo},
                                             {"config", "check", "--strict", kValid},
                                             {"config", "properties", "extra"}}) {
    CommandRun run = Failoverctl(args);
    EXPECT_EQ(run.code, kExitUsage) << absl::StrJoin(args, " ");
    EXPECT_TRUE(absl::StrContains(run.err, "Usage:")) << run.err;
    EXPECT_EQ(run.out, "");
  }
}

TEST(FailoverctlTest, Help) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--help"}, {"-h"}, {"help"}, {"config", "--help"}, {"config", "check", "--help"}}) {
    CommandRun run = Failoverctl(args);
    EXPECT_EQ(run.code, kExitOk);
    EXPECT_TRUE(absl::StartsWith(run.out, "Usage:"));
  }
}

TEST(FailoverctlTest, PropertiesTableListsEveryProperty) {
  CommandRun run = Failoverctl({"config", "properties"});
  EXPECT_EQ(run.code, kExitOk);
  EXPECT_TRUE(absl::StartsWith(run.out, "| Property | Type | Default | Environment variable |"));
  EXPECT_TRUE(absl::StrContains(
      run.out,
      "| `failover.store.type` | StoreType (INMEMORY \\| CAFFEINE \\| JDBC \\| CUSTOM) | "
      "`INMEMORY` | `FAILOVER_STORE_TYPE` |"));
  EXPECT_TRUE(absl::StrContains(run.out,
                                "| `failover.scatter.timeout` | Duration (empty = none) | "
                                "`10s` | `FAILOVER_SCATTER_TIMEOUT` |"));
  EXPECT_TRUE(absl::StrContains(run.out,
                                "| `failover.redis.endpoints[].uri` | String | `\"\"` | "
                                "`FAILOVER_REDIS_ENDPOINTS_<INDEX>_URI` |"));
  EXPECT_TRUE(
      absl::StrContains(run.out,
                        "| `failover.redis.health-check.policy` | ProbePolicy (all \\| "
                        "majority \\| any) | `all` | `FAILOVER_REDIS_HEALTHCHECK_POLICY` |"));
  EXPECT_TRUE(absl::StrContains(run.out,
                                "| `failover.naming.api-version` | NacosApiVersion (v1 \\| v2) | "
                                "`v1` | `FAILOVER_NAMING_APIVERSION` |"));
  // Header, separator, the seed's 65 rows and the store's 3 (jdbc.url, encryption.key and
  // key-env), the tenants map's 2 per-tenant properties,
  // failover.redis: the endpoints list, its 4 per-endpoint properties and 41 options, and
  // failover.naming's 12, and the dashboard's 14 (listen, grpc-listen, profile, the users list and
  // its 3 per-user properties, ingest-role, metrics-role, ingest-tokens, max-failures, lockout, jdbc.url,
  // naming.data-dir), and observable's 15 (prometheus listener 3, otlp 12).
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'),
            2 + 65 + 3 + 2 + 1 + 4 + 41 + 12 + 14 + 15);
}

TEST(FailoverctlTest, CheckNamingSection) {
  CommandRun valid = Failoverctl({"config", "check", kNaming});
  EXPECT_EQ(valid.code, kExitOk) << valid.out << valid.err;
  EXPECT_TRUE(absl::StartsWith(valid.out, absl::StrCat("OK: ", kNaming, ": 6 properties set")))
      << valid.out;

  CommandRun invalid = Failoverctl({"config", "check", kNamingInvalid});
  EXPECT_EQ(invalid.code, kExitInvalid);
  EXPECT_EQ(
      invalid.out,
      absl::StrCat(kNamingInvalid, ":4:20: failover.naming.poll-interval: '0s' must be positive\n",
                   kNamingInvalid,
                   ":5:25: failover.naming.server-addresses[0]: 'nacos:88488' is not a "
                   "Nacos server address: port '88488' is not in 1..65535 (expected "
                   "host[:port] or http://host[:port])\n",
                   kNamingInvalid,
                   ":6:18: failover.naming.api-version: 'v3' is not a NacosApiVersion "
                   "(expected one of v1, v2)\n",
                   "INVALID: ", kNamingInvalid, ": 3 problems\n"));
}

TEST(FailoverctlTest, CheckValidRedisSection) {
  CommandRun run = Failoverctl({"config", "check", kRedis});
  EXPECT_EQ(run.code, kExitOk) << run.out << run.err;
  EXPECT_EQ(run.out,
            absl::StrCat("OK: ", kRedis,
                         ": 23 properties set, store=JDBC, type=BASIC, dashboard disabled, "
                         "redis endpoints: east, west\n"));
  EXPECT_EQ(run.err, "");

  CommandRun env = Failoverctl({"config", "check", kRedis},
                               {{"FAILOVER_REDIS_ENDPOINTS_2_NAME", "north"},
                                {"FAILOVER_REDIS_ENDPOINTS_2_URI", "redis://127.0.0.1:6381"}});
  EXPECT_EQ(env.code, kExitOk) << env.out << env.err;
  EXPECT_TRUE(absl::StrContains(env.out,
                                "redis endpoints: east, west, north, environment "
                                "overrides: FAILOVER_REDIS_ENDPOINTS_2_NAME, "
                                "FAILOVER_REDIS_ENDPOINTS_2_URI\n"))
      << env.out;
}

TEST(FailoverctlTest, CheckInvalidRedisSectionNamesEveryProblemAndMasksPasswords) {
  CommandRun run = Failoverctl({"config", "check", kRedisInvalid});
  EXPECT_EQ(run.code, kExitInvalid);
  EXPECT_EQ(run.out,
            absl::StrCat(
                kRedisInvalid,
                ":4:28: failover.redis.endpoints[0].uri: 'redis://app:****@127.0.0.1:0' is not a "
                "valid redis URI: port '0' is not in 1..65535 (expected "
                "redis://[user:password@]host[:port][/db])\n",
                kRedisInvalid,
                ":5:62: failover.redis.endpoints[1].weight: '-1' must be a finite number >= 0\n",
                kRedisInvalid,
                ":6:5: failover.redis.socket-timout: unknown property; did you mean "
                "failover.redis.socket-timeout?\n",
                kRedisInvalid,
                ":7:29: failover.redis.health-check.policy: 'most' is not a ProbePolicy (expected "
                "one of all, majority, any)\n",
                "INVALID: ", kRedisInvalid, ": 4 problems\n"));
  EXPECT_FALSE(absl::StrContains(run.out, "s3cret"));
}

}  // namespace
}  // namespace failover
