// What the loader reports for wrong failover.* configuration: every problem at once, each with
// its path, value, expectation and line.
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/config/config_loader.h"
#include "core/config/failover_config_loader.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

ConfigLoadResult Load(absl::string_view yaml, const Environment& env = {}) {
  ConfigLoader loader;
  EXPECT_TRUE(AddFailoverSection(loader).ok());
  return loader.Load(yaml, env);
}

// The single problem of `yaml`, as ToString() prints it.
std::string OnlyProblem(absl::string_view yaml) {
  ConfigLoadResult result = Load(yaml);
  EXPECT_EQ(result.problems().size(), 1) << result.status();
  return result.problems().empty() ? "" : result.problems()[0].ToString();
}

TEST(FailoverConfigErrorsTest, TablePrefixMessageNamesKeyValueAndRule) {
  ConfigLoadResult result = Load("failover:\n  store:\n    jdbc:\n      table-prefix: A;B\n");
  ASSERT_EQ(result.problems().size(), 1);
  const ConfigProblem& p = result.problems()[0];
  EXPECT_EQ(p.path, "failover.store.jdbc.table-prefix");
  EXPECT_EQ(p.value, "A;B");
  EXPECT_EQ(p.expected, "may contain only letters, digits, underscores and dots");
  EXPECT_EQ(p.line, 4);
  EXPECT_EQ(p.column, 21);
  EXPECT_EQ(p.Message(),
            "failover.store.jdbc.table-prefix: 'A;B' may contain only letters, digits, "
            "underscores and dots");
  EXPECT_EQ(p.ToString(), p.Message() + " (line 4, column 21)");
}

TEST(FailoverConfigErrorsTest, BadDurations) {
  EXPECT_EQ(OnlyProblem("failover:\n  scatter:\n    timeout: ten seconds\n"),
            "failover.scatter.timeout: 'ten seconds' is not a duration (expected e.g. 500ms, "
            "10s, 7d or PT10S) (line 3, column 14)");
  for (absl::string_view bad : {"10 s", "1.5s", "PT", "10sec", "P1W"}) {
    ConfigLoadResult result =
        Load(absl::StrCat("failover.dashboard.cluster.shared-store.retention.max-age: ", bad));
    ASSERT_EQ(result.problems().size(), 1) << bad;
    EXPECT_TRUE(absl::StrContains(result.problems()[0].expected, "is not a duration")) << bad;
  }
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.scatter.timeout: 0s"), "must be positive"));
  EXPECT_TRUE(absl::StrContains(
      OnlyProblem("failover.dashboard.cluster.shared-store.instance-retention: -1d"),
      "must be at least 0s"));
}

TEST(FailoverConfigErrorsTest, TyposSuggestTheClosestKey) {
  EXPECT_EQ(OnlyProblem("failover:\n  stor:\n    type: jdbc\n"),
            "failover.stor.type: unknown property; did you mean failover.store.type? "
            "(line 3, column 5)");
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.store.jdbc.tabel-prefix: X"),
                                "did you mean failover.store.jdbc.table-prefix?"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.dashboard.helth.degraded-threshold: 0.9"),
                                "did you mean failover.dashboard.health.degraded-threshold?"));
  EXPECT_TRUE(
      absl::StrContains(OnlyProblem("failover.store.multitenant.tenants.acme.tabelPrefix: X"),
                        "did you mean failover.store.multitenant.tenants.acme.table-prefix?"));
  // The right key in the wrong section.
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.store.table-prefix: X"),
                                "did you mean failover.store.jdbc.table-prefix?"));
  // Nothing close: no suggestion.
  EXPECT_EQ(OnlyProblem("failover:\n  completely-different: 1\n"),
            "failover.completely-different: unknown property (line 2, column 3)");
}

TEST(FailoverConfigErrorsTest, WrongNodeKinds) {
  EXPECT_EQ(OnlyProblem("failover:\n  store:\n    type: {a: b}\n"),
            "failover.store.type: expected a single value (one of INMEMORY, CAFFEINE, JDBC, "
            "CUSTOM), got a map (line 3, column 11)");
  EXPECT_EQ(OnlyProblem("failover:\n  scheduler: true\n"),
            "failover.scheduler: 'true' is a section: expected a map of its properties, got a "
            "scalar (line 2, column 14)");
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover:\n  store: [a]\n"), "got a list"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.dashboard.exposure.include: {a: 1}"),
                                "expected a list"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.dashboard.exposure.include: [config, [x]]"),
                                "failover.dashboard.exposure.include[1]: expected a single value"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.store.multitenant.tenants: [acme]"),
                                "expected a map from tenant-id to settings, got a list"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover: 5"), "failover: '5' is a section"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("- failover"), "the document must be a map"));
}

TEST(FailoverConfigErrorsTest, ScalarRules) {
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.enabled: maybe"), "is not a boolean"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.enabled:"),
                                "failover.enabled: has no value (expected true or false)"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.dashboard.history.samples: 1.5"),
                                "'1.5' is not an integer"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.dashboard.history.samples: 0"),
                                "'0' must be at least 1"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.store.inmemory.max-entries: 99999999999"),
                                "is out of range for int"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.dashboard.health.degraded-threshold: 1.5"),
                                "'1.5' must be between 0 and 1"));
  EXPECT_TRUE(
      absl::StrContains(OnlyProblem("failover.dashboard.base-path: /"), "'/' must not be '/'"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.dashboard.base-path: ops"),
                                "'ops' must start with '/'"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.dashboard.base-path: /ops/"),
                                "'/ops/' must not end with '/'"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.store.jdbc.encryption.cipher: ''"),
                                "'' must not be blank"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.store.jdbc.encryption.cipher: 'aes)'"),
                                "must not contain ':' or ')'"));
  EXPECT_TRUE(absl::StrContains(OnlyProblem("failover.scheduler.report-cron: '0 0 * * *'"),
                                "is not a cron expression"));
  EXPECT_TRUE(
      absl::StrContains(OnlyProblem("failover.dashboard.exposure.include: config, metrix"),
                        "failover.dashboard.exposure.include[1]: 'metrix' is not one of config"));
}

TEST(FailoverConfigErrorsTest, CrossFieldChecks) {
  EXPECT_EQ(OnlyProblem("failover.dashboard.health:\n  degraded-threshold: 0.8\n"
                        "  unhealthy-threshold: 0.9\n"),
            "failover.dashboard.health.unhealthy-threshold: '0.9' must not be greater than "
            "degraded-threshold (0.8) (line 3, column 24)");
  // Against a default too: unhealthy 0.995 > default degraded 0.99.
  EXPECT_EQ(OnlyProblem("failover.dashboard.health.unhealthy-threshold: 0.995"),
            "failover.dashboard.health.unhealthy-threshold: '0.995' must not be greater than "
            "degraded-threshold (0.99, the default) (line 1, column 48)");
  // Only the degraded threshold set: it is the one to blame, with its line.
  EXPECT_EQ(OnlyProblem("failover.dashboard.health.degraded-threshold: 0.5"),
            "failover.dashboard.health.degraded-threshold: '0.5' must not be less than "
            "unhealthy-threshold (0.9, the default) (line 1, column 47)");
  EXPECT_TRUE(
      absl::StrContains(OnlyProblem("failover.dashboard.cluster.snapshot.heartbeat.enabled: true"),
                        "heartbeat.enabled: 'true' requires publish-url to be set"));
  EXPECT_TRUE(
      absl::StrContains(OnlyProblem("failover.dashboard.cluster.snapshot.password: hunter2"),
                        "password: '****' is set without username"));
}

TEST(FailoverConfigErrorsTest, SecretsAreNeverEchoed) {
  ConfigLoadResult result = Load(
      "failover.dashboard.cluster.prometheus.token: [secret-1]\n"
      "failover.dashboard.cluster.snapshot.password: hunter2\n");
  ASSERT_FALSE(result.ok());
  EXPECT_FALSE(absl::StrContains(result.status().message(), "secret-1"));
  EXPECT_FALSE(absl::StrContains(result.status().message(), "hunter2"));
}

TEST(FailoverConfigErrorsTest, WarningsDoNotFail) {
  ConfigLoadResult result = Load(
      "failovr:\n  type: basic\n"
      "failover.dashboard.cluster.mode: prometheus\n"
      "failover.store:\n  multitenant:\n    enabled: true\n    strategy: schema\n");
  EXPECT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result.warnings().size(), 3);
  EXPECT_EQ(result.warnings()[0].ToString(),
            "failovr: is ignored (not a configuration section); did you mean failover? "
            "(line 1, column 1)");
  // Warnings follow in line order; those without a position (about defaults) last.
  EXPECT_EQ(result.warnings()[1].ToString(),
            "failover.store.multitenant.strategy: 'SCHEMA' only shapes the jdbc store; other "
            "store types keep one store per tenant (line 7, column 15)");
  EXPECT_EQ(result.warnings()[2].ToString(),
            "failover.dashboard.cluster.prometheus.base-url: '' is blank, so mode prometheus "
            "falls back to local");
}

TEST(FailoverConfigErrorsTest, PlaceholdersAreNotResolvedAndSaySo) {
  ConfigLoadResult result = Load("failover.observable.instance.id: ${HOSTNAME}\n");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.warnings().size(), 1);
  EXPECT_EQ(result.warnings()[0].ToString(),
            "failover.observable.instance.id: '${HOSTNAME}' contains a ${...} placeholder; "
            "placeholders are not resolved, the text is used as is (line 1, column 34)");
}

TEST(FailoverConfigErrorsTest, EveryProblemIsReportedTogetherInLineOrder) {
  ConfigLoadResult result = Load(
      "failover:\n"                 // 1
      "  type: fast\n"              // 2
      "  store:\n"                  // 3
      "    type: jdbc\n"            // 4
      "    jdbc:\n"                 // 5
      "      table-prefix: A;B\n"   // 6
      "  scatter:\n"                // 7
      "    timeout: ten seconds\n"  // 8
      "  dashbord:\n"               // 9
      "    enabled: true\n"         // 10
      "  dashboard:\n"              // 11
      "    base-path: /\n"          // 12
      "    history:\n"              // 13
      "      samples: -1\n");       // 14
  ASSERT_EQ(result.problems().size(), 6) << result.status();
  std::vector<int> lines;
  for (const ConfigProblem& p : result.problems()) lines.push_back(p.line);
  EXPECT_EQ(lines, (std::vector<int>{2, 6, 8, 10, 12, 14}));
  EXPECT_EQ(result.problems()[3].path, "failover.dashbord.enabled");
  EXPECT_TRUE(absl::StrContains(result.problems()[3].expected, "failover.dashboard.enabled"));
  const std::string message(result.status().message());
  EXPECT_TRUE(absl::StartsWith(message, "invalid configuration (6 problems):\n"));
  EXPECT_EQ(LoadFailoverConfig("failover:\n  type: fast\n", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(FailoverConfigErrorsTest, DuplicateKeysIncludingRelaxedForms) {
  ConfigLoadResult result =
      Load("failover:\n  store:\n    jdbc:\n      table-prefix: A_\n      tablePrefix: B_\n");
  ASSERT_EQ(result.problems().size(), 1);
  EXPECT_EQ(result.problems()[0].ToString(),
            "failover.store.jdbc.tablePrefix: is set more than once (first as 'table-prefix' at "
            "line 4) (line 5, column 7)");
  EXPECT_EQ(Load("failover:\n  store:\n    multitenant:\n      tenants:\n        a: {}\n"
                 "        a: {}\n")
                .problems()
                .size(),
            1);
}

TEST(FailoverConfigErrorsTest, DuplicateTopLevelSectionIsAnError) {
  for (absl::string_view second : {"failover", "Failover", "FAILOVER"}) {
    ConfigLoadResult result = Load(absl::StrCat("failover:\n  store:\n    type: jdbc\n", second,
                                                ":\n  enabled: nonsense\n  bogus: 1\n"));
    ASSERT_EQ(result.problems().size(), 1) << second;
    EXPECT_EQ(result.problems()[0].ToString(),
              absl::StrCat(second,
                           ": is set more than once (first as 'failover' at line 1) (line 4, "
                           "column 1)"));
  }
}

TEST(FailoverConfigErrorsTest, EnumValuesAreTrimmedAndBadValuesPrintedEscaped) {
  EXPECT_TRUE(Load("failover.store.type: \" jdbc\"\n").ok());
  EXPECT_TRUE(Load("failover:\n  store:\n    type: |\n      jdbc\n").ok());
  EXPECT_TRUE(Load("", {{"FAILOVER_STORE_TYPE", "jdbc\r"}}).ok());
  EXPECT_EQ(OnlyProblem("failover.store.type: \"jd\\rbc\\n\\0\"\n"),
            "failover.store.type: 'jd\\rbc\\n\\0' is not a StoreType (expected one of INMEMORY, "
            "CAFFEINE, JDBC, CUSTOM) (line 1, column 22)");
}

TEST(FailoverConfigErrorsTest, OldMacLineEndingsBindAndKeepLineNumbers) {
  EXPECT_EQ(OnlyProblem("failover:\r  store:\r    type: nosql\r"),
            "failover.store.type: 'nosql' is not a StoreType (expected one of INMEMORY, CAFFEINE, "
            "JDBC, CUSTOM) (line 3, column 11)");
  EXPECT_EQ(OnlyProblem("failover:\r\n  store:\r\n    type: nosql\r\n"),
            "failover.store.type: 'nosql' is not a StoreType (expected one of INMEMORY, CAFFEINE, "
            "JDBC, CUSTOM) (line 3, column 11)");
}

TEST(FailoverConfigErrorsTest, ThousandsOfUnknownKeysAreCappedInTheReport) {
  std::string yaml = "failover:\n  store:\n";
  for (int i = 0; i < 2000; ++i) absl::StrAppend(&yaml, "    unknown-key-", i, ": 1\n");
  for (int i = 0; i < 2000; ++i) absl::StrAppend(&yaml, "failover.dashboard.x", i, ".y: 1\n");
  ConfigLoadResult result = Load(yaml);
  ASSERT_EQ(result.problems().size(), 101);
  EXPECT_EQ(result.problems()[0].ToString(),
            "failover.store.unknown-key-0: unknown property (line 3, column 5)");
  EXPECT_EQ(result.problems()[100].ToString(),
            "... and 3900 more unknown properties (only the first 100 are listed)");
}

TEST(FailoverConfigErrorsTest, IsoDurationSummingPastTheLimitIsTooLarge) {
  EXPECT_EQ(OnlyProblem("failover.scatter.timeout: P106000000000000DT100000000000000H\n"),
            "failover.scatter.timeout: 'P106000000000000DT100000000000000H' is too large for a "
            "duration (line 1, column 27)");
}

TEST(FailoverConfigErrorsTest, EmptyKeySegmentIsAnError) {
  EXPECT_EQ(OnlyProblem("failover:\n  store..type: jdbc\n"),
            "failover.store..type: has an empty name segment (\"..\", or a leading or trailing "
            "'.'); the key is ignored (line 2, column 3)");
}

TEST(FailoverConfigErrorsTest, YamlSyntaxErrorHasPosition) {
  ConfigLoadResult result = Load("failover:\n  type: basic\n   store: x\n");
  ASSERT_EQ(result.problems().size(), 1);
  EXPECT_EQ(result.problems()[0].line, 3);
  EXPECT_TRUE(absl::StartsWith(result.problems()[0].ToString(), "YAML syntax error: "));
}

TEST(FailoverConfigErrorsTest, UnreadableFile) {
  EXPECT_EQ(LoadFailoverConfigFile("core/config/testdata/missing.yml", {}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(LoadFailoverConfigFile("core/config/testdata", {}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(FailoverConfigErrorsTest, DevicesAndHugeFilesAreRefused) {
  absl::StatusOr<FailoverConfig> device = LoadFailoverConfigFile("/dev/null", {});
  EXPECT_EQ(device.status().message(),
            "/dev/null is not a regular file (a device, pipe or socket)");

  const std::string huge = absl::StrCat(testing::TempDir(), "/huge.yml");
  {
    std::ofstream out(huge, std::ios::binary);
    const std::string comment_line = std::string(1023, '#') + "\n";
    for (int i = 0; i < 16 * 1024 + 1; ++i) out << comment_line;
  }
  EXPECT_EQ(LoadFailoverConfigFile(huge, {}).status().message(),
            absl::StrCat(huge, " is larger than 16 MiB; not a configuration file"));
}

}  // namespace
}  // namespace failover
