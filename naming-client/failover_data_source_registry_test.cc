#include "naming-client/failover_data_source_registry.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/disk_failover_data_source.h"
#include "naming-client/internal/temp_dir.h"

namespace failover {
namespace naming {
namespace {

using ::testing::ElementsAre;

// A source that remembers the namespace it was created for.
class FakeSource : public FailoverDataSource {
 public:
  explicit FakeSource(std::string nacos_namespace) : nacos_namespace(std::move(nacos_namespace)) {}
  absl::StatusOr<FailoverSwitch> GetSwitch() override { return FailoverSwitch{true, "fake"}; }
  absl::StatusOr<FailoverData> GetData() override { return FailoverData(); }
  const std::string nacos_namespace;
};

absl::StatusOr<std::unique_ptr<FailoverDataSource>> NewFake(const FailoverDataSourceParams& p) {
  return std::make_unique<FakeSource>(p.nacos_namespace);
}

std::string Message(const absl::Status& status) { return std::string(status.message()); }

TEST(FailoverDataSourceRegistryTest, CreatesRegisteredSourcesAndTellsThemTheNamespace) {
  FailoverDataSourceRegistry registry;
  ASSERT_TRUE(registry.Register("fake", NewFake).ok());
  FailoverDataSourceParams params;
  params.nacos_namespace = "prod";
  absl::StatusOr<std::unique_ptr<FailoverDataSource>> source = registry.Create("fake", params);
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ(dynamic_cast<FakeSource&>(**source).nacos_namespace, "prod");

  params.nacos_namespace = "";  // Blank means "public", for every source.
  source = registry.Create("fake", params);
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ(dynamic_cast<FakeSource&>(**source).nacos_namespace, "public");
}

TEST(FailoverDataSourceRegistryTest, UnknownNameListsTheRegisteredOnes) {
  FailoverDataSourceRegistry registry;
  EXPECT_EQ(Message(registry.Create("disk", {}).status()),
            "failover data source 'disk' is not registered (registered: none)");
  ASSERT_TRUE(registry.Register("fake", NewFake).ok());
  ASSERT_TRUE(registry.Register("other", NewFake).ok());
  absl::StatusOr<std::unique_ptr<FailoverDataSource>> source = registry.Create("Fake", {});
  EXPECT_EQ(source.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Message(source.status()),
            "failover data source 'Fake' is not registered (registered: fake, other)");
}

TEST(FailoverDataSourceRegistryTest, RegistrationErrors) {
  FailoverDataSourceRegistry registry;
  EXPECT_EQ(Message(registry.Register("", NewFake)), "failover data source: empty name");
  EXPECT_EQ(Message(registry.Register("my source", NewFake)),
            "failover data source 'my source': names may not hold spaces or control characters");
  EXPECT_EQ(Message(registry.Register("x", nullptr)), "failover data source 'x': empty factory");
  ASSERT_TRUE(registry.Register("x", NewFake).ok());
  absl::Status again = registry.Register("x", NewFake);
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Message(again), "failover data source 'x' is already registered");
  EXPECT_THAT(registry.Names(), ElementsAre("x"));
}

TEST(FailoverDataSourceRegistryTest, FactoryFailuresNameTheSource) {
  FailoverDataSourceRegistry registry;
  ASSERT_TRUE(registry
                  .Register("broken",
                            [](const FailoverDataSourceParams&)
                                -> absl::StatusOr<std::unique_ptr<FailoverDataSource>> {
                              return absl::UnavailableError("redis at 10.0.0.1:6379 refused");
                            })
                  .ok());
  absl::StatusOr<std::unique_ptr<FailoverDataSource>> source = registry.Create("broken", {});
  EXPECT_EQ(source.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Message(source.status()),
            "failover data source 'broken': redis at 10.0.0.1:6379 refused");

  // Java's equivalent is a NullPointerException on every tick.
  ASSERT_TRUE(registry
                  .Register("null",
                            [](const FailoverDataSourceParams&)
                                -> absl::StatusOr<std::unique_ptr<FailoverDataSource>> {
                              return std::unique_ptr<FailoverDataSource>();
                            })
                  .ok());
  source = registry.Create("null", {});
  EXPECT_EQ(source.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(Message(source.status()),
            "failover data source 'null': its factory returned no data source");
}

TEST(FailoverDataSourceRegistryTest, BadNamespaceIsRefusedBeforeAnyFactoryRuns) {
  FailoverDataSourceRegistry registry;
  bool ran = false;
  ASSERT_TRUE(registry
                  .Register("fake",
                            [&ran](const FailoverDataSourceParams& p) {
                              ran = true;
                              return NewFake(p);
                            })
                  .ok());
  FailoverDataSourceParams params;
  params.nacos_namespace = "../etc";
  EXPECT_EQ(Message(registry.Create("fake", params).status()),
            "failover data source 'fake': namespace '../etc' cannot be a directory name (it is "
            "'.' or '..', or holds '/' or NUL)");
  EXPECT_FALSE(ran);
}

TEST(GlobalFailoverDataSourceRegistryTest, DiskIsBuiltIn) {
  naming_internal::TempDir home;
  FailoverDataSourceParams params;
  params.environment = {{"HOME", home.path()}};
  absl::StatusOr<std::unique_ptr<FailoverDataSource>> source =
      CreateFailoverDataSource("disk", params);
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ(dynamic_cast<DiskFailoverDataSource&>(**source).directory(),
            home.path() + "/nacos/naming/public/failover");

  params.environment.clear();
  EXPECT_EQ(Message(CreateFailoverDataSource("disk", params).status()),
            "failover data source 'disk': no Nacos snapshot path: set the configured snapshot "
            "path, the JM.SNAPSHOT.PATH property, or the JM_SNAPSHOT_PATH or HOME environment "
            "variable");
  EXPECT_EQ(RegisterFailoverDataSource("disk", NewFake).code(), absl::StatusCode::kAlreadyExists);
}

TEST(GlobalFailoverDataSourceRegistryTest, ApplicationsRegisterTheirOwn) {
  ASSERT_TRUE(RegisterFailoverDataSource("global-fake", NewFake).ok());
  FailoverDataSourceParams params;
  params.nacos_namespace = "ns1";
  absl::StatusOr<std::unique_ptr<FailoverDataSource>> source =
      CreateFailoverDataSource("global-fake", params);
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_TRUE((*source)->GetSwitch()->enabled);
  EXPECT_THAT(GlobalFailoverDataSourceRegistry().Names(), ElementsAre("disk", "global-fake"));
}

TEST(FailoverDataSourceRegistryTest, ConcurrentRegisterAndCreate) {
  FailoverDataSourceRegistry registry;
  ASSERT_TRUE(registry.Register("fake", NewFake).ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&registry, t] {
      for (int i = 0; i < 50; ++i) {
        ASSERT_TRUE(registry.Register("s" + std::to_string(t * 100 + i), NewFake).ok());
        ASSERT_TRUE(registry.Create("fake", {}).ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(registry.Names().size(), 201u);
}

}  // namespace
}  // namespace naming
}  // namespace failover
