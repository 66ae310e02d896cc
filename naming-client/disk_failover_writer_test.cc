#include "naming-client/disk_failover_writer.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/internal/temp_dir.h"
#include "naming-client/service_info_json.h"

namespace failover {
namespace naming {
namespace {

using ::testing::ElementsAre;

constexpr char kSwitch[] = "00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00";

v1::ServiceInfo Orders(const std::string& ip) {
  v1::ServiceInfo info;
  info.set_name("orders");
  info.set_group_name("DEFAULT_GROUP");
  v1::Instance* host = info.add_hosts();
  host->set_ip(ip);
  host->set_port(8080);
  return info;
}

TEST(DiskFailoverWriterTest, CreatesTheDirectoryAndWritesNacosFiles) {
  naming_internal::TempDir dir;
  DiskFailoverWriter writer(dir.Path("nacos/naming/public/failover"));
  ASSERT_TRUE(writer.WriteService({"DEFAULT_GROUP", "orders", ""}, Orders("10.0.0.1")).ok());
  ASSERT_TRUE(writer.WriteService({"DEFAULT_GROUP", "orders", "c1,c2"}, Orders("10.0.0.2")).ok());
  ASSERT_TRUE(writer.WriteSwitch(true).ok());
  EXPECT_THAT(
      dir.List("nacos/naming/public/failover"),
      ElementsAre(kSwitch, "DEFAULT_GROUP%40%40orders", "DEFAULT_GROUP%40%40orders@@c1,c2"));
  EXPECT_EQ(dir.ReadFile(std::string("nacos/naming/public/failover/") + kSwitch), "1\n");
  const std::string json = dir.ReadFile("nacos/naming/public/failover/DEFAULT_GROUP%40%40orders");
  EXPECT_EQ(json, *SerializeServiceInfoJson(Orders("10.0.0.1")));
  EXPECT_EQ(json.find('\n'), std::string::npos);  // One line: Java's reader reads only line one.
}

TEST(DiskFailoverWriterTest, NeverOverwritesAFileUnlessTold) {
  naming_internal::TempDir dir;
  DiskFailoverWriter writer(dir.path());
  dir.WriteFile("DEFAULT_GROUP%40%40orders", "{\"hosts\":[]}  hand-written");
  absl::Status kept = writer.WriteService({"DEFAULT_GROUP", "orders", ""}, Orders("10.0.0.1"));
  EXPECT_EQ(kept.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(std::string(kept.message()),
            "failover data for DEFAULT_GROUP@@orders: '" + dir.Path("DEFAULT_GROUP%40%40orders") +
                "' already exists; left as it is (replace it explicitly)");
  EXPECT_EQ(dir.ReadFile("DEFAULT_GROUP%40%40orders"), "{\"hosts\":[]}  hand-written");

  ASSERT_TRUE(writer
                  .WriteService({"DEFAULT_GROUP", "orders", ""}, Orders("10.0.0.3"),
                                ExistingFilePolicy::kReplace)
                  .ok());
  EXPECT_EQ(dir.ReadFile("DEFAULT_GROUP%40%40orders"),
            *SerializeServiceInfoJson(Orders("10.0.0.3")));
}

TEST(DiskFailoverWriterTest, AtomicWritesLeaveNoTemporaryFiles) {
  naming_internal::TempDir dir;
  DiskFailoverWriter writer(dir.path());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(writer.WriteSwitch(i % 2 == 0).ok());
    ASSERT_TRUE(writer
                    .WriteService({"DEFAULT_GROUP", "orders", ""}, Orders("10.0.0.1"),
                                  ExistingFilePolicy::kReplace)
                    .ok());
    // Refused writes clean up too.
    ASSERT_FALSE(writer.WriteService({"DEFAULT_GROUP", "orders", ""}, Orders("10.0.0.1")).ok());
  }
  EXPECT_THAT(dir.List(), ElementsAre(kSwitch, "DEFAULT_GROUP%40%40orders"));
  EXPECT_EQ(dir.ReadFile(kSwitch), "0\n");
}

TEST(DiskFailoverWriterTest, KeysThatWouldNotReadBackAreRefused) {
  naming_internal::TempDir dir;
  DiskFailoverWriter writer(dir.path());
  const struct {
    ServiceKey key;
    const char* message;
  } cases[] = {
      {{"", "orders", ""}, "failover data for @@orders: the key needs a group and a service name"},
      {{"g", "a@@b", ""},
       "failover data for g@@a@@b: file name 'g%40%40a%40%40b' would not read back as this key"},
      {{"g", "s", "c%41"},
       "failover data for g@@s@@c%41: file name 'g%40%40s@@c%41' would not read back as this "
       "key"},
      {{"g", "s", "c/d"}, "failover data for g@@s@@c/d: clusters may not contain '/'"},
      {{"g", std::string(300, 's'), ""}, nullptr},
  };
  for (const auto& c : cases) {
    absl::Status s = writer.WriteService(c.key, Orders("10.0.0.1"));
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.key.ToString();
    if (c.message != nullptr) {
      EXPECT_EQ(std::string(s.message()), c.message);
    }
  }
  EXPECT_TRUE(dir.List().empty());
}

TEST(DiskFailoverWriterTest, InfoThatJsonCannotCarryIsRefused) {
  naming_internal::TempDir dir;
  DiskFailoverWriter writer(dir.path());
  v1::ServiceInfo info = Orders("10.0.0.1");
  info.mutable_hosts(0)->set_weight(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(std::string(writer.WriteService({"g", "s", ""}, info).message()),
            "failover data for g@@s: hosts[0].weight: nan is not a finite number, which JSON "
            "cannot carry");
  EXPECT_TRUE(dir.List().empty());
}

TEST(DiskFailoverWriterTest, UnwritableDirectoryIsAnErrorNamingIt) {
  naming_internal::TempDir dir;
  dir.WriteFile("file", "");
  DiskFailoverWriter writer(dir.Path("file/failover"));
  absl::Status s = writer.WriteSwitch(true);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(dir.Path("file/failover")), absl::string_view::npos) << s;
}

TEST(DiskFailoverWriterTest, RemoveServiceDeletesOnlyItsFile) {
  naming_internal::TempDir dir;
  DiskFailoverWriter writer(dir.Path("failover"));
  ASSERT_TRUE(writer.WriteService({"DEFAULT_GROUP", "orders", ""}, Orders("10.0.0.1")).ok());
  ASSERT_TRUE(writer.WriteService({"DEFAULT_GROUP", "orders", "c1"}, Orders("10.0.0.2")).ok());
  ASSERT_TRUE(writer.WriteSwitch(true).ok());
  ASSERT_TRUE(writer.RemoveService({"DEFAULT_GROUP", "orders", ""}).ok());
  EXPECT_THAT(dir.List("failover"), ElementsAre(kSwitch, "DEFAULT_GROUP%40%40orders@@c1"));
  EXPECT_TRUE(writer.RemoveService({"DEFAULT_GROUP", "orders", ""}).ok());  // Already gone.
  EXPECT_EQ(writer.RemoveService({"", "orders", ""}).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace naming
}  // namespace failover
