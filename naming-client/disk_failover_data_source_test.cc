#include "naming-client/disk_failover_data_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/disk_failover_writer.h"
#include "naming-client/internal/temp_dir.h"

namespace failover {
namespace naming {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

constexpr char kSwitch[] = "00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00";
constexpr char kSvcA[] = "DEFAULT_GROUP%40%40svcA";
constexpr char kSvcAJson[] =
    R"({"name":"svcA","groupName":"DEFAULT_GROUP","hosts":[{"ip":"10.0.0.1","port":8080}]})";

std::string ReadTestdata(const std::string& name) {
  std::ifstream in("naming-client/testdata/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing testdata " << name;
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

class DiskFailoverDataSourceTest : public ::testing::Test {
 protected:
  DiskFailoverDataSourceTest() {
    DiskFailoverOptions options;
    options.directory = dir_.path();
    options.max_file_bytes = 4096;
    source_ = *DiskFailoverDataSource::Create(options);
  }

  FailoverData Data() {
    absl::StatusOr<FailoverData> data = source_->GetData();
    EXPECT_TRUE(data.ok()) << data.status();
    return data.ok() ? *std::move(data) : FailoverData();
  }

  bool SwitchOn() {
    absl::StatusOr<FailoverSwitch> s = source_->GetSwitch();
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() && s->enabled;
  }

  std::vector<std::string> Keys(const FailoverData& data) {
    std::vector<std::string> keys;
    for (const auto& [key, service] : data.services) keys.push_back(key);
    return keys;
  }

  naming_internal::TempDir dir_;
  std::unique_ptr<DiskFailoverDataSource> source_;
};

TEST_F(DiskFailoverDataSourceTest, MissingDirectoryIsOffAndEmpty) {
  DiskFailoverOptions options;
  options.directory = dir_.Path("nacos/naming/public/failover");
  auto source = *DiskFailoverDataSource::Create(options);
  absl::StatusOr<FailoverSwitch> s = source->GetSwitch();
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE(s->enabled);
  EXPECT_EQ(s->reason, "no switch file '" + options.directory + "/" + kSwitch + "'");
  absl::StatusOr<FailoverData> data = source->GetData();
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_THAT(data->services, IsEmpty());
  EXPECT_THAT(data->problems, IsEmpty());
}

TEST_F(DiskFailoverDataSourceTest, SwitchFile) {
  EXPECT_FALSE(SwitchOn());  // Absent.
  dir_.WriteFile(kSwitch, "1");
  EXPECT_TRUE(SwitchOn());
  EXPECT_EQ(source_->GetSwitch()->reason, "switch file '" + dir_.Path(kSwitch) + "' line 1 is '1'");
  dir_.WriteFile(kSwitch, "0\n");
  EXPECT_FALSE(SwitchOn());
  dir_.WriteFile(kSwitch,
                 "\xEF\xBB\xBF"
                 "1\r\n");  // Notepad.
  EXPECT_TRUE(SwitchOn());
  dir_.WriteFile(kSwitch, " 0 \r\n");
  EXPECT_FALSE(SwitchOn());
}

TEST_F(DiskFailoverDataSourceTest, SwitchFileThatStatesNothingIsAnError) {
  dir_.WriteFile(kSwitch, "");
  absl::StatusOr<FailoverSwitch> s = source_->GetSwitch();
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(s.status().message()),
            "failover switch file '" + dir_.Path(kSwitch) +
                "' is empty (expected a line '1' for on or '0' for off)");
  dir_.WriteFile(kSwitch, "yes");
  EXPECT_EQ(std::string(source_->GetSwitch().status().message()),
            "failover switch file '" + dir_.Path(kSwitch) +
                "' has no line that is '1' (on) or '0' (off); it starts with 'yes'");
}

// Reference scenario 1's data: the file name is the identity.
TEST_F(DiskFailoverDataSourceTest, ServesAServiceFile) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  FailoverData data = Data();
  EXPECT_THAT(data.problems, IsEmpty());
  ASSERT_THAT(Keys(data), ElementsAre("DEFAULT_GROUP@@svcA"));
  const FailoverServiceData& a = data.services.at("DEFAULT_GROUP@@svcA");
  EXPECT_EQ(a.key, (ServiceKey{"DEFAULT_GROUP", "svcA", ""}));
  EXPECT_EQ(a.origin, kSvcA);
  ASSERT_EQ(a.info->hosts_size(), 1);
  EXPECT_EQ(a.info->hosts(0).ip(), "10.0.0.1");
  EXPECT_EQ(a.info->hosts(0).port(), 8080);
}

// Java keys one map by the JSON's name and looks up by the file name's; "DEFAULT_GROUP@@x" in
// the JSON then never matches. Here the file name decides, and the info is made to agree.
TEST_F(DiskFailoverDataSourceTest, FileNameIsTheIdentityWhateverTheJsonNameSays) {
  dir_.WriteFile("DEFAULT_GROUP%40%40test.2", ReadTestdata("doc_example_pretty.json"));
  dir_.WriteFile("g2%40%40orders@@c1,c2", kSvcAJson);
  FailoverData data = Data();
  EXPECT_THAT(data.problems, IsEmpty());
  ASSERT_THAT(Keys(data), ElementsAre("DEFAULT_GROUP@@test.2", "g2@@orders@@c1,c2"));
  const v1::ServiceInfo& doc = *data.services.at("DEFAULT_GROUP@@test.2").info;
  EXPECT_EQ(doc.name(), "test.2");  // Was "DEFAULT_GROUP@@test.2" in the JSON.
  EXPECT_EQ(doc.group_name(), "DEFAULT_GROUP");
  const FailoverServiceData& clustered = data.services.at("g2@@orders@@c1,c2");
  EXPECT_EQ(clustered.key, (ServiceKey{"g2", "orders", "c1,c2"}));
  EXPECT_EQ(clustered.info->name(), "orders");  // Was "svcA".
  EXPECT_EQ(clustered.info->group_name(), "g2");
  EXPECT_EQ(clustered.info->clusters(), "c1,c2");
}

TEST_F(DiskFailoverDataSourceTest, EveryReferenceShapeLoads) {
  const std::vector<std::string> shapes = {
      "doc_example_pretty.json",  "java_single_line.json", "nacos3_all_ips.json",
      "strings_for_numbers.json", "integer_weight.json",   "hosts_null.json",
      "unknown_fields.json",      "scenario_a.json",       "bom_crlf_pretty.json"};
  for (size_t i = 0; i < shapes.size(); ++i) {
    dir_.WriteFile("DEFAULT_GROUP%40%40svc" + std::to_string(i), ReadTestdata(shapes[i]));
  }
  FailoverData data = Data();
  EXPECT_THAT(data.problems, IsEmpty());
  EXPECT_EQ(data.services.size(), shapes.size());
  // "hosts": null is a service with no hosts, not a problem.
  EXPECT_EQ(data.services.at("DEFAULT_GROUP@@svc5").info->hosts_size(), 0);
}

// One bad file never hides the others; each is reported with its exact problem.
TEST_F(DiskFailoverDataSourceTest, StrayAndBrokenFilesAreReportedAndSkipped) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  dir_.WriteFile(".DS_Store", std::string("\0\0\0\1Bud1", 8));
  dir_.WriteFile("README", "failover files go here\n");
  dir_.WriteFile("DEFAULT_GROUP%4G%40svcB", kSvcAJson);
  dir_.WriteFile("DEFAULT_GROUP%40%40svcC", ReadTestdata("truncated.json"));
  dir_.WriteFile("DEFAULT_GROUP%40%40svcD", std::string(5000, ' '));
  dir_.WriteFile("DEFAULT_GROUP%40%40svcE", R"({"hosts":[{"ip":"10.0.0.5","port":"http"}]})");
  dir_.WriteFile("DEFAULT_GROUP%40%40svcF", ReadTestdata("hosts_null.json"));
  ASSERT_EQ(::mkdir(dir_.Path("backup").c_str(), 0755), 0);  // Sub-directories are not files.
  dir_.WriteFile("backup/DEFAULT_GROUP%40%40svcG", kSvcAJson);
  dir_.WriteFile(".failover-tmp.Ab12Cd", "{");  // A writer's temporary file.

  FailoverData data = Data();
  EXPECT_THAT(Keys(data), ElementsAre("DEFAULT_GROUP@@svcA", "DEFAULT_GROUP@@svcF"));
  std::vector<std::string> messages;
  std::vector<std::string> kinds;
  for (const FailoverFileProblem& p : data.problems) {
    messages.push_back(p.message);
    kinds.push_back(std::string(FailoverProblemKindName(p.kind)));
  }
  EXPECT_THAT(
      messages,
      ElementsAre(
          "failover file name '.DS_Store': '.DS_Store' is not GROUP@@SERVICE or "
          "GROUP@@SERVICE@@CLUSTERS (no \"@@\")",
          "failover file 'DEFAULT_GROUP%40%40svcC': line 1, column 105 (end of input): Closing "
          "quote expected in string.",
          "failover file 'DEFAULT_GROUP%40%40svcD': '" + dir_.Path("DEFAULT_GROUP%40%40svcD") +
              "' is 5000 bytes, more than the limit of 4096",
          "failover file 'DEFAULT_GROUP%40%40svcE': hosts[0].port: invalid value \"http\" for "
          "type TYPE_INT32",
          "failover file name 'DEFAULT_GROUP%4G%40svcB': '%' at offset 13 is not followed by two "
          "hex digits (\"%4G\")",
          "failover file name 'README': 'README' is not GROUP@@SERVICE or "
          "GROUP@@SERVICE@@CLUSTERS (no \"@@\")"));
  EXPECT_THAT(kinds, ElementsAre("bad_name", "bad_content", "too_large", "bad_content", "bad_name",
                                 "bad_name"));
  EXPECT_EQ(data.problems[0].origin, ".DS_Store");
}

TEST_F(DiskFailoverDataSourceTest, TwoFilesForOneServiceServeTheFirstAndReportTheOther) {
  dir_.WriteFile("DEFAULT_GROUP%40%40svcA", kSvcAJson);
  dir_.WriteFile("DEFAULT_GROUP@@svcA", R"({"hosts":[{"ip":"10.9.9.9","port":1}]})");
  FailoverData data = Data();
  ASSERT_THAT(Keys(data), ElementsAre("DEFAULT_GROUP@@svcA"));
  EXPECT_EQ(data.services.at("DEFAULT_GROUP@@svcA").info->hosts(0).ip(), "10.0.0.1");
  ASSERT_EQ(data.problems.size(), 1u);
  EXPECT_EQ(data.problems[0].kind, FailoverProblemKind::kDuplicateKey);
  EXPECT_EQ(data.problems[0].message,
            "failover file 'DEFAULT_GROUP@@svcA': holds DEFAULT_GROUP@@svcA like "
            "'DEFAULT_GROUP%40%40svcA', which is served instead");
}

// Java re-reads data files only when the switch file's mtime goes up. Here every call reads
// them, and the content decides: an edit that keeps the size and the mtime is still seen.
TEST_F(DiskFailoverDataSourceTest, ContentChangesAreSeenEvenWithTheSameSizeAndMtime) {
  dir_.WriteFile(kSvcA, kSvcAJson);
  const FailoverData first = Data();
  const FailoverServiceData& a1 = first.services.at("DEFAULT_GROUP@@svcA");

  // Unchanged content: the same parsed object, shared.
  const FailoverData again = Data();
  EXPECT_EQ(again.services.at("DEFAULT_GROUP@@svcA").info, a1.info);
  EXPECT_EQ(again.services.at("DEFAULT_GROUP@@svcA").content_hash, a1.content_hash);

  struct stat before;
  ASSERT_EQ(::stat(dir_.Path(kSvcA).c_str(), &before), 0);
  std::string edited = kSvcAJson;
  edited.replace(edited.find("10.0.0.1"), 8, "10.0.0.9");
  dir_.WriteFile(kSvcA, edited);
  const struct timespec times[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, dir_.Path(kSvcA).c_str(), times, 0), 0);

  const FailoverData second = Data();
  const FailoverServiceData& a2 = second.services.at("DEFAULT_GROUP@@svcA");
  EXPECT_NE(a2.content_hash, a1.content_hash);
  EXPECT_EQ(a2.info->hosts(0).ip(), "10.0.0.9");
  EXPECT_EQ(a1.info->hosts(0).ip(), "10.0.0.1");  // Earlier results are never modified.
}

TEST_F(DiskFailoverDataSourceTest, DeletedFilesStopBeingServed) {
  dir_.WriteFile(kSvcA, kSvcAJson);
  dir_.WriteFile("DEFAULT_GROUP%40%40svcB", kSvcAJson);
  EXPECT_THAT(Keys(Data()), ElementsAre("DEFAULT_GROUP@@svcA", "DEFAULT_GROUP@@svcB"));
  ASSERT_EQ(::unlink(dir_.Path(kSvcA).c_str()), 0);
  EXPECT_THAT(Keys(Data()), ElementsAre("DEFAULT_GROUP@@svcB"));
  ASSERT_EQ(::unlink(dir_.Path("DEFAULT_GROUP%40%40svcB").c_str()), 0);
  EXPECT_THAT(Keys(Data()), IsEmpty());
}

TEST_F(DiskFailoverDataSourceTest, FixedFilesAreServedAgain) {
  dir_.WriteFile(kSvcA, ReadTestdata("truncated.json"));
  FailoverData broken = Data();
  EXPECT_THAT(broken.services, IsEmpty());
  ASSERT_EQ(broken.problems.size(), 1u);
  dir_.WriteFile(kSvcA, kSvcAJson);
  FailoverData fixed = Data();
  EXPECT_THAT(Keys(fixed), ElementsAre("DEFAULT_GROUP@@svcA"));
  EXPECT_THAT(fixed.problems, IsEmpty());
}

TEST_F(DiskFailoverDataSourceTest, UnreadableFileIsReported) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  dir_.WriteFile(kSvcA, kSvcAJson);
  ASSERT_EQ(::chmod(dir_.Path(kSvcA).c_str(), 0), 0);
  FailoverData data = Data();
  ASSERT_EQ(data.problems.size(), 1u);
  EXPECT_EQ(data.problems[0].kind, FailoverProblemKind::kUnreadable);
}

// What the writer writes, the source reads back unchanged.
TEST_F(DiskFailoverDataSourceTest, ReadsWhatTheWriterWrites) {
  DiskFailoverWriter writer(dir_.path());
  v1::ServiceInfo info;
  info.set_name("orders");
  info.set_group_name("g 1");
  v1::Instance* host = info.add_hosts();
  host->set_ip("10.0.0.7");
  host->set_port(9090);
  host->set_weight(0.5);
  ASSERT_TRUE(writer.WriteService({"g 1", "orders", ""}, info).ok());
  ASSERT_TRUE(writer.WriteSwitch(true).ok());
  EXPECT_TRUE(SwitchOn());
  FailoverData data = Data();
  EXPECT_THAT(data.problems, IsEmpty());
  ASSERT_THAT(Keys(data), ElementsAre("g 1@@orders"));
  EXPECT_EQ(data.services.at("g 1@@orders").origin, "g+1%40%40orders");
  EXPECT_EQ(data.services.at("g 1@@orders").info->hosts(0).weight(), 0.5);
  ASSERT_TRUE(writer.WriteSwitch(false).ok());
  EXPECT_FALSE(SwitchOn());
}

TEST_F(DiskFailoverDataSourceTest, ConcurrentCallsAreSafe) {
  dir_.WriteFile(kSwitch, "1");
  dir_.WriteFile(kSvcA, kSvcAJson);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 50; ++i) {
        if (t == 0 && i % 10 == 0) {
          dir_.WriteFile("DEFAULT_GROUP%40%40svc" + std::to_string(i), kSvcAJson);
        }
        absl::StatusOr<FailoverData> data = source_->GetData();
        ASSERT_TRUE(data.ok()) << data.status();
        ASSERT_TRUE(data->services.count("DEFAULT_GROUP@@svcA"));
        ASSERT_TRUE(source_->GetSwitch().ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
}

TEST(DiskFailoverDataSourceCreateTest, RejectsBadOptions) {
  EXPECT_EQ(std::string(DiskFailoverDataSource::Create({}).status().message()),
            "disk failover data source: empty directory");
  DiskFailoverOptions options;
  options.directory = "/x";
  options.max_file_bytes = 0;
  EXPECT_EQ(DiskFailoverDataSource::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(NewDiskFailoverDataSourceTest, DirectoryFromSnapshotPathAndNamespace) {
  naming_internal::TempDir home;
  FailoverDataSourceParams params;
  params.nacos_namespace = "prod";
  params.environment = {{"HOME", home.path()}};
  absl::StatusOr<std::unique_ptr<FailoverDataSource>> source = NewDiskFailoverDataSource(params);
  ASSERT_TRUE(source.ok()) << source.status();
  auto* disk = dynamic_cast<DiskFailoverDataSource*>(source->get());
  ASSERT_NE(disk, nullptr);
  EXPECT_EQ(disk->directory(), home.path() + "/nacos/naming/prod/failover");

  params.properties = {{"JM.SNAPSHOT.PATH", "/snap"}};
  source = NewDiskFailoverDataSource(params);
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ(dynamic_cast<DiskFailoverDataSource&>(**source).directory(),
            "/snap/nacos/naming/prod/failover");

  params.environment.clear();
  params.properties.clear();
  EXPECT_EQ(NewDiskFailoverDataSource(params).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace naming
}  // namespace failover
