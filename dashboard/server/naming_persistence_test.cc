#include "dashboard/server/naming_persistence.h"

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/disk_failover_data_source.h"
#include "naming-client/disk_failover_writer.h"
#include "naming-client/internal/temp_dir.h"

namespace failover {
namespace dashboard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kSwitch[] = "00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00";

v1::ServiceInfo OneHost(const std::string& ip) {
  v1::ServiceInfo info;
  info.set_name("orders");
  info.set_group_name("DEFAULT_GROUP");
  v1::Instance* host = info.add_hosts();
  host->set_ip(ip);
  host->set_port(8080);
  return info;
}

struct Warnings {
  std::vector<std::string> lines;
  WarningSink sink() {
    return [this](absl::string_view message) { lines.emplace_back(message); };
  }
};

std::string HostOf(const naming::FailoverDataStore& store, const std::string& ns,
                   const std::string& key) {
  absl::StatusOr<naming::StoredService> service = store.GetService(ns, key);
  if (!service.ok() || service->info->hosts_size() == 0) return "";
  return service->info->hosts(0).ip();
}

TEST(NamingPersistenceTest, RestoresWhatNamingClientsWriterWrote) {
  naming_internal::TempDir dir;
  const naming::DiskFailoverWriter public_ns(dir.Path("nacos/naming/public/failover"));
  ASSERT_TRUE(public_ns.WriteSwitch(true).ok());
  ASSERT_TRUE(public_ns.WriteService({"DEFAULT_GROUP", "orders", ""}, OneHost("10.0.0.1")).ok());
  ASSERT_TRUE(public_ns.WriteService({"G", "pay", "c1"}, OneHost("10.0.0.2")).ok());
  const naming::DiskFailoverWriter prod(dir.Path("nacos/naming/prod/failover"));
  ASSERT_TRUE(prod.WriteService({"DEFAULT_GROUP", "orders", ""}, OneHost("10.1.0.1")).ok());
  // A namespace with a cache folder but no failover data.
  dir.WriteFile("nacos/naming/prod/x", "");
  ASSERT_TRUE(naming::DiskFailoverWriter(dir.Path("nacos/naming/cache-only"))
                  .WriteService({"G", "s", ""}, OneHost("10.2.0.1"))
                  .ok());

  naming::FailoverDataStore store;
  Warnings warnings;
  ASSERT_TRUE(RestoreNamingData(dir.path(), store, warnings.sink()).ok());
  EXPECT_THAT(warnings.lines, ElementsAre());
  absl::StatusOr<naming::StoredSwitch> on = store.GetSwitch("public");
  EXPECT_TRUE(on->enabled);
  EXPECT_EQ(on->reason, absl::StrCat("restored from ", dir.Path("nacos/naming/public/failover")));
  EXPECT_EQ(HostOf(store, "public", "DEFAULT_GROUP@@orders"), "10.0.0.1");
  EXPECT_EQ(HostOf(store, "public", "G@@pay@@c1"), "10.0.0.2");
  EXPECT_EQ(store.GetSwitch("prod")->revision, 0u);  // No switch file: never set.
  EXPECT_FALSE(store.GetSwitch("prod")->enabled);
  EXPECT_EQ(HostOf(store, "prod", "DEFAULT_GROUP@@orders"), "10.1.0.1");
  EXPECT_EQ(*store.Revision("cache-only"), 0u);
}

TEST(NamingPersistenceTest, AMissingFolderRestoresNothing) {
  naming_internal::TempDir dir;
  naming::FailoverDataStore store;
  Warnings warnings;
  EXPECT_TRUE(RestoreNamingData(dir.Path("absent"), store, warnings.sink()).ok());
  EXPECT_EQ(*store.Revision("public"), 0u);
}

TEST(NamingPersistenceTest, AnUnlistableFolderIsAnErrorNamingIt) {
  naming_internal::TempDir dir;
  ASSERT_TRUE(std::filesystem::create_directories(dir.Path("nacos")));
  dir.WriteFile("nacos/naming", "not a folder");
  naming::FailoverDataStore store;
  Warnings warnings;
  const absl::Status s = RestoreNamingData(dir.path(), store, warnings.sink());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), HasSubstr(dir.Path("nacos/naming")));
}

TEST(NamingPersistenceTest, BadFilesAreSkippedWithAWarningNamingThem) {
  naming_internal::TempDir dir;
  const naming::DiskFailoverWriter writer(dir.Path("nacos/naming/public/failover"));
  ASSERT_TRUE(writer.WriteService({"DEFAULT_GROUP", "orders", ""}, OneHost("10.0.0.1")).ok());
  dir.WriteFile("nacos/naming/public/failover/DEFAULT_GROUP%40%40broken", "{\"hosts\": [");
  dir.WriteFile("nacos/naming/public/failover/stray%zz", "{}");
  dir.WriteFile(std::string("nacos/naming/public/failover/") + kSwitch, "maybe\n");

  naming::FailoverDataStore store;
  Warnings warnings;
  ASSERT_TRUE(RestoreNamingData(dir.path(), store, warnings.sink()).ok());
  EXPECT_EQ(HostOf(store, "public", "DEFAULT_GROUP@@orders"), "10.0.0.1");
  EXPECT_EQ(store.GetService("public", "DEFAULT_GROUP@@broken").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(store.GetSwitch("public")->enabled);
  ASSERT_EQ(warnings.lines.size(), 3u) << testing::PrintToString(warnings.lines);
  EXPECT_THAT(warnings.lines[0], HasSubstr(kSwitch));
  EXPECT_THAT(warnings.lines[1], HasSubstr("DEFAULT_GROUP%40%40broken"));
  EXPECT_THAT(warnings.lines[2], HasSubstr("stray%zz"));
}

TEST(NamingPersistenceTest, ChangesWriteAndRemoveTheFilesAndRestoreBack) {
  naming_internal::TempDir dir;
  naming::FailoverDataStore store;
  Warnings warnings;
  PersistNamingChanges(dir.path(), store, warnings.sink());
  const std::string failover = "nacos/naming/public/failover/";
  ASSERT_TRUE(store.SetSwitch("", true, "incident").ok());
  EXPECT_EQ(dir.ReadFile(failover + kSwitch), "1\n");
  ASSERT_TRUE(store.UpsertService("public", "DEFAULT_GROUP@@orders", OneHost("10.0.0.1")).ok());
  ASSERT_TRUE(store.UpsertService("public", "G@@pay@@c1", OneHost("10.0.0.2")).ok());
  ASSERT_TRUE(store.UpsertService("public", "G@@pay@@c1", OneHost("10.0.0.3")).ok());
  ASSERT_TRUE(store.UpsertService("staging", "G@@gone", OneHost("10.9.0.1")).ok());
  ASSERT_TRUE(store.RemoveService("staging", "G@@gone").ok());
  EXPECT_THAT(dir.List("nacos/naming/public/failover"),
              ElementsAre(kSwitch, "DEFAULT_GROUP%40%40orders", "G%40%40pay@@c1"));
  EXPECT_THAT(dir.List("nacos/naming/staging/failover"), ElementsAre());

  // naming-client's disk data source reads what was written.
  naming::DiskFailoverOptions options;
  options.directory = dir.Path(failover);
  auto source = naming::DiskFailoverDataSource::Create(options);
  ASSERT_TRUE(source.ok());
  EXPECT_TRUE((*source)->GetSwitch()->enabled);
  absl::StatusOr<naming::FailoverData> data = (*source)->GetData();
  ASSERT_TRUE(data.ok());
  EXPECT_TRUE(data->problems.empty());
  EXPECT_EQ(data->services.at("G@@pay@@c1").info->hosts(0).ip(), "10.0.0.3");

  ASSERT_TRUE(store.SetSwitch("public", false, "over").ok());
  EXPECT_EQ(dir.ReadFile(failover + kSwitch), "0\n");
  EXPECT_THAT(warnings.lines, ElementsAre());

  naming::FailoverDataStore restarted;
  ASSERT_TRUE(RestoreNamingData(dir.path(), restarted, warnings.sink()).ok());
  EXPECT_FALSE(restarted.GetSwitch("public")->enabled);
  EXPECT_EQ(restarted.GetSwitch("public")->revision, 1u);  // Set, off.
  EXPECT_EQ(HostOf(restarted, "public", "DEFAULT_GROUP@@orders"), "10.0.0.1");
  EXPECT_EQ(HostOf(restarted, "public", "G@@pay@@c1"), "10.0.0.3");
  EXPECT_EQ(*restarted.Revision("staging"), 0u);
  EXPECT_THAT(warnings.lines, ElementsAre());
}

TEST(NamingPersistenceTest, AWriteFailureWarnsNamingTheFileAndTheChangeIsStillServed) {
  naming_internal::TempDir dir;
  dir.WriteFile("blocked", "a file where the folder should be");
  naming::FailoverDataStore store;
  Warnings warnings;
  PersistNamingChanges(dir.Path("blocked"), store, warnings.sink());
  ASSERT_TRUE(store.SetSwitch("public", true, "incident").ok());
  ASSERT_TRUE(store.UpsertService("public", "G@@s", OneHost("10.0.0.1")).ok());
  EXPECT_TRUE(store.GetSwitch("public")->enabled);
  EXPECT_EQ(HostOf(store, "public", "G@@s"), "10.0.0.1");
  ASSERT_EQ(warnings.lines.size(), 2u);
  EXPECT_THAT(warnings.lines[0],
              HasSubstr(absl::StrCat(dir.Path("blocked/nacos/naming/public/failover/"), kSwitch)));
  EXPECT_THAT(warnings.lines[0], HasSubstr("served from memory only"));
  EXPECT_THAT(warnings.lines[1],
              HasSubstr(dir.Path("blocked/nacos/naming/public/failover/G%40%40s")));
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
