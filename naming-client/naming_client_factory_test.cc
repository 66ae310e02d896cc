#include "naming-client/naming_client_factory.h"

#include <sys/stat.h>

#include <cerrno>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/clock.h"
#include "core/config/config_loader.h"
#include "core/config/failover_config_loader.h"
#include "core/metrics/metrics_registry.h"
#include "core/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "naming-client/failover_data_source_registry.h"
#include "naming-client/internal/temp_dir.h"

namespace failover {
namespace naming {
namespace {

using naming_internal::TempDir;
using ::testing::HasSubstr;

constexpr char kSwitch[] = "00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00";
constexpr char kOrdersFile[] = "DEFAULT_GROUP%40%40orders";
constexpr char kOrdersJson[] =
    R"({"name":"orders","groupName":"DEFAULT_GROUP","hosts":[{"ip":"10.0.0.1","port":8080}]})";
const ServiceKey kOrders{"DEFAULT_GROUP", "orders", ""};

class NamingClientFactoryTest : public ::testing::Test {
 protected:
  // The section as a service loads it: next to the framework's root section.
  NamingConfig Load(const std::string& naming_yaml) {
    ConfigLoader loader;
    EXPECT_TRUE(AddFailoverSection(loader).ok());
    auto naming = AddNamingSection(loader);
    EXPECT_TRUE(naming.ok()) << naming.status();
    const ConfigLoadResult result =
        loader.Load(absl::StrCat("failover:\n  naming:\n", naming_yaml), {});
    EXPECT_TRUE(result.ok()) << result.status();
    return result.Get(*naming);
  }
  // snapshot-path: the test's directory, plus `more`.
  NamingConfig LoadHere(const std::string& more = "") {
    return Load(absl::StrCat("    snapshot-path: ", dir_.path(), "\n", more));
  }

  absl::StatusOr<std::unique_ptr<NamingClient>> New(const NamingConfig& config,
                                                    const Environment& env = {}) {
    NamingClientOptions options;
    options.metrics = &registry_;
    return NewNamingClient(config, env, clock_, SystemRandom(), options);
  }

  // dir_/relative and its parents.
  void MakeDirs(const std::string& relative) {
    for (size_t end = 0; end != std::string::npos;) {
      end = relative.find('/', end + 1);
      const std::string path = dir_.Path(relative.substr(0, end));
      ASSERT_TRUE(mkdir(path.c_str(), 0755) == 0 || errno == EEXIST) << path;
    }
  }

  TempDir dir_;
  SimulatedClock clock_;
  MetricsRegistry registry_;
};

TEST_F(NamingClientFactoryTest, WithoutServersAnswersFromFailoverDataAndTagsTheNamespace) {
  const std::string failover = "nacos/naming/dev/failover";
  MakeDirs(failover);
  dir_.WriteFile(absl::StrCat(failover, "/", kSwitch), "1");
  dir_.WriteFile(absl::StrCat(failover, "/", kOrdersFile), kOrdersJson);
  auto client = New(LoadHere("    namespace: dev\n"));
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_EQ((*client)->poller(), nullptr);  // No server-addresses: no upstream.

  auto found = (*client)->Lookup(kOrders);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->source, LookupSource::kFailover);
  EXPECT_EQ(found->info->hosts(0).ip(), "10.0.0.1");
  auto missing = (*client)->Lookup({"DEFAULT_GROUP", "payments", ""});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);

  EXPECT_EQ(registry_.GetGauge(NamingMetrics::kSwitch, Tags({{"namespace", "dev"}})).Value(), 1);
  EXPECT_EQ(
      registry_
          .GetCounter(NamingMetrics::kLookups, Tags({{"namespace", "dev"}, {"source", "failover"}}))
          .Value(),
      1u);
}

TEST_F(NamingClientFactoryTest, CacheOptionsAndDirectoryComeFromTheSection) {
  auto client = New(Load("    load-cache-at-start: true\n    push-empty-protection: true\n"),
                    {{"HOME", dir_.path()}});
  ASSERT_TRUE(client.ok()) << client.status();
  const ServiceInfoHolderOptions& options = (*client)->holder().options();
  EXPECT_EQ(options.cache_directory, dir_.Path("nacos/naming/public"));
  EXPECT_TRUE(options.load_cache_at_start);
  EXPECT_TRUE(options.push_empty_protection);

  auto defaults = New(Load("    namespace: dev\n"), {{"JM_SNAPSHOT_PATH", dir_.path()}});
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ((*defaults)->holder().options().cache_directory, dir_.Path("nacos/naming/dev"));
  EXPECT_FALSE((*defaults)->holder().options().load_cache_at_start);
  EXPECT_FALSE((*defaults)->holder().options().push_empty_protection);
}

TEST_F(NamingClientFactoryTest, LoadCacheAtStartServesTheCacheFiles) {
  MakeDirs("nacos/naming/public");
  dir_.WriteFile(absl::StrCat("nacos/naming/public/", kOrdersFile), kOrdersJson);
  auto client = New(LoadHere("    load-cache-at-start: true\n"));
  ASSERT_TRUE(client.ok()) << client.status();
  auto found = (*client)->Lookup(kOrders);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->source, LookupSource::kCache);
}

TEST_F(NamingClientFactoryTest, ServerAddressesBuildAnUpstream) {
  auto client = New(LoadHere("    server-addresses: [ \"127.0.0.1:1\" ]\n"));
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_NE((*client)->poller(), nullptr);

  NamingClientOptions bad;
  bad.retry.max_attempts = 0;
  auto refused = NewNamingClient(LoadHere("    server-addresses: [ \"127.0.0.1:1\" ]\n"), {},
                                 clock_, SystemRandom(), bad);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("naming client: nacos upstream"));
}

// Reference defect 8: a missing custom source is an error at construction, naming the property
// and what is registered.
TEST_F(NamingClientFactoryTest, UnknownDataSourceFailsConstructionNamingTheProperty) {
  auto client = New(LoadHere("    data-source: redis\n"));
  EXPECT_EQ(client.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(client.status().message(), HasSubstr("failover.naming.data-source: "));
  EXPECT_THAT(client.status().message(), HasSubstr("'redis' is not registered"));
  EXPECT_THAT(client.status().message(), HasSubstr("registered: disk"));

  // This test does not link the grpc source.
  auto grpc = New(LoadHere("    data-source: grpc\n    grpc: { target: \"127.0.0.1:1\" }\n"));
  EXPECT_EQ(grpc.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(grpc.status().message(), HasSubstr("grpc_failover_data_source is linked"));
}

TEST_F(NamingClientFactoryTest, FailingDataSourceFailsConstructionWithItsError) {
  ASSERT_TRUE(
      RegisterFailoverDataSource("factory-test-failing",
                                 [](const FailoverDataSourceParams& params)
                                     -> absl::StatusOr<std::unique_ptr<FailoverDataSource>> {
                                   return absl::UnavailableError(absl::StrCat(
                                       "no route to the store of ", params.nacos_namespace));
                                 })
          .ok());
  auto client = New(LoadHere("    data-source: factory-test-failing\n    namespace: dev\n"));
  EXPECT_EQ(client.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(client.status().message(),
              HasSubstr("failover.naming.data-source: failover data source "
                        "'factory-test-failing': no route to the store of dev"));
  EXPECT_THAT(client.status().message(), HasSubstr("(registered: disk, factory-test-failing)"));
}

TEST_F(NamingClientFactoryTest, NoSnapshotPathNamesTheProperty) {
  auto client = New(Load("    namespace: dev\n"), /*env=*/{});
  EXPECT_EQ(client.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(client.status().message(), HasSubstr("failover.naming.snapshot-path: "));
}

}  // namespace
}  // namespace naming
}  // namespace failover
