// Environment overrides of failover.* properties (Spring relaxed binding).
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "core/config/config_loader.h"
#include "core/config/failover_config_loader.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

struct Loaded {
  ConfigLoadResult result;
  FailoverConfig config;
};

Loaded Load(absl::string_view yaml, const Environment& env) {
  ConfigLoader loader;
  absl::StatusOr<SectionHandle<FailoverConfig>> handle = AddFailoverSection(loader);
  EXPECT_TRUE(handle.ok());
  ConfigLoadResult result = loader.Load(yaml, env);
  FailoverConfig config = result.Get(*handle);
  return Loaded{std::move(result), std::move(config)};
}

constexpr char kFile[] =
    "failover:\n"
    "  store:\n"
    "    type: inmemory\n"
    "    jdbc:\n"
    "      tablePrefix: FILE_\n"
    "    multitenant:\n"
    "      tenants:\n"
    "        Acme:\n"
    "          table-prefix: ACME_\n"
    "  dashboard:\n"
    "    exposure:\n"
    "      include: [config]\n";

TEST(FailoverConfigEnvTest, ScalarEnumAndDurationOverridesWinOverTheFile) {
  Loaded loaded = Load(kFile, {{"FAILOVER_STORE_TYPE", "jdbc"},
                               {"FAILOVER_STORE_JDBC_TABLEPREFIX", "ENV_"},
                               {"FAILOVER_SCATTER_TIMEOUT", "PT30S"},
                               {"FAILOVER_ENABLED", "false"},
                               {"FAILOVER_EXCEPTIONPOLICY", "never-throw"},
                               {"FAILOVER_DASHBOARD_HEALTH_DEGRADEDTHRESHOLD", "0.95"}});
  ASSERT_TRUE(loaded.result.ok()) << loaded.result.status();
  EXPECT_EQ(loaded.config.store.type, StoreType::kJdbc);
  EXPECT_EQ(loaded.config.store.jdbc.table_prefix, "ENV_");
  EXPECT_EQ(loaded.config.scatter.timeout, absl::Seconds(30));
  EXPECT_FALSE(loaded.config.enabled);
  EXPECT_EQ(loaded.config.exception_policy, ExceptionPolicy::kNeverThrow);
  EXPECT_DOUBLE_EQ(loaded.config.dashboard.health.degraded_threshold, 0.95);
  EXPECT_EQ(loaded.result.applied_env_vars(),
            (std::vector<std::string>{"FAILOVER_ENABLED", "FAILOVER_EXCEPTIONPOLICY",
                                      "FAILOVER_STORE_TYPE", "FAILOVER_STORE_JDBC_TABLEPREFIX",
                                      "FAILOVER_SCATTER_TIMEOUT",
                                      "FAILOVER_DASHBOARD_HEALTH_DEGRADEDTHRESHOLD"}));
}

TEST(FailoverConfigEnvTest, NamesMatchInAnyCase) {
  Loaded loaded = Load("", {{"failover_store_type", "caffeine"}});
  EXPECT_EQ(loaded.config.store.type, StoreType::kCaffeine);
}

TEST(FailoverConfigEnvTest, EmptyTimeoutMeansIndefinitely) {
  Loaded loaded = Load("", {{"FAILOVER_SCATTER_TIMEOUT", ""}});
  ASSERT_TRUE(loaded.result.ok()) << loaded.result.status();
  EXPECT_EQ(loaded.config.scatter.timeout, std::nullopt);
}

TEST(FailoverConfigEnvTest, ListsCommaSeparated) {
  Loaded loaded = Load(kFile, {{"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE", "metrics, health,cluster"}});
  ASSERT_TRUE(loaded.result.ok()) << loaded.result.status();
  EXPECT_EQ(loaded.config.dashboard.exposure.include,
            (std::vector<std::string>{"metrics", "health", "cluster"}));
}

TEST(FailoverConfigEnvTest, ListsIndexed) {
  Loaded loaded = Load(kFile, {{"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_1", "metrics"},
                               {"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_0", "config"},
                               {"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_10", "instances"},
                               {"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_2", "health"}});
  ASSERT_FALSE(loaded.result.ok());  // 0, 1, 2, 10: a gap
  ASSERT_EQ(loaded.result.problems().size(), 1);
  EXPECT_EQ(loaded.result.problems()[0].env_var, "FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_10");

  Loaded good = Load(kFile, {{"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_1", "metrics"},
                             {"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_0", "config"}});
  ASSERT_TRUE(good.result.ok()) << good.result.status();
  EXPECT_EQ(good.config.dashboard.exposure.include,
            (std::vector<std::string>{"config", "metrics"}));
}

TEST(FailoverConfigEnvTest, BadIndexedElementNamesItsVariable) {
  Loaded loaded = Load("", {{"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_0", "config"},
                            {"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_1", "metrix"}});
  ASSERT_EQ(loaded.result.problems().size(), 1);
  const ConfigProblem& p = loaded.result.problems()[0];
  EXPECT_EQ(p.path, "failover.dashboard.exposure.include[1]");
  EXPECT_EQ(p.value, "metrix");
  EXPECT_EQ(p.env_var, "FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_1");
  EXPECT_TRUE(absl::EndsWith(p.ToString(),
                             "(from environment variable FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_1)"));
}

TEST(FailoverConfigEnvTest, BothListFormsIsAProblem) {
  Loaded loaded = Load("", {{"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE", "config"},
                            {"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_0", "metrics"}});
  ASSERT_EQ(loaded.result.problems().size(), 1);
  EXPECT_TRUE(absl::StrContains(loaded.result.problems()[0].expected, "use one"));
}

// Every problem's ToString(), in order.
std::vector<std::string> Problems(const Loaded& loaded) {
  std::vector<std::string> out;
  for (const ConfigProblem& p : loaded.result.problems()) out.push_back(p.ToString());
  return out;
}

TEST(FailoverConfigEnvTest, LegacyNamesKeepDashesAsUnderscores) {
  Loaded loaded = Load(kFile, {{"FAILOVER_STORE_JDBC_TABLE_PREFIX", "X_"},
                               {"FAILOVER_STORE_MULTITENANT_TENANTS_ACME_TABLE_PREFIX", "A3_"},
                               {"FAILOVER_STORE_JDBC_ALLOWED_PAYLOAD_CLASSES_0", "com.a.B"}});
  ASSERT_TRUE(loaded.result.ok()) << loaded.result.status();
  EXPECT_TRUE(loaded.result.warnings().empty());
  EXPECT_EQ(loaded.config.store.jdbc.table_prefix, "X_");
  EXPECT_EQ(loaded.config.store.multitenant.tenants.at("Acme").table_prefix, "A3_");
  EXPECT_EQ(loaded.config.store.jdbc.allowed_payload_classes, std::vector<std::string>{"com.a.B"});

  // Both forms with the same value agree; with different values they are a problem.
  EXPECT_TRUE(Load("", {{"FAILOVER_STORE_JDBC_TABLE_PREFIX", "X_"},
                        {"FAILOVER_STORE_JDBC_TABLEPREFIX", "X_"}})
                  .result.ok());
  EXPECT_EQ(Problems(Load("", {{"FAILOVER_STORE_JDBC_TABLE_PREFIX", "X_"},
                               {"FAILOVER_STORE_JDBC_TABLEPREFIX", "Y_"}})),
            std::vector<std::string>{
                "failover.store.jdbc.table-prefix: is set by both FAILOVER_STORE_JDBC_TABLEPREFIX "
                "and FAILOVER_STORE_JDBC_TABLE_PREFIX with different values; use one (from "
                "environment variable FAILOVER_STORE_JDBC_TABLEPREFIX)"});
  EXPECT_EQ(Load("", {{"FAILOVER_STORE_MULTITENANT_TENANTS_ACME_TABLE_PREFIX", "X_"},
                      {"FAILOVER_STORE_MULTITENANT_TENANTS_ACME_TABLEPREFIX", "Y_"}})
                .result.problems()
                .size(),
            1);
  EXPECT_EQ(Load("", {{"FAILOVER_STORE_JDBC_ALLOWED_PAYLOAD_CLASSES_0", "a.B"},
                      {"FAILOVER_STORE_JDBC_ALLOWEDPAYLOADCLASSES_0", "a.C"}})
                .result.problems()
                .size(),
            1);
}

TEST(FailoverConfigEnvTest, NamesDifferingOnlyInCaseAreAProblem) {
  EXPECT_EQ(
      Problems(Load("", {{"FAILOVER_STORE_TYPE", "jdbc"}, {"failover_store_type", "custom"}})),
      std::vector<std::string>{
          "failover.store.type: is set by both FAILOVER_STORE_TYPE and failover_store_type, "
          "whose names differ only in case; use one (from environment variable "
          "FAILOVER_STORE_TYPE)"});
}

TEST(FailoverConfigEnvTest, IndexedListGapsPaddingAndRepeats) {
  EXPECT_EQ(Problems(Load("", {{"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_0", "config"},
                               {"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_2", "metrics"},
                               {"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_3", "health"}})),
            std::vector<std::string>{
                "failover.dashboard.exposure.include: indexed variables must be numbered 0, 1, "
                "2, ... without gaps; found no FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_1 (from "
                "environment variable FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_2)"});
  EXPECT_EQ(Problems(Load("", {{"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_0", "config"},
                               {"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_01", "metrics"}})),
            std::vector<std::string>{
                "failover.dashboard.exposure.include: the index of "
                "FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_01 must be a number from 0 without leading "
                "zeros (NAME_0, NAME_1, ...) (from environment variable "
                "FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_01)"});
  EXPECT_EQ(Problems(Load("", {{"FAILOVER_DASHBOARD_EXPOSURE_INCLUDE_0", "config"},
                               {"failover_dashboard_exposure_include_0", "metrics"}}))
                .size(),
            1);
  EXPECT_EQ(Problems(Load("", {{"FAILOVER_STORE_JDBC_ALLOWED_PAYLOAD_CLASSES_0", "a.B"},
                               {"FAILOVER_STORE_JDBC_ALLOWEDPAYLOADCLASSES_0", "a.C"}})),
            std::vector<std::string>{
                "failover.store.jdbc.allowed-payload-classes: index 0 is set by both "
                "FAILOVER_STORE_JDBC_ALLOWEDPAYLOADCLASSES_0 and "
                "FAILOVER_STORE_JDBC_ALLOWED_PAYLOAD_CLASSES_0; use one (from environment "
                "variable FAILOVER_STORE_JDBC_ALLOWED_PAYLOAD_CLASSES_0)"});
}

TEST(FailoverConfigEnvTest, BadValueFromEnvironmentNamesTheVariable) {
  Loaded loaded = Load(kFile, {{"FAILOVER_STORE_TYPE", "postgres"}});
  ASSERT_EQ(loaded.result.problems().size(), 1);
  EXPECT_EQ(loaded.result.problems()[0].ToString(),
            "failover.store.type: 'postgres' is not a StoreType (expected one of INMEMORY, "
            "CAFFEINE, JDBC, CUSTOM) (from environment variable FAILOVER_STORE_TYPE)");
}

TEST(FailoverConfigEnvTest, MapEntriesMatchFileKeysOrAreCreated) {
  Loaded loaded = Load(kFile, {{"FAILOVER_STORE_MULTITENANT_TENANTS_ACME_TABLEPREFIX", "A2_"},
                               {"FAILOVER_STORE_MULTITENANT_TENANTS_NEW_ONE_SCHEMA", "s1"}});
  ASSERT_TRUE(loaded.result.ok()) << loaded.result.status();
  const auto& tenants = loaded.config.store.multitenant.tenants;
  ASSERT_EQ(tenants.size(), 2);
  EXPECT_EQ(tenants.at("Acme").table_prefix, "A2_");  // the file's spelling of the key
  EXPECT_EQ(tenants.at("new_one").schema, "s1");      // new keys are lowercased
}

TEST(FailoverConfigEnvTest, UnrelatedVariablesAreIgnoredLookAlikesWarn) {
  Loaded loaded = Load("", {{"FAILOVER_HOME", "/opt/failover"},
                            {"PATH", "/bin"},
                            {"FAILOVER_STORE_TPYE", "jdbc"},
                            {"FAILOVER_DASHBOARD_NOPE", "1"},
                            {"FAILOVER_ENABLE", "false"}});
  EXPECT_TRUE(loaded.result.ok()) << loaded.result.status();
  EXPECT_TRUE(loaded.config.enabled);
  std::vector<std::string> warnings;
  for (const ConfigProblem& w : loaded.result.warnings()) warnings.push_back(w.ToString());
  EXPECT_EQ(warnings, (std::vector<std::string>{
                          "FAILOVER_DASHBOARD_NOPE: does not match any property; ignored",
                          "FAILOVER_ENABLE: does not match any property; ignored (did you mean "
                          "FAILOVER_ENABLED?)",
                          "FAILOVER_STORE_TPYE: does not match any property; ignored (did you mean "
                          "FAILOVER_STORE_TYPE?)"}));
}

TEST(FailoverConfigEnvTest, EnvironmentAloneConfiguresAnEmptyFile) {
  Loaded loaded =
      Load("", {{"FAILOVER_DASHBOARD_ENABLED", "true"}, {"FAILOVER_DASHBOARD_BASEPATH", "/ops"}});
  ASSERT_TRUE(loaded.result.ok()) << loaded.result.status();
  EXPECT_TRUE(loaded.config.dashboard.enabled);
  EXPECT_EQ(loaded.config.dashboard.base_path, "/ops");
  EXPECT_EQ(loaded.result.properties_set(), 2);
}

}  // namespace
}  // namespace failover
