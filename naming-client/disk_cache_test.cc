#include "naming-client/disk_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/disk_failover_data_source.h"
#include "naming-client/internal/temp_dir.h"
#include "naming-client/service_info_json.h"

namespace failover {
namespace naming {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

std::string ReadTestdata(const std::string& name) {
  std::ifstream in("naming-client/testdata/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing testdata " << name;
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

v1::ServiceInfo Orders(const std::string& ip) {
  v1::ServiceInfo info;
  info.set_name("orders");
  info.set_group_name("DEFAULT_GROUP");
  v1::Instance* host = info.add_hosts();
  host->set_ip(ip);
  host->set_port(8080);
  return info;
}

DiskCacheContents ReadAll(const DiskCache& cache) {
  absl::StatusOr<DiskCacheContents> contents = cache.ReadAll();
  EXPECT_TRUE(contents.ok()) << contents.status();
  return contents.ok() ? *std::move(contents) : DiskCacheContents();
}

TEST(DiskCacheTest, WritesNacosFilesThatEveryReaderReads) {
  naming_internal::TempDir dir;
  const DiskCache cache({dir.Path("nacos/naming/public")});
  ASSERT_TRUE(cache.Write({"DEFAULT_GROUP", "orders", "c1,c2"}, Orders("10.0.0.1")).ok());
  ASSERT_TRUE(cache.Write({"my group", "a:b", ""}, Orders("10.0.0.2")).ok());

  // Java's file names: the grouped name URL-encoded, clusters appended as they are.
  EXPECT_THAT(dir.List("nacos/naming/public"),
              ElementsAre("DEFAULT_GROUP%40%40orders@@c1,c2", "my+group%40%40a%3Ab"));
  const std::string json = dir.ReadFile("nacos/naming/public/DEFAULT_GROUP%40%40orders@@c1,c2");
  EXPECT_EQ(json.find('\n'), std::string::npos);  // One line: Java's readers need it.
  absl::StatusOr<v1::ServiceInfo> parsed = ParseServiceInfoJson(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->hosts(0).ip(), "10.0.0.1");

  // The failover source reads the same format (an operator copying cache files into failover/).
  DiskFailoverOptions options;
  options.directory = dir.Path("nacos/naming/public");
  absl::StatusOr<FailoverData> data = (*DiskFailoverDataSource::Create(options))->GetData();
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_THAT(data->services,
              ElementsAre(Pair("DEFAULT_GROUP@@orders@@c1,c2", _), Pair("my group@@a:b", _)));
  EXPECT_THAT(data->problems, IsEmpty());

  const DiskCacheContents contents = ReadAll(cache);
  ASSERT_THAT(contents.services,
              ElementsAre(Pair("DEFAULT_GROUP@@orders@@c1,c2", _), Pair("my group@@a:b", _)));
  EXPECT_EQ(contents.services.at("my group@@a:b").info->hosts(0).ip(), "10.0.0.2");
}

TEST(DiskCacheTest, WritesReplaceAtomicallyAndLeaveNoTemporaryFiles) {
  naming_internal::TempDir dir;
  const DiskCache cache({dir.path()});
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(cache.Write({"g", "s", ""}, Orders("10.0.0." + std::to_string(i))).ok());
  }
  EXPECT_THAT(dir.List(), ElementsAre("g%40%40s"));
  EXPECT_EQ(ParseServiceInfoJson(dir.ReadFile("g%40%40s"))->hosts(0).ip(), "10.0.0.4");
}

TEST(DiskCacheTest, StrayTruncatedAndPrettyFilesEachStandAlone) {
  naming_internal::TempDir dir;
  dir.WriteFile("README", "cache files go here\n");
  dir.WriteFile("DEFAULT_GROUP%40%40broken", ReadTestdata("truncated.json"));
  dir.WriteFile("DEFAULT_GROUP%40%40test.2", ReadTestdata("doc_example_pretty.json"));
  dir.WriteFile("DEFAULT_GROUP%40%40svcA", ReadTestdata("scenario_a.json"));
  dir.WriteFile("DEFAULT_GROUP%40%40empty", R"({"name":"empty","hosts":[]})");
  dir.WriteFile(".failover-tmp.abc123", "half a file");
  ASSERT_EQ(::mkdir(dir.Path("failover").c_str(), 0755), 0);
  dir.WriteFile("failover/DEFAULT_GROUP%40%40fromFailover", ReadTestdata("scenario_a.json"));

  const DiskCacheContents contents = ReadAll(DiskCache({dir.path()}));
  EXPECT_THAT(contents.services,
              ElementsAre(Pair("DEFAULT_GROUP@@svcA", _), Pair("DEFAULT_GROUP@@test.2", _)));
  const v1::ServiceInfo& pretty = *contents.services.at("DEFAULT_GROUP@@test.2").info;
  EXPECT_EQ(pretty.name(), "test.2");  // From the file name, not the JSON's grouped name.
  EXPECT_EQ(pretty.hosts(0).metadata().at("k1"), "v1");
  EXPECT_THAT(contents.without_hosts, ElementsAre("DEFAULT_GROUP@@empty"));
  ASSERT_EQ(contents.problems.size(), 2u);
  EXPECT_EQ(contents.problems[0].origin, "DEFAULT_GROUP%40%40broken");
  EXPECT_EQ(contents.problems[0].kind, FailoverProblemKind::kBadContent);
  EXPECT_THAT(contents.problems[0].message, HasSubstr("cache file 'DEFAULT_GROUP%40%40broken': "));
  EXPECT_EQ(contents.problems[1].origin, "README");
  EXPECT_EQ(contents.problems[1].kind, FailoverProblemKind::kBadName);
}

TEST(DiskCacheTest, OversizedFilesAreReportedAndSkipped) {
  naming_internal::TempDir dir;
  dir.WriteFile("DEFAULT_GROUP%40%40svcA", ReadTestdata("scenario_a.json"));
  dir.WriteFile("DEFAULT_GROUP%40%40big", std::string(200, ' ') + ReadTestdata("scenario_a.json"));
  const DiskCacheContents contents = ReadAll(DiskCache({dir.path(), /*max_file_bytes=*/150}));
  EXPECT_THAT(contents.services, ElementsAre(Pair("DEFAULT_GROUP@@svcA", _)));
  ASSERT_EQ(contents.problems.size(), 1u);
  EXPECT_EQ(contents.problems[0].kind, FailoverProblemKind::kTooLarge);
}

TEST(DiskCacheTest, MissingDirectoryIsEmpty) {
  naming_internal::TempDir dir;
  const DiskCacheContents contents = ReadAll(DiskCache({dir.Path("nacos/naming/public")}));
  EXPECT_THAT(contents.services, IsEmpty());
  EXPECT_THAT(contents.problems, IsEmpty());
}

TEST(DiskCacheTest, WriteErrorsNameTheKeyAndThePath) {
  naming_internal::TempDir dir;
  dir.WriteFile("file", "");
  const DiskCache cache({dir.Path("file/nacos")});
  absl::Status s = cache.Write({"g", "s", ""}, Orders("10.0.0.1"));
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr("cache file for g@@s: "));
  EXPECT_THAT(std::string(s.message()), HasSubstr(dir.Path("file/nacos")));
  EXPECT_EQ(DiskCache({dir.path()}).Write({"g", "s", "a/b"}, Orders("10.0.0.1")).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace naming
}  // namespace failover
