// Reading: every JSON shape the Nacos reference shows or that real files contain.
#include "naming-client/service_info_json.h"

#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {
namespace {

std::string ReadTestdata(const std::string& name) {
  std::ifstream in("naming-client/testdata/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing testdata " << name;
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

v1::ServiceInfo ParseTestdata(const std::string& name) {
  absl::StatusOr<v1::ServiceInfo> info = ParseServiceInfoJson(ReadTestdata(name));
  EXPECT_TRUE(info.ok()) << name << ": " << info.status();
  return info.ok() ? *info : v1::ServiceInfo();
}

// The example of the official failover documentation, pretty-printed: Java's failover reader
// reads only its first line and loads nothing.
TEST(ParseServiceInfoJsonTest, PrettyPrintedDocumentationExample) {
  v1::ServiceInfo info = ParseTestdata("doc_example_pretty.json");
  EXPECT_EQ(info.name(), "DEFAULT_GROUP@@test.2");
  EXPECT_EQ(info.group_name(), "DEFAULT_GROUP");
  EXPECT_TRUE(info.has_clusters());
  EXPECT_EQ(info.clusters(), "");
  EXPECT_EQ(info.cache_millis(), 10000);
  EXPECT_EQ(info.last_ref_time(), 1689835375819);
  EXPECT_EQ(info.checksum(), "");
  EXPECT_FALSE(info.allips());
  EXPECT_FALSE(info.reach_protection_threshold());
  EXPECT_TRUE(info.valid());
  ASSERT_EQ(info.hosts_size(), 1);
  const v1::Instance& host = info.hosts(0);
  EXPECT_EQ(host.instance_id(), "1.1.2.1#8888#DEFAULT#DEFAULT_GROUP@@test.2");
  EXPECT_EQ(host.ip(), "1.1.2.1");
  EXPECT_EQ(host.port(), 8888);
  EXPECT_EQ(host.weight(), 1.0);  // Integer weight.
  EXPECT_TRUE(host.healthy());
  EXPECT_TRUE(host.enabled());
  EXPECT_TRUE(host.ephemeral());
  EXPECT_EQ(host.cluster_name(), "DEFAULT");
  EXPECT_EQ(host.service_name(), "DEFAULT_GROUP@@test.2");
  EXPECT_EQ(host.metadata().at("k1"), "v1");
  EXPECT_EQ(host.instance_heart_beat_interval(), 5000);
  EXPECT_EQ(host.instance_heart_beat_time_out(), 15000);
  EXPECT_EQ(host.ip_delete_timeout(), 30000);
}

TEST(ParseServiceInfoJsonTest, SingleLineAsJavaWritesIt) {
  v1::ServiceInfo info = ParseTestdata("java_single_line.json");
  EXPECT_EQ(info.name(), "DEFAULT_GROUP@@orders");
  ASSERT_EQ(info.hosts_size(), 2);
  EXPECT_EQ(info.hosts(1).weight(), 2.5);
  EXPECT_FALSE(info.hosts(1).healthy());
  EXPECT_EQ(info.hosts(0).metadata().at("zone"), "a");
  EXPECT_EQ(info.checksum(), "3bbcf6dd1175203a8afdade0e77a27cd");
}

TEST(ParseServiceInfoJsonTest, AllIpsSpellingOfNacos3AndAllIPsOfNacos2) {
  EXPECT_TRUE(ParseTestdata("nacos3_all_ips.json").allips());
  EXPECT_TRUE(ParseServiceInfoJson(R"({"allIPs":true})")->allips());
  EXPECT_TRUE(ParseServiceInfoJson(R"({"allIps":true})")->allips());
  EXPECT_FALSE(ParseServiceInfoJson(R"({"allIPs":false})")->allips());
}

TEST(ParseServiceInfoJsonTest, NumbersAndBooleansAsStrings) {
  v1::ServiceInfo info = ParseTestdata("strings_for_numbers.json");
  EXPECT_EQ(info.cache_millis(), 10000);
  EXPECT_EQ(info.last_ref_time(), 1700000000000);
  EXPECT_TRUE(info.allips());
  EXPECT_TRUE(info.reach_protection_threshold());
  ASSERT_EQ(info.hosts_size(), 1);
  EXPECT_EQ(info.hosts(0).port(), 81);
  EXPECT_EQ(info.hosts(0).weight(), 2.5);
  EXPECT_FALSE(info.hosts(0).healthy());
  EXPECT_TRUE(info.hosts(0).enabled());
  EXPECT_FALSE(info.hosts(0).ephemeral());
}

TEST(ParseServiceInfoJsonTest, IntegerWeightsAndIntegralFloatPorts) {
  v1::ServiceInfo info = ParseTestdata("integer_weight.json");
  ASSERT_EQ(info.hosts_size(), 2);
  EXPECT_EQ(info.hosts(0).weight(), 3.0);
  EXPECT_EQ(info.hosts(1).weight(), 0.0);
  EXPECT_EQ(info.hosts(1).port(), 8080);
}

TEST(ParseServiceInfoJsonTest, NullHostsMeansNoHosts) {
  v1::ServiceInfo info = ParseTestdata("hosts_null.json");
  EXPECT_EQ(info.name(), "orders");
  EXPECT_EQ(info.hosts_size(), 0);
  EXPECT_FALSE(info.has_clusters());
  EXPECT_FALSE(info.has_checksum());
}

TEST(ParseServiceInfoJsonTest, UnknownFieldsAtEveryLevelAreIgnored) {
  v1::ServiceInfo info = ParseTestdata("unknown_fields.json");
  EXPECT_EQ(info.name(), "orders");
  ASSERT_EQ(info.hosts_size(), 1);
  EXPECT_EQ(info.hosts(0).ip(), "10.0.0.1");
  EXPECT_EQ(info.hosts(0).port(), 8080);
}

TEST(ParseServiceInfoJsonTest, MissingFieldsTakeTheNacosDefaults) {
  v1::ServiceInfo info = ParseTestdata("scenario_a.json");
  EXPECT_EQ(info.name(), "svcA");
  EXPECT_EQ(info.cache_millis(), 1000);
  ASSERT_EQ(info.hosts_size(), 1);
  const v1::Instance& host = info.hosts(0);
  EXPECT_EQ(host.ip(), "10.0.0.1");
  EXPECT_EQ(host.port(), 8080);
  EXPECT_EQ(host.weight(), 1.0);
  EXPECT_TRUE(host.healthy());
  EXPECT_TRUE(host.enabled());
  EXPECT_TRUE(host.ephemeral());
  EXPECT_FALSE(host.has_cluster_name());
  EXPECT_TRUE(host.metadata().empty());
}

TEST(ParseServiceInfoJsonTest, ByteOrderMarkAndCrlf) {
  v1::ServiceInfo info = ParseTestdata("bom_crlf_pretty.json");
  EXPECT_EQ(info.name(), "orders");
  ASSERT_EQ(info.hosts_size(), 1);
  EXPECT_EQ(info.hosts(0).weight(), 1.5);
}

TEST(ParseServiceInfoJsonTest, NullFieldsAreAbsent) {
  absl::StatusOr<v1::ServiceInfo> info = ParseServiceInfoJson(
      R"({"name":null,"hosts":[{"ip":"10.0.0.1","weight":null,"metadata":null,"clusterName":null}]})");
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_FALSE(info->has_name());
  EXPECT_FALSE(info->hosts(0).has_weight());
  EXPECT_EQ(info->hosts(0).weight(), 1.0);
  EXPECT_FALSE(info->hosts(0).has_cluster_name());
}

// The error message of parsing `json` (a std::string, so gtest prints it readably).
std::string ParseError(const std::string& json) {
  absl::StatusOr<v1::ServiceInfo> info = ParseServiceInfoJson(json);
  if (info.ok()) return "parsed without error";
  EXPECT_EQ(info.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(info.status().message());
}

TEST(ParseServiceInfoJsonTest, TruncatedDocumentGivesWhereItEnds) {
  EXPECT_EQ(ParseError(ReadTestdata("truncated.json")),
            "line 1, column 105 (end of input): Closing quote expected in string.");
  EXPECT_EQ(ParseError(R"({"name":"x12","hosts":[{"port":12)"),
            "line 1, column 34 (end of input): Unexpected end of string. Expected , or } after "
            "key:value pair.");
  EXPECT_EQ(ParseError(R"({"hosts":[{"healthy":tr)"), "line 1, column 22: Unexpected token.");
}

TEST(ParseServiceInfoJsonTest, TruncatedPrettyDocumentGivesTheLastLine) {
  EXPECT_EQ(ParseError("{\n  \"name\": \"a\",\n  \"hosts\": [\n    {\"ip\": \"10.0.0.1\"}\n  ]\n"),
            "line 5, column 4 (end of input): Unexpected end of string. Expected , or } after "
            "key:value pair.");
}

TEST(ParseServiceInfoJsonTest, SyntaxErrorGivesLineAndColumn) {
  EXPECT_EQ(ParseError("{\n  \"name\": \"a\",\n  \"hosts\": [\n    {\"ip\": \"10.0.0.1\" \"port\": "
                       "80}\n  ]\n}\n"),
            "line 4, column 23: Expected , or } after key:value pair.");
  EXPECT_EQ(ParseError("{\"name\": \"a\",\n \"cacheMillis\": 10x00}"),
            "line 2, column 17: Unable to parse number.");
}

TEST(ParseServiceInfoJsonTest, BadValueNamesTheFieldAsTheJsonSpellsIt) {
  EXPECT_EQ(ParseError(R"({"hosts":[{"ip":"a"},{"port":"http"}]})"),
            "hosts[1].port: invalid value \"http\" for type TYPE_INT32");
  EXPECT_EQ(ParseError(R"({"cacheMillis":"soon"})"),
            "cacheMillis: invalid value \"soon\" for type TYPE_INT64");
  EXPECT_EQ(ParseError(R"({"hosts":[{"port":99999999999}]})"),
            "hosts[0].port: invalid value 99999999999 for type TYPE_INT32");
  EXPECT_EQ(ParseError(R"({"hosts":[{"instanceHeartBeatTimeOut":[]}]})"),
            "hosts[0].instanceHeartBeatTimeOut: Proto field is not repeating, cannot start list.");
  EXPECT_EQ(ParseError(R"({"name":[1]})"),
            "name: Proto field is not repeating, cannot start list.");
  EXPECT_EQ(ParseError(R"({"hosts":[{"metadata":{"k":1}}]})"),
            "hosts[0].metadata[0].value: invalid value 1 for type TYPE_STRING");
}

TEST(ParseServiceInfoJsonTest, RangeChecks) {
  EXPECT_EQ(ParseError(R"({"hosts":[{"weight":-1}]})"),
            "hosts[0].weight: -1 is not a weight (expected a finite number >= 0)");
  EXPECT_EQ(ParseError(R"({"hosts":[{},{"weight":"NaN"}]})"),
            "hosts[1].weight: nan is not a weight (expected a finite number >= 0)");
  EXPECT_EQ(ParseError(R"({"hosts":[{"port":70000}]})"),
            "hosts[0].port: 70000 is outside 0..65535");
  EXPECT_EQ(ParseError(R"({"hosts":[{"port":-1}]})"), "hosts[0].port: -1 is outside 0..65535");
}

TEST(ParseServiceInfoJsonTest, NotAnObject) {
  EXPECT_EQ(ParseError(""), "empty document (expected a ServiceInfo JSON object)");
  EXPECT_EQ(ParseError("\xEF\xBB\xBF \r\n"), "empty document (expected a ServiceInfo JSON object)");
  EXPECT_EQ(ParseError("[1,2]"), "the document is not a JSON object");
  EXPECT_EQ(ParseError("README: put failover files here"), "line 1, column 1: Unexpected token.");
}

}  // namespace
}  // namespace naming
}  // namespace failover
