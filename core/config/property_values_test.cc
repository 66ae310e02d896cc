#include "core/config/property_values.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "core/config/failover_config_schema.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

struct NodeConfig {
  std::string uri = "redis://localhost";
  std::string password;
};

struct TenantConfig {
  std::string prefix;
};

struct ClusterConfigForTest {
  int32_t size = 3;
  std::string token;
  std::vector<std::string> keys;
  std::vector<NodeConfig> nodes;
  std::map<std::string, TenantConfig> tenants;
};

ConfigSchema<ClusterConfigForTest> Schema() {
  ConfigSchema<NodeConfig> node;
  node.Property("uri", &NodeConfig::uri, "Where.").Redact([](absl::string_view value) {
    return absl::StrContains(value, "@") ? std::string("redis://***@host") : std::string(value);
  });
  node.Property("password", &NodeConfig::password, "Password.").Secret();
  ConfigSchema<TenantConfig> tenant;
  tenant.Property("prefix", &TenantConfig::prefix, "Prefix.");
  ConfigSchema<ClusterConfigForTest> schema;
  schema.Property("size", &ClusterConfigForTest::size, "Size.");
  schema.Property("token", &ClusterConfigForTest::token, "Token.").Secret();
  schema.Property("keys", &ClusterConfigForTest::keys, "Keys.").Secret();
  schema.SectionList("nodes", &ClusterConfigForTest::nodes, node, "Nodes.");
  schema.SectionMap("tenants", &ClusterConfigForTest::tenants, "tenant-id", tenant, "Tenants.");
  return schema;
}

std::map<std::string, PropertyValue> ByPath(const std::vector<PropertyValue>& rows) {
  std::map<std::string, PropertyValue> out;
  for (const PropertyValue& row : rows) out[row.path] = row;
  return out;
}

TEST(PropertyValuesTest, CurrentValuesWithSecretsMaskedAndConcreteElements) {
  ClusterConfigForTest config;
  config.size = 5;
  config.token = "t0ps3cret";
  config.nodes = {NodeConfig{"redis://u:pw@host", "hunter2"}, NodeConfig{}};
  config.tenants["acme"].prefix = "ACME_";
  const std::vector<PropertyValue> rows = DescribePropertyValues("x.cluster", Schema(), config);
  std::vector<std::string> paths;
  for (const PropertyValue& row : rows) paths.push_back(row.path);
  EXPECT_EQ(paths,
            (std::vector<std::string>{"x.cluster.size", "x.cluster.token", "x.cluster.keys",
                                      "x.cluster.nodes[0].uri", "x.cluster.nodes[0].password",
                                      "x.cluster.nodes[1].uri", "x.cluster.nodes[1].password",
                                      "x.cluster.tenants.acme.prefix"}));
  const auto by_path = ByPath(rows);
  EXPECT_EQ(by_path.at("x.cluster.size").value, "5");
  EXPECT_EQ(by_path.at("x.cluster.size").default_value, "3");
  EXPECT_EQ(by_path.at("x.cluster.size").type, "int");
  EXPECT_FALSE(by_path.at("x.cluster.size").secret);
  EXPECT_EQ(by_path.at("x.cluster.token").value, "****");
  EXPECT_TRUE(by_path.at("x.cluster.token").secret);
  EXPECT_EQ(by_path.at("x.cluster.keys").value, "[]");  // unset secrets show as unset
  EXPECT_EQ(by_path.at("x.cluster.nodes[0].uri").value, "redis://***@host");
  EXPECT_EQ(by_path.at("x.cluster.nodes[0].password").value, "****");
  EXPECT_EQ(by_path.at("x.cluster.nodes[1].uri").value, "redis://localhost");
  EXPECT_EQ(by_path.at("x.cluster.nodes[1].password").value, "");
  EXPECT_EQ(by_path.at("x.cluster.tenants.acme.prefix").value, "ACME_");
  for (const PropertyValue& row : rows) {
    EXPECT_FALSE(absl::StrContains(row.value, "t0ps3cret")) << row.path;
    EXPECT_FALSE(absl::StrContains(row.value, "hunter2")) << row.path;
    EXPECT_FALSE(absl::StrContains(row.value, ":pw@")) << row.path;
  }
}

TEST(PropertyValuesTest, FailoverConfigSecretsNeverAppear) {
  FailoverConfig config;
  config.dashboard.cluster.prometheus.token = "prom-token-1";
  config.dashboard.security.ingest_tokens = {"ingest-token-1"};
  config.dashboard.cluster.snapshot.password = "snap-pass-1";
  config.dashboard.cluster.shared_store.jdbc.url = "postgresql://u:db-pass-1@db:5432/x";
  config.dashboard.history.samples = 7;
  const std::vector<PropertyValue> rows =
      DescribePropertyValues(kFailoverConfigPath, FailoverConfigSchema(), config);
  const auto by_path = ByPath(rows);
  EXPECT_EQ(by_path.at("failover.dashboard.history.samples").value, "7");
  EXPECT_EQ(by_path.at("failover.dashboard.cluster.prometheus.token").value, "****");
  EXPECT_EQ(by_path.at("failover.dashboard.security.ingest-tokens").value, "****");
  for (const PropertyValue& row : rows) {
    for (absl::string_view secret :
         {"prom-token-1", "ingest-token-1", "snap-pass-1", "db-pass-1"}) {
      EXPECT_FALSE(absl::StrContains(row.value, secret)) << row.path;
    }
  }
}

}  // namespace
}  // namespace failover
