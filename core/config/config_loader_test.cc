// The generic mechanism: a module registers its own section next to the framework's, declared
// with ConfigSchema exactly like FailoverConfig is. The example section lives only here.
#include "core/config/config_loader.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "core/config/config_validators.h"
#include "core/config/failover_config_loader.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

enum class ReadFrom { kPrimary, kReplicaPreferred };
constexpr ConfigEnumValue<ReadFrom> kReadFromValues[] = {
    {ReadFrom::kPrimary, "PRIMARY"}, {ReadFrom::kReplicaPreferred, "REPLICA_PREFERRED"}};
ConfigEnumDescription<ReadFrom> DescribeConfigEnum(ReadFrom) {
  return {"ReadFrom", kReadFromValues};
}

struct PoolConfig {
  int32_t max_size = 8;
  absl::Duration idle_timeout = absl::Minutes(1);
};

struct ShardConfig {
  int32_t weight = 1;
};

// failover.replica-set.*: an example module section.
struct ReplicaSetConfig {
  std::vector<std::string> endpoints;
  absl::Duration connect_timeout = absl::Seconds(2);
  int32_t max_retries = 3;
  ReadFrom read_from = ReadFrom::kPrimary;
  PoolConfig pool;
  std::map<std::string, ShardConfig> shards;
};

ConfigSchema<ReplicaSetConfig> ReplicaSetSchema() {
  ConfigSchema<PoolConfig> pool;
  pool.Property("max-size", &PoolConfig::max_size, "Connections kept.")
      .Validate(AtLeast<int32_t>(1));
  pool.Property("idle-timeout", &PoolConfig::idle_timeout, "Idle connections close after.");
  ConfigSchema<ShardConfig> shard;
  shard.Property("weight", &ShardConfig::weight, "Relative weight.").Validate(AtLeast<int32_t>(0));

  ConfigSchema<ReplicaSetConfig> schema;
  schema.Property("endpoints", &ReplicaSetConfig::endpoints, "host:port of each node.")
      .ValidateEach(NotBlank());
  schema.Property("connect-timeout", &ReplicaSetConfig::connect_timeout, "Connect timeout.")
      .Validate(DurationAtLeast(absl::Milliseconds(1)));
  schema.Property("max-retries", &ReplicaSetConfig::max_retries, "Retries per call.")
      .Validate(AtLeast<int32_t>(0));
  schema.Property("read-from", &ReplicaSetConfig::read_from, "Which node serves reads.");
  schema.Section("pool", &ReplicaSetConfig::pool, pool, "Connection pool.");
  schema.SectionMap("shards", &ReplicaSetConfig::shards, "shard-name", shard, "Shards.");
  schema.Check([](const ReplicaSetConfig& c, CheckReporter& reporter) {
    if (c.read_from == ReadFrom::kReplicaPreferred && c.endpoints.size() < 2) {
      reporter.Error("read-from", "needs at least two endpoints");
    }
    if (c.pool.idle_timeout < c.connect_timeout) {
      reporter.Warning("pool.idle-timeout", "is shorter than connect-timeout");
    }
  });
  return schema;
}

class ConfigLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<SectionHandle<FailoverConfig>> root = AddFailoverSection(loader_);
    ASSERT_TRUE(root.ok()) << root.status();
    root_.emplace(*root);
    absl::StatusOr<SectionHandle<ReplicaSetConfig>> module =
        loader_.AddSection("failover.replica-set", ReplicaSetSchema());
    ASSERT_TRUE(module.ok()) << module.status();
    module_.emplace(*module);
  }

  ConfigLoader loader_;
  std::optional<SectionHandle<FailoverConfig>> root_;
  std::optional<SectionHandle<ReplicaSetConfig>> module_;
};

TEST_F(ConfigLoaderTest, BindsModuleSectionBesideTheFramework) {
  ConfigLoadResult result = loader_.Load(
      "failover:\n"
      "  store:\n    type: jdbc\n"
      "  replica-set:\n"
      "    endpoints: [a:6379, b:6379]\n"
      "    connectTimeout: 500ms\n"
      "    read-from: replica-preferred\n"
      "    pool:\n      max-size: 4\n"
      "    shards:\n      eu: {weight: 2}\n      US: {}\n",
      {});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result.Get(*root_).store.type, StoreType::kJdbc);
  const ReplicaSetConfig& rs = result.Get(*module_);
  EXPECT_EQ(rs.endpoints, (std::vector<std::string>{"a:6379", "b:6379"}));
  EXPECT_EQ(rs.connect_timeout, absl::Milliseconds(500));
  EXPECT_EQ(rs.max_retries, 3);  // default member initializer
  EXPECT_EQ(rs.read_from, ReadFrom::kReplicaPreferred);
  EXPECT_EQ(rs.pool.max_size, 4);
  EXPECT_EQ(rs.pool.idle_timeout, absl::Minutes(1));
  EXPECT_EQ(rs.shards.at("eu").weight, 2);
  EXPECT_EQ(rs.shards.at("US").weight, 1);
  EXPECT_EQ(result.properties_set(), 6);  // "US: {}" sets nothing
}

TEST_F(ConfigLoaderTest, ModuleProblemsAndSuggestionsUseTheSameMachinery) {
  ConfigLoadResult result = loader_.Load(
      "failover:\n"
      "  replica-set:\n"
      "    max-retries: -1\n"
      "    pool:\n      max-sise: 4\n"
      "    connect-timeout: soon\n"
      "    read-from: replica\n"
      "  replica-sett:\n    endpoints: x\n",
      {});
  std::vector<std::string> messages;
  for (const ConfigProblem& p : result.problems()) messages.push_back(p.ToString());
  EXPECT_EQ(messages,
            (std::vector<std::string>{
                "failover.replica-set.max-retries: '-1' must be at least 0 (line 3, column 18)",
                "failover.replica-set.pool.max-sise: unknown property; did you mean "
                "failover.replica-set.pool.max-size? (line 5, column 7)",
                "failover.replica-set.connect-timeout: 'soon' is not a duration (expected e.g. "
                "500ms, 10s, 7d or PT10S) (line 6, column 22)",
                "failover.replica-set.read-from: 'replica' is not a ReadFrom (expected one of "
                "PRIMARY, REPLICA_PREFERRED) (line 7, column 16)",
                "failover.replica-sett.endpoints: unknown property; did you mean "
                "failover.replica-set.endpoints? (line 9, column 5)"}));
}

TEST_F(ConfigLoaderTest, ModuleCrossChecksAndWarnings) {
  ConfigLoadResult result = loader_.Load(
      "failover.replica-set:\n  read-from: REPLICA_PREFERRED\n  connect-timeout: 2m\n", {});
  ASSERT_EQ(result.problems().size(), 1);
  EXPECT_EQ(result.problems()[0].ToString(),
            "failover.replica-set.read-from: 'REPLICA_PREFERRED' needs at least two endpoints "
            "(line 2, column 14)");
  // Checks run only when the section's own values are valid, so the warning waits too.
  result = loader_.Load("failover.replica-set.connect-timeout: 2m\n", {});
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.warnings().size(), 1);
  EXPECT_EQ(result.warnings()[0].ToString(),
            "failover.replica-set.pool.idle-timeout: '1m' is shorter than connect-timeout");
}

TEST_F(ConfigLoaderTest, ModuleEnvironmentOverrides) {
  ConfigLoadResult result = loader_.Load("failover.replica-set.shards:\n  eu:\n    weight: 2\n",
                                         {{"FAILOVER_REPLICASET_ENDPOINTS_0", "x:1"},
                                          {"FAILOVER_REPLICASET_ENDPOINTS_1", "y:1"},
                                          {"FAILOVER_REPLICASET_POOL_IDLETIMEOUT", "5m"},
                                          {"FAILOVER_REPLICASET_SHARDS_EU_WEIGHT", "7"},
                                          {"FAILOVER_REPLICASET_SHARDS_ASIA_WEIGHT", "3"},
                                          {"FAILOVER_REPLICASET_POOL_MAXSIZ", "3"}});
  ASSERT_TRUE(result.ok()) << result.status();
  const ReplicaSetConfig& rs = result.Get(*module_);
  EXPECT_EQ(rs.endpoints, (std::vector<std::string>{"x:1", "y:1"}));
  EXPECT_EQ(rs.pool.idle_timeout, absl::Minutes(5));
  EXPECT_EQ(rs.shards.at("eu").weight, 7);
  EXPECT_EQ(rs.shards.at("asia").weight, 3);
  ASSERT_EQ(result.warnings().size(), 1);
  EXPECT_EQ(result.warnings()[0].ToString(),
            "FAILOVER_REPLICASET_POOL_MAXSIZ: does not match any property; ignored (did you mean "
            "FAILOVER_REPLICASET_POOL_MAXSIZE?)");
}

TEST_F(ConfigLoaderTest, DescribesEveryRegisteredSection) {
  std::map<std::string, PropertyDescription> rows;
  for (PropertyDescription& row : loader_.DescribeProperties()) rows[row.path] = row;
  EXPECT_EQ(rows.count("failover.store.type"), 1);
  const PropertyDescription& timeout = rows.at("failover.replica-set.connect-timeout");
  EXPECT_EQ(timeout.type, "Duration");
  EXPECT_EQ(timeout.default_value, "2s");
  EXPECT_EQ(timeout.env_var, "FAILOVER_REPLICASET_CONNECTTIMEOUT");
  EXPECT_EQ(rows.at("failover.replica-set.read-from").allowed, "PRIMARY | REPLICA_PREFERRED");
  EXPECT_EQ(rows.at("failover.replica-set.shards.<shard-name>.weight").env_var,
            "FAILOVER_REPLICASET_SHARDS_<SHARD-NAME>_WEIGHT");
  EXPECT_EQ(rows.at("failover.replica-set.endpoints").default_value, "[]");
}

TEST(ConfigLoaderRegistrationTest, WithoutTheModuleItsKeysAreUnknown) {
  ConfigLoader loader;
  ASSERT_TRUE(AddFailoverSection(loader).ok());
  ConfigLoadResult result = loader.Load("failover.replica-set.endpoints: [a]\n", {});
  ASSERT_EQ(result.problems().size(), 1);
  EXPECT_TRUE(absl::StrContains(result.problems()[0].expected, "unknown property"));
}

TEST(ConfigLoaderRegistrationTest, ModuleAloneIgnoresTheRestOfTheNamespace) {
  ConfigLoader loader;
  absl::StatusOr<SectionHandle<ReplicaSetConfig>> module =
      loader.AddSection("failover.replica-set", ReplicaSetSchema());
  ASSERT_TRUE(module.ok());
  ConfigLoadResult result =
      loader.Load("failover:\n  store: {type: jdbc}\n  replica-set: {max-retries: 9}\n", {});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result.Get(*module).max_retries, 9);
}

TEST(ConfigLoaderRegistrationTest, DuplicateKeysAboveAModuleAreReportedOnce) {
  ConfigLoader loader;
  ASSERT_TRUE(loader.AddSection("failover.replica-set", ReplicaSetSchema()).ok());
  ASSERT_TRUE(loader.AddSection("failover.other-set", ReplicaSetSchema()).ok());
  const ConfigLoadResult result = loader.Load(
      "failover:\n  replica-set: {max-retries: 1}\n  replicaSet: {max-retries: 2}\n"
      "Failover:\n  other-set: {max-retries: 3}\n",
      {});
  std::vector<std::string> problems;
  for (const ConfigProblem& p : result.problems()) problems.push_back(p.ToString());
  EXPECT_EQ(problems,
            (std::vector<std::string>{
                "failover.replicaSet: is set more than once (first as 'replica-set' at line 2) "
                "(line 3, column 3)",
                "Failover: is set more than once (first as 'failover' at line 1) (line 4, column "
                "1)"}));
}

TEST(ConfigLoaderRegistrationTest, RejectsConflictsAndBadDeclarations) {
  ConfigLoader loader;
  ASSERT_TRUE(AddFailoverSection(loader).ok());
  EXPECT_EQ(AddFailoverSection(loader).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(loader.AddSection("failover.store", ReplicaSetSchema()).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(
      loader.AddSection("failover.store.jdbc.table-prefix", ReplicaSetSchema()).status().code(),
      absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(loader.AddSection("Failover.Bad_Path", ReplicaSetSchema()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(loader.AddSection("", ReplicaSetSchema()).status().code(),
            absl::StatusCode::kInvalidArgument);

  ConfigSchema<PoolConfig> bad;
  bad.Property("maxSize", &PoolConfig::max_size, "camelCase is not a declaration form.");
  bad.Property("idle-timeout", &PoolConfig::idle_timeout, "first");
  bad.Property("idle-timeout", &PoolConfig::idle_timeout, "twice");
  absl::Status status = loader.AddSection("failover.pool", bad).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(status.message(), "'maxSize' must be kebab-case")) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "'idle-timeout' is declared twice")) << status;
}

TEST(ConfigLoaderRegistrationTest, IndependentRootsAndTheirEnvironment) {
  ConfigSchema<PoolConfig> schema;
  schema.Property("max-size", &PoolConfig::max_size, "Connections kept.");
  schema.Property("idle-timeout", &PoolConfig::idle_timeout, "Idle connections close after.");
  ConfigLoader loader;
  absl::StatusOr<SectionHandle<PoolConfig>> pool = loader.AddSection("myapp.pool", schema);
  ASSERT_TRUE(pool.ok()) << pool.status();
  ConfigLoadResult result = loader.Load("myapp:\n  pool:\n    max-size: 2\nmyap: {}\n",
                                        {{"MYAPP_POOL_IDLETIMEOUT", "30s"}});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result.Get(*pool).max_size, 2);
  EXPECT_EQ(result.Get(*pool).idle_timeout, absl::Seconds(30));
  ASSERT_EQ(result.warnings().size(), 1);
  EXPECT_TRUE(absl::StrContains(result.warnings()[0].expected, "did you mean myapp?"));
}

TEST(ConfigLoaderDeathTest, HandleFromAnotherLoaderAborts) {
  ConfigLoader first;
  ConfigLoader second;
  absl::StatusOr<SectionHandle<FailoverConfig>> handle = AddFailoverSection(first);
  ASSERT_TRUE(handle.ok());
  ASSERT_TRUE(AddFailoverSection(second).ok());
  ConfigLoadResult result = second.Load("", {});
  EXPECT_DEATH(result.Get(*handle), "another ConfigLoader");
}

}  // namespace
}  // namespace failover
