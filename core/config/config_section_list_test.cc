// Lists of sections: ConfigSchema::SectionList binds a YAML list of maps to a std::vector of
// structs, each element with the element schema, and the environment reaches single elements.
// The example section (a cluster of nodes) lives only here.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/config/config_loader.h"
#include "core/config/config_validators.h"
#include "core/config/failover_config_loader.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

enum class Role { kPrimary, kReplica };
constexpr ConfigEnumValue<Role> kRoles[] = {{Role::kPrimary, "primary"},
                                            {Role::kReplica, "replica"}};
ConfigEnumDescription<Role> DescribeConfigEnum(Role) { return {"Role", kRoles}; }

struct TlsConfig {
  bool enabled = false;
};

struct NodeConfig {
  std::string name;
  std::string uri;
  double weight = 1.0;
  Role role = Role::kPrimary;
  std::vector<std::string> tags;
  int32_t max_connections = 4;
  TlsConfig tls;
};

struct ClusterConfig {
  std::vector<NodeConfig> nodes;
  int32_t max_retries = 3;
};

// "db://user:****@host": the part between ':' and '@' of the authority hidden.
std::string MaskPassword(absl::string_view uri) {
  const size_t at = uri.rfind('@');
  const size_t colon = uri.find(':', uri.find("//") + 2);
  if (at == absl::string_view::npos || colon == absl::string_view::npos || colon > at) {
    return std::string(uri);
  }
  return absl::StrCat(uri.substr(0, colon + 1), "****", uri.substr(at));
}

ConfigSchema<ClusterConfig> ClusterSchema() {
  ConfigSchema<TlsConfig> tls;
  tls.Property("enabled", &TlsConfig::enabled, "Use TLS.");

  ConfigSchema<NodeConfig> node;
  node.Property("name", &NodeConfig::name, "Unique name.").Validate(NotBlank());
  node.Property("uri", &NodeConfig::uri, "Where the node is.")
      .Validate([](const std::string& uri) {
        if (absl::StartsWith(uri, "db://")) return absl::OkStatus();
        return absl::InvalidArgumentError("must start with db://");
      })
      .Redact(MaskPassword);
  node.Property("weight", &NodeConfig::weight, "Preference.").Validate(AtLeast(0.0));
  node.Property("role", &NodeConfig::role, "What the node does.");
  node.Property("tags", &NodeConfig::tags, "Labels.").ValidateEach(NotBlank());
  node.Property("max-connections", &NodeConfig::max_connections, "Pool size.");
  node.Section("tls", &NodeConfig::tls, tls, "Transport security.");
  node.Check([](const NodeConfig& n, CheckReporter& reporter) {
    if (n.role == Role::kReplica && n.weight > 0) {
      reporter.Error("weight", "must be 0 for a replica");
    }
  });

  ConfigSchema<ClusterConfig> schema;
  schema.SectionList("nodes", &ClusterConfig::nodes, node, "The nodes, in order.");
  schema.Property("max-retries", &ClusterConfig::max_retries, "Retries per call.")
      .Validate(AtLeast<int32_t>(0));
  schema.Check([](const ClusterConfig& c, CheckReporter& reporter) {
    if (reporter.SectionPresent() && c.nodes.empty()) {
      reporter.Error("nodes", "at least one node is required");
    }
    std::map<std::string, size_t> first;
    for (size_t i = 0; i < c.nodes.size(); ++i) {
      auto [it, inserted] = first.emplace(c.nodes[i].name, i);
      if (!inserted) {
        reporter.Error(absl::StrCat("nodes[", i, "].name"),
                       absl::StrCat("is also the name of nodes[", it->second, "]"));
      }
    }
  });
  return schema;
}

class SectionListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<SectionHandle<FailoverConfig>> root = AddFailoverSection(loader_);
    ASSERT_TRUE(root.ok()) << root.status();
    absl::StatusOr<SectionHandle<ClusterConfig>> cluster =
        loader_.AddSection("failover.cluster", ClusterSchema());
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_.emplace(*cluster);
  }

  ConfigLoadResult Load(absl::string_view yaml, const Environment& env = {}) {
    return loader_.Load(yaml, env);
  }
  const ClusterConfig& Cluster(const ConfigLoadResult& result) { return result.Get(*cluster_); }

  static std::vector<std::string> Problems(const ConfigLoadResult& result) {
    std::vector<std::string> out;
    for (const ConfigProblem& p : result.problems()) out.push_back(p.ToString());
    return out;
  }
  static std::vector<std::string> Warnings(const ConfigLoadResult& result) {
    std::vector<std::string> out;
    for (const ConfigProblem& p : result.warnings()) out.push_back(p.ToString());
    return out;
  }

  ConfigLoader loader_;
  std::optional<SectionHandle<ClusterConfig>> cluster_;
};

constexpr char kTwoNodes[] =
    "failover:\n"
    "  cluster:\n"
    "    nodes:\n"
    "      - { name: east, uri: \"db://a:1\", weight: 1.0 }\n"
    "      - { name: west, uri: \"db://b:2\", weight: 0.5 }\n";

TEST_F(SectionListTest, FlowAndBlockStyleBindAlike) {
  const ConfigLoadResult flow = Load(kTwoNodes);
  const ConfigLoadResult block = Load(
      "failover:\n"
      "  cluster:\n"
      "    nodes:\n"
      "      - name: east\n"
      "        uri: db://a:1\n"
      "        weight: 1.0\n"
      "      - name: west\n"
      "        uri: db://b:2\n"
      "        weight: 0.5\n");
  for (const ConfigLoadResult* result : {&flow, &block}) {
    ASSERT_TRUE(result->ok()) << result->status();
    const ClusterConfig& c = Cluster(*result);
    ASSERT_EQ(c.nodes.size(), 2);
    EXPECT_EQ(c.nodes[0].name, "east");
    EXPECT_EQ(c.nodes[0].uri, "db://a:1");
    EXPECT_EQ(c.nodes[0].weight, 1.0);
    EXPECT_EQ(c.nodes[1].name, "west");
    EXPECT_EQ(c.nodes[1].uri, "db://b:2");
    EXPECT_EQ(c.nodes[1].weight, 0.5);
    EXPECT_EQ(c.max_retries, 3);
    EXPECT_EQ(result->properties_set(), 6);  // the element properties, not the list
  }
}

TEST_F(SectionListTest, ElementsGetDefaultsRelaxedKeysNestedSectionsAndFlatKeys) {
  const ConfigLoadResult result = Load(
      "failover.cluster:\n"
      "  Nodes:\n"
      "    - NAME: a\n"
      "      uri: db://a\n"
      "      Role: REPLICA\n"
      "      weight: 0\n"
      "      tags: x, y\n"
      "      tls.enabled: true\n"
      "    - {name: b, uri: db://b, tags: [z], TLS: {Enabled: on}}\n");
  ASSERT_TRUE(result.ok()) << result.status();
  const ClusterConfig& c = Cluster(result);
  ASSERT_EQ(c.nodes.size(), 2);
  EXPECT_EQ(c.nodes[0].role, Role::kReplica);
  EXPECT_EQ(c.nodes[0].tags, (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(c.nodes[0].tls.enabled);
  EXPECT_EQ(c.nodes[1].weight, 1.0);  // default member initializer
  EXPECT_EQ(c.nodes[1].role, Role::kPrimary);
  EXPECT_EQ(c.nodes[1].tags, std::vector<std::string>{"z"});
  EXPECT_TRUE(c.nodes[1].tls.enabled);
}

TEST_F(SectionListTest, ProblemsNameTheElementWithItsIndexAndPosition) {
  const ConfigLoadResult result = Load(
      "failover:\n"
      "  cluster:\n"
      "    nodes:\n"
      "      - { name: east, uri: \"db://a:1\", weight: 1.0 }\n"
      "      - name: west\n"
      "        uri: \"http://b\"\n"
      "        weight: -1\n"
      "        role: leader\n"
      "        tags: [ok, \" \"]\n"
      "        urii: x\n"
      "      - { uri: \"db://c\", tls: { enable: true } }\n");
  EXPECT_EQ(
      Problems(result),
      (std::vector<std::string>{
          "failover.cluster.nodes[1].uri: 'http://b' must start with db:// (line 6, column 14)",
          "failover.cluster.nodes[1].weight: '-1' must be at least 0 (line 7, column 17)",
          "failover.cluster.nodes[1].role: 'leader' is not a Role (expected one of primary, "
          "replica) (line 8, column 15)",
          "failover.cluster.nodes[1].tags[1]: ' ' must not be blank (line 9, column 20)",
          "failover.cluster.nodes[1].urii: unknown property; did you mean "
          "failover.cluster.nodes[1].uri? (line 10, column 9)",
          // A required property left out is located at its element.
          "failover.cluster.nodes[2].name: '' must not be blank (line 11, column 9)",
          "failover.cluster.nodes[2].tls.enable: unknown property; did you mean "
          "failover.cluster.nodes[2].tls.enabled? (line 11, column 33)"}));
}

TEST_F(SectionListTest, ElementAndSectionChecksNameTheElement) {
  EXPECT_EQ(Problems(Load("failover.cluster.nodes:\n"
                          "  - {name: a, uri: db://a}\n"
                          "  - {name: b, uri: db://b, role: replica}\n")),
            std::vector<std::string>{"failover.cluster.nodes[1].weight: '1.0' must be 0 for a "
                                     "replica (line 3, column 5)"});
  EXPECT_EQ(Problems(Load("failover.cluster.nodes:\n"
                          "  - {name: a, uri: db://a}\n"
                          "  - {name: b, uri: db://b}\n"
                          "  - {name: a, uri: db://c}\n")),
            std::vector<std::string>{
                "failover.cluster.nodes[2].name: 'a' is also the name of nodes[0] (line 4, "
                "column 12)"});

  // The section's own checks wait until every element bound cleanly: no cascade.
  EXPECT_EQ(Problems(Load("failover.cluster.nodes:\n"
                          "  - {name: a, uri: db://a, weight: x}\n"
                          "  - {name: a, uri: db://b}\n")),
            std::vector<std::string>{
                "failover.cluster.nodes[0].weight: 'x' is not a number (line 2, column 36)"});
}

TEST_F(SectionListTest, NotAListAndNotAMapElementAreClearAndNeverEchoTheValue) {
  EXPECT_EQ(Problems(Load("failover.cluster.nodes: {name: a}\n")),
            std::vector<std::string>{
                "failover.cluster.nodes: is a list: expected a YAML list (one '- ' item or {...} "
                "per element), got a map (line 1, column 25)"});
  EXPECT_EQ(Problems(Load("failover.cluster.nodes: db://u:secret@a, db://b\n")),
            std::vector<std::string>{
                "failover.cluster.nodes: is a list: expected a YAML list (one '- ' item or {...} "
                "per element), got a scalar (line 1, column 25)"});
  const ConfigLoadResult result = Load(
      "failover.cluster.nodes:\n"
      "  - db://u:secret@a\n"
      "  - [x]\n"
      "  - {name: ok, uri: db://ok}\n");
  EXPECT_EQ(
      Problems(result),
      (std::vector<std::string>{
          "failover.cluster.nodes[0]: is a list element: expected a map of its properties "
          "(name, uri, weight, role, tags, max-connections, tls), got a scalar (line 2, column 5)",
          "failover.cluster.nodes[1]: is a list element: expected a map of its properties "
          "(name, uri, weight, role, tags, max-connections, tls), got a list (line 3, column 5)"}));
  EXPECT_EQ(Cluster(result).nodes.size(), 3);
  EXPECT_EQ(Cluster(result).nodes[2].name, "ok");
}

TEST_F(SectionListTest, AbsentSectionKeepsDefaultsPresentSectionIsChecked) {
  ConfigLoadResult result = Load("failover.store.type: jdbc\n");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(Cluster(result).nodes.empty());

  EXPECT_EQ(Problems(Load("failover.cluster:\n  max-retries: 1\n")),
            std::vector<std::string>{"failover.cluster.nodes: at least one node is required"});
  EXPECT_EQ(Problems(Load("failover.cluster:\n  nodes:\n")),
            std::vector<std::string>{
                "failover.cluster.nodes: at least one node is required (line 2, column 3)"});
  EXPECT_EQ(Problems(Load("failover.cluster:\n  nodes: []\n")),
            std::vector<std::string>{
                "failover.cluster.nodes: at least one node is required (line 2, column 10)"});
}

TEST_F(SectionListTest, RedactedValuesNeverAppearVerbatim) {
  const ConfigLoadResult result = Load(
      "failover.cluster.nodes:\n"
      "  - {name: a, uri: \"http://u:s3cret@a\"}\n"
      "  - {name: b, uri: \"db://u:${PASSWORD}@b\"}\n");
  ASSERT_EQ(Problems(result),
            std::vector<std::string>{"failover.cluster.nodes[0].uri: 'http://u:****@a' must start "
                                     "with db:// (line 2, column 20)"});
  ASSERT_EQ(result.warnings().size(), 1);
  EXPECT_EQ(result.warnings()[0].value, "db://u:****@b");
  for (const ConfigProblem& p : result.problems()) {
    EXPECT_FALSE(absl::StrContains(p.ToString(), "s3cret"));
  }
}

TEST_F(SectionListTest, EnvironmentSetsOnePropertyOfOneElement) {
  const ConfigLoadResult result = Load(kTwoNodes, {{"FAILOVER_CLUSTER_NODES_0_URI", "db://env:9"},
                                                   {"FAILOVER_CLUSTER_NODES_1_TLS_ENABLED", "true"},
                                                   {"FAILOVER_CLUSTER_NODES_1_TAGS", "p,q"},
                                                   {"failover_cluster_nodes_2_name", "north"},
                                                   {"FAILOVER_CLUSTER_NODES_2_URI", "db://n"},
                                                   {"FAILOVER_CLUSTER_MAX_RETRIES", "5"}});
  ASSERT_TRUE(result.ok()) << result.status();
  const ClusterConfig& c = Cluster(result);
  ASSERT_EQ(c.nodes.size(), 3);
  EXPECT_EQ(c.nodes[0].name, "east");  // the rest of the element stays as in the file
  EXPECT_EQ(c.nodes[0].uri, "db://env:9");
  EXPECT_EQ(c.nodes[1].uri, "db://b:2");
  EXPECT_TRUE(c.nodes[1].tls.enabled);
  EXPECT_EQ(c.nodes[1].tags, (std::vector<std::string>{"p", "q"}));
  EXPECT_EQ(c.nodes[2].name, "north");  // appended right after the file's elements
  EXPECT_EQ(c.nodes[2].uri, "db://n");
  EXPECT_EQ(c.nodes[2].weight, 1.0);
  EXPECT_EQ(c.max_retries, 5);
  EXPECT_EQ(result.applied_env_vars(),
            (std::vector<std::string>{
                "FAILOVER_CLUSTER_MAX_RETRIES", "FAILOVER_CLUSTER_NODES_0_URI",
                "FAILOVER_CLUSTER_NODES_1_TAGS", "FAILOVER_CLUSTER_NODES_1_TLS_ENABLED",
                "failover_cluster_nodes_2_name", "FAILOVER_CLUSTER_NODES_2_URI"}));
  EXPECT_TRUE(result.warnings().empty()) << Warnings(result)[0];
}

TEST_F(SectionListTest, EnvironmentAloneBuildsTheList) {
  const ConfigLoadResult result = Load("", {{"FAILOVER_CLUSTER_NODES_0_NAME", "a"},
                                            {"FAILOVER_CLUSTER_NODES_0_URI", "db://a"},
                                            {"FAILOVER_CLUSTER_NODES_1_NAME", "b"},
                                            {"FAILOVER_CLUSTER_NODES_1_URI", "db://b"}});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(Cluster(result).nodes.size(), 2);
  EXPECT_EQ(Cluster(result).nodes[1].uri, "db://b");
}

TEST_F(SectionListTest, EnvironmentProblemsNameTheVariable) {
  // A bad value: the element's path and the variable.
  EXPECT_EQ(Problems(Load(kTwoNodes, {{"FAILOVER_CLUSTER_NODES_1_WEIGHT", "-2"}})),
            std::vector<std::string>{
                "failover.cluster.nodes[1].weight: '-2' must be at least 0 (from environment "
                "variable FAILOVER_CLUSTER_NODES_1_WEIGHT)"});
  // A gap after the file's two elements.
  EXPECT_EQ(Problems(Load(kTwoNodes, {{"FAILOVER_CLUSTER_NODES_3_NAME", "x"}})),
            std::vector<std::string>{
                "failover.cluster.nodes: indexed variables must number the elements 0, 1, 2, ... "
                "without gaps; found no FAILOVER_CLUSTER_NODES_2_<PROPERTY> (the file has 2 "
                "elements) (from environment variable FAILOVER_CLUSTER_NODES_3_NAME)"});
  // Zero-padded index.
  EXPECT_EQ(Problems(Load(kTwoNodes, {{"FAILOVER_CLUSTER_NODES_01_NAME", "x"}})),
            std::vector<std::string>{
                "failover.cluster.nodes: the index of FAILOVER_CLUSTER_NODES_01_NAME must be a "
                "number from 0 without leading zeros (NAME_0_..., NAME_1_...) (from environment "
                "variable FAILOVER_CLUSTER_NODES_01_NAME)"});
  // The whole list from one variable.
  EXPECT_EQ(Problems(Load(kTwoNodes, {{"FAILOVER_CLUSTER_NODES", "db://a,db://b"}})),
            std::vector<std::string>{
                "failover.cluster.nodes: is a list of sections and cannot be set by one "
                "variable; set each element's properties instead, e.g. "
                "FAILOVER_CLUSTER_NODES_0_NAME (from environment variable "
                "FAILOVER_CLUSTER_NODES)"});
  // Both name forms of one element property: fine when they agree, a problem when not.
  ConfigLoadResult agree = Load(kTwoNodes, {{"FAILOVER_CLUSTER_NODES_0_MAXCONNECTIONS", "2"},
                                            {"FAILOVER_CLUSTER_NODES_0_MAX_CONNECTIONS", "2"}});
  ASSERT_TRUE(agree.ok()) << agree.status();
  EXPECT_EQ(Cluster(agree).nodes[0].max_connections, 2);
  EXPECT_EQ(Problems(Load(kTwoNodes, {{"FAILOVER_CLUSTER_NODES_0_MAXCONNECTIONS", "2"},
                                      {"FAILOVER_CLUSTER_NODES_0_MAX_CONNECTIONS", "3"}})),
            std::vector<std::string>{
                "failover.cluster.nodes[0].max-connections: is set by both "
                "FAILOVER_CLUSTER_NODES_0_MAXCONNECTIONS and "
                "FAILOVER_CLUSTER_NODES_0_MAX_CONNECTIONS with different values; use one (from "
                "environment variable FAILOVER_CLUSTER_NODES_0_MAX_CONNECTIONS)"});
  // A file element that is not a map is reported once, by the binder.
  EXPECT_EQ(
      Problems(Load("failover.cluster.nodes: [x]\n", {{"FAILOVER_CLUSTER_NODES_0_URI", "y"}})),
      std::vector<std::string>{
          "failover.cluster.nodes[0]: is a list element: expected a map of its properties "
          "(name, uri, weight, role, tags, max-connections, tls), got a scalar (line 1, "
          "column 26)"});
}

TEST_F(SectionListTest, UnknownElementVariablesAreWarnings) {
  const ConfigLoadResult result = Load(
      kTwoNodes, {{"FAILOVER_CLUSTER_NODES_0_URII", "db://x"}, {"FAILOVER_CLUSTER_NODES_0", "y"}});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(Warnings(result),
            (std::vector<std::string>{
                "FAILOVER_CLUSTER_NODES_0: does not match any property; ignored",
                "FAILOVER_CLUSTER_NODES_0_URII: does not match any property; ignored"}));
}

TEST_F(SectionListTest, DescribesTheListAndItsElementProperties) {
  std::map<std::string, PropertyDescription> rows;
  for (PropertyDescription& row : loader_.DescribeProperties()) rows[row.path] = row;
  const PropertyDescription& list = rows.at("failover.cluster.nodes");
  EXPECT_EQ(list.type, "List<section>");
  EXPECT_EQ(list.default_value, "[]");
  EXPECT_EQ(list.env_var, "");
  EXPECT_EQ(list.doc, "The nodes, in order.");
  const PropertyDescription& uri = rows.at("failover.cluster.nodes[].uri");
  EXPECT_EQ(uri.type, "String");
  EXPECT_EQ(uri.default_value, "");
  EXPECT_EQ(uri.env_var, "FAILOVER_CLUSTER_NODES_<INDEX>_URI");
  EXPECT_EQ(uri.doc, "Where the node is.");
  const PropertyDescription& weight = rows.at("failover.cluster.nodes[].weight");
  EXPECT_EQ(weight.type, "double");
  EXPECT_EQ(weight.default_value, "1.0");
  EXPECT_EQ(rows.at("failover.cluster.nodes[].role").allowed, "primary | replica");
  EXPECT_EQ(rows.at("failover.cluster.nodes[].tls.enabled").env_var,
            "FAILOVER_CLUSTER_NODES_<INDEX>_TLS_ENABLED");
  EXPECT_EQ(rows.at("failover.cluster.max-retries").env_var, "FAILOVER_CLUSTER_MAXRETRIES");
}

TEST(SectionListRegistrationTest, ListKeysCountAsDeclaredKeys) {
  ConfigSchema<NodeConfig> node;
  node.Property("name", &NodeConfig::name, "Name.");
  ConfigSchema<ClusterConfig> schema;
  schema.SectionList("nodes", &ClusterConfig::nodes, node, "Nodes.");
  schema.Property("nodes", &ClusterConfig::max_retries, "Clashes with the list.");
  ConfigLoader loader;
  absl::Status status = loader.AddSection("failover.cluster", schema).status();
  EXPECT_TRUE(absl::StrContains(status.message(), "'nodes' is declared twice")) << status;

  ASSERT_TRUE(loader.AddSection("failover.cluster", ClusterSchema()).ok());
  EXPECT_EQ(loader.AddSection("failover.cluster.nodes", ClusterSchema()).status().code(),
            absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace failover
