// Writing: the shape the Java client writes, and round trips.
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "naming-client/service_info_json.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {
namespace {

using ::google::protobuf::util::MessageDifferencer;

std::string ReadTestdata(const std::string& name) {
  std::ifstream in("naming-client/testdata/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing testdata " << name;
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

TEST(SerializeServiceInfoJsonTest, ReproducesAFileTheJavaClientWroteByteForByte) {
  const std::string java = ReadTestdata("java_single_line.json");
  absl::StatusOr<v1::ServiceInfo> info = ParseServiceInfoJson(java);
  ASSERT_TRUE(info.ok()) << info.status();
  absl::StatusOr<std::string> written = SerializeServiceInfoJson(*info);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, java);
}

TEST(SerializeServiceInfoJsonTest, MinimalInfoWritesJavaDefaultsAndLeavesOutUnsetStrings) {
  v1::ServiceInfo info;
  info.set_name("svcA");
  v1::Instance* host = info.add_hosts();
  host->set_ip("10.0.0.1");
  host->set_port(8080);
  EXPECT_EQ(*SerializeServiceInfoJson(info),
            R"({"name":"svcA","cacheMillis":1000,"hosts":[{"ip":"10.0.0.1","port":8080,)"
            R"("weight":1.0,"healthy":true,"enabled":true,"ephemeral":true,"metadata":{},)"
            R"("instanceHeartBeatInterval":5000,"instanceHeartBeatTimeOut":15000,)"
            R"("ipDeleteTimeout":30000}],"lastRefTime":0,"checksum":"","allIPs":false,)"
            R"("reachProtectionThreshold":false,"valid":true})");
}

TEST(SerializeServiceInfoJsonTest, EmptyInfo) {
  EXPECT_EQ(*SerializeServiceInfoJson(v1::ServiceInfo()),
            R"({"cacheMillis":1000,"hosts":[],"lastRefTime":0,"checksum":"","allIPs":false,)"
            R"("reachProtectionThreshold":false,"valid":true})");
}

TEST(SerializeServiceInfoJsonTest, EscapesStringsAsJackson) {
  v1::ServiceInfo info;
  info.set_name("a\"b\\c\n\t\x01/\xE6\x9C\x8D");
  const std::string json = *SerializeServiceInfoJson(info);
  EXPECT_NE(json.find(R"("name":"a\"b\\c\n\t\u0001/)"
                      "\xE6\x9C\x8D\""),
            std::string::npos)
      << json;
  EXPECT_EQ(ParseServiceInfoJson(json)->name(), info.name());
}

// Formatted as Java's Double.toString, and read back exactly.
TEST(SerializeServiceInfoJsonTest, Doubles) {
  const struct {
    double value;
    const char* text;
  } cases[] = {{0.0, "0.0"},
               {1.0, "1.0"},
               {2.5, "2.5"},
               {0.1, "0.1"},
               {100.0, "100.0"},
               {0.001, "0.001"},
               {123456.789, "123456.789"},
               {1e7, "1.0E7"},
               {1.5e-5, "1.5E-5"},
               {1.25e300, "1.25E300"}};
  v1::ServiceInfo info;
  for (const auto& c : cases) info.add_hosts()->set_weight(c.value);
  const std::string json = *SerializeServiceInfoJson(info);
  for (const auto& c : cases) {
    const std::string member = std::string("\"weight\":") + c.text + ",";
    EXPECT_NE(json.find(member), std::string::npos) << member << " in " << json;
  }
  absl::StatusOr<v1::ServiceInfo> back = ParseServiceInfoJson(json);
  ASSERT_TRUE(back.ok()) << back.status();
  for (int i = 0; i < info.hosts_size(); ++i) {
    EXPECT_EQ(back->hosts(i).weight(), info.hosts(i).weight());
  }
}

TEST(SerializeServiceInfoJsonTest, ErrorsNameTheField) {
  v1::ServiceInfo info;
  info.add_hosts();
  info.add_hosts()->set_weight(std::numeric_limits<double>::infinity());
  EXPECT_EQ(std::string(SerializeServiceInfoJson(info).status().message()),
            "hosts[1].weight: inf is not a finite number, which JSON cannot carry");

  v1::ServiceInfo bad_utf8;
  (*bad_utf8.add_hosts()->mutable_metadata())["zone"] = "\xFF";
  EXPECT_EQ(std::string(SerializeServiceInfoJson(bad_utf8).status().message()),
            "hosts[0].metadata[\"zone\"]: not valid UTF-8, which JSON cannot carry");
}

TEST(SerializeInstancesJsonTest, IsTheHostsArrayOfTheServiceInfo) {
  const std::string java = ReadTestdata("java_single_line.json");
  absl::StatusOr<v1::ServiceInfo> info = ParseServiceInfoJson(java);
  ASSERT_TRUE(info.ok()) << info.status();
  absl::StatusOr<std::string> hosts = SerializeInstancesJson(*info);
  ASSERT_TRUE(hosts.ok()) << hosts.status();
  const size_t start = java.find("\"hosts\":") + 8;
  EXPECT_EQ(*hosts, java.substr(start, java.find(",\"lastRefTime\"") - start));
  EXPECT_EQ(*SerializeInstancesJson(v1::ServiceInfo()), "[]");

  v1::ServiceInfo bad;
  bad.add_hosts()->set_weight(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(std::string(SerializeInstancesJson(bad).status().message()),
            "hosts[0].weight: nan is not a finite number, which JSON cannot carry");
}

// Every reference shape survives parse -> write -> parse with nothing lost.
TEST(SerializeServiceInfoJsonTest, RoundTripsEveryTestdataShape) {
  for (const char* name :
       {"doc_example_pretty.json", "java_single_line.json", "nacos3_all_ips.json",
        "strings_for_numbers.json", "integer_weight.json", "hosts_null.json", "unknown_fields.json",
        "scenario_a.json", "bom_crlf_pretty.json"}) {
    SCOPED_TRACE(name);
    absl::StatusOr<v1::ServiceInfo> first = ParseServiceInfoJson(ReadTestdata(name));
    ASSERT_TRUE(first.ok()) << first.status();
    absl::StatusOr<std::string> written = SerializeServiceInfoJson(*first);
    ASSERT_TRUE(written.ok()) << written.status();
    EXPECT_EQ(written->find('\n'), std::string::npos);
    absl::StatusOr<v1::ServiceInfo> second = ParseServiceInfoJson(*written);
    ASSERT_TRUE(second.ok()) << second.status();
    // Equivalent: unset numbers are written with their default, so they come back set.
    EXPECT_TRUE(MessageDifferencer::Equivalent(*first, *second))
        << first->ShortDebugString() << "\nvs\n"
        << second->ShortDebugString();
    EXPECT_EQ(*SerializeServiceInfoJson(*second), *written);
  }
}

}  // namespace
}  // namespace naming
}  // namespace failover
