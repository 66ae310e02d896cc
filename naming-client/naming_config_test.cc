#include "naming-client/naming_config.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "core/config/config_loader.h"
#include "core/config/failover_config_loader.h"
#include "gtest/gtest.h"
#include "naming-client/failover_data_source_registry.h"

namespace failover {
namespace naming {
namespace {

constexpr char kFullYaml[] = R"(failover:
  naming:
    namespace: prod
    snapshot-path: /var/lib/orders
    data-source: grpc
    poll-interval: 2s
    server-addresses: [ "10.0.0.1:8848", "http://nacos.example:8848", "HTTP://[::1]:9848//", "nacos" ]
    api-version: V2
    context-path: /registry
    connect-timeout: 100ms
    request-timeout: 500ms
    load-cache-at-start: true
    push-empty-protection: true
    grpc: { target: "failoverd.example:9090" }
)";

// The framework's section and the naming section on one loader, as a service (and failoverctl)
// registers them.
class NamingConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(AddFailoverSection(loader_).ok());
    absl::StatusOr<SectionHandle<NamingConfig>> naming = AddNamingSection(loader_);
    ASSERT_TRUE(naming.ok()) << naming.status();
    naming_.emplace(*naming);
  }

  ConfigLoadResult Load(absl::string_view yaml, const Environment& env = {}) {
    return loader_.Load(yaml, env);
  }
  const NamingConfig& Naming(const ConfigLoadResult& result) { return result.Get(*naming_); }

  static std::vector<std::string> Problems(const ConfigLoadResult& result) {
    std::vector<std::string> out;
    for (const ConfigProblem& p : result.problems()) out.push_back(p.ToString());
    return out;
  }

  ConfigLoader loader_;
  std::optional<SectionHandle<NamingConfig>> naming_;
};

TEST_F(NamingConfigTest, DefaultsWithoutTheSection) {
  const ConfigLoadResult result = Load("failover:\n  enabled: true\n");
  ASSERT_TRUE(result.ok()) << result.status();
  const NamingConfig& c = Naming(result);
  EXPECT_EQ(c.nacos_namespace, "public");
  EXPECT_EQ(c.snapshot_path, "");
  EXPECT_EQ(c.data_source, "disk");
  EXPECT_EQ(c.poll_interval, absl::Seconds(5));
  EXPECT_TRUE(c.server_addresses.empty());
  EXPECT_EQ(c.api_version, NacosApiVersion::kV1);
  EXPECT_EQ(c.context_path, "/nacos");
  EXPECT_EQ(c.connect_timeout, absl::Seconds(2));
  EXPECT_EQ(c.request_timeout, absl::Seconds(5));
  EXPECT_FALSE(c.load_cache_at_start);
  EXPECT_FALSE(c.push_empty_protection);
  EXPECT_EQ(c.grpc.target, "");
  // The defaults of what the section configures agree.
  EXPECT_EQ(ToFailoverReactorOptions(c).poll_interval, FailoverReactorOptions().poll_interval);
  const NacosHttpUpstreamOptions upstream = ToNacosHttpUpstreamOptions(c);
  const NacosHttpUpstreamOptions defaults;
  EXPECT_EQ(upstream.api_version, defaults.api_version);
  EXPECT_EQ(upstream.nacos_namespace, defaults.nacos_namespace);
  EXPECT_EQ(upstream.context_path, defaults.context_path);
  EXPECT_EQ(upstream.connect_timeout, defaults.connect_timeout);
  EXPECT_EQ(upstream.request_timeout, defaults.request_timeout);
}

TEST_F(NamingConfigTest, EveryPropertyBinds) {
  const ConfigLoadResult result = Load(kFullYaml);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result.warnings().empty());
  const NamingConfig& c = Naming(result);
  EXPECT_EQ(c.nacos_namespace, "prod");
  EXPECT_EQ(c.snapshot_path, "/var/lib/orders");
  EXPECT_EQ(c.data_source, "grpc");
  EXPECT_EQ(c.poll_interval, absl::Seconds(2));
  EXPECT_EQ(c.server_addresses,
            (std::vector<std::string>{"10.0.0.1:8848", "http://nacos.example:8848",
                                      "HTTP://[::1]:9848//", "nacos"}));
  EXPECT_EQ(c.api_version, NacosApiVersion::kV2);
  EXPECT_EQ(c.context_path, "/registry");
  EXPECT_EQ(c.connect_timeout, absl::Milliseconds(100));
  EXPECT_EQ(c.request_timeout, absl::Milliseconds(500));
  EXPECT_TRUE(c.load_cache_at_start);
  EXPECT_TRUE(c.push_empty_protection);
  EXPECT_EQ(c.grpc.target, "failoverd.example:9090");

  const NacosHttpUpstreamOptions upstream = ToNacosHttpUpstreamOptions(c);
  EXPECT_EQ(upstream.server_addresses, c.server_addresses);
  EXPECT_EQ(upstream.api_version, NacosApiVersion::kV2);
  EXPECT_EQ(upstream.nacos_namespace, "prod");
  EXPECT_EQ(upstream.context_path, "/registry");
  EXPECT_EQ(upstream.connect_timeout, absl::Milliseconds(100));
  EXPECT_EQ(upstream.request_timeout, absl::Milliseconds(500));
  EXPECT_EQ(ToFailoverDataSourceParams(c, {}).grpc_target, "failoverd.example:9090");
}

TEST_F(NamingConfigTest, EnvironmentOverrides) {
  const ConfigLoadResult result = Load("failover:\n  naming:\n    namespace: dev\n",
                                       {{"FAILOVER_NAMING_NAMESPACE", "prod"},
                                        {"FAILOVER_NAMING_SERVERADDRESSES", "a:8848,b:8848"},
                                        {"FAILOVER_NAMING_POLL_INTERVAL", "1s"},
                                        {"FAILOVER_NAMING_GRPC_TARGET", "f:1"}});
  ASSERT_TRUE(result.ok()) << result.status();
  const NamingConfig& c = Naming(result);
  EXPECT_EQ(c.nacos_namespace, "prod");
  EXPECT_EQ(c.server_addresses, (std::vector<std::string>{"a:8848", "b:8848"}));
  EXPECT_EQ(c.poll_interval, absl::Seconds(1));
  EXPECT_EQ(c.grpc.target, "f:1");
}

TEST_F(NamingConfigTest, ProblemsNameTheProperty) {
  const ConfigLoadResult result = Load(R"(failover:
  naming:
    namespace: ../etc
    data-source: "my source"
    poll-interval: 0s
    server-addresses: [ "10.0.0.1:8848", "ftp://x:21", "h:0", "::1", "h/nacos", "" ]
    context-path: nacos
    api-version: v3
    request-timeout: -1s
    grpc.target: "failoverd"
)");
  EXPECT_EQ(Problems(result),
            (std::vector<std::string>{
                "failover.naming.namespace: '../etc' cannot be a directory name (it is '.' or "
                "'..', or holds '/' or NUL) (line 3, column 16)",
                "failover.naming.data-source: 'my source' may not contain spaces or control "
                "characters (line 4, column 18)",
                "failover.naming.poll-interval: '0s' must be positive (line 5, column 20)",
                "failover.naming.server-addresses[1]: 'ftp://x:21' is not a Nacos server "
                "address: only http:// is supported (line 6, column 42)",
                "failover.naming.server-addresses[2]: 'h:0' is not a Nacos server address: port "
                "'0' is not in 1..65535 (expected host[:port] or http://host[:port]) (line 6, "
                "column 56)",
                "failover.naming.server-addresses[3]: '::1' is not a Nacos server address: more "
                "than one ':' (write IPv6 addresses in brackets: [::1]:8848) (expected "
                "host[:port] or http://host[:port]) (line 6, column 63)",
                "failover.naming.server-addresses[4]: 'h/nacos' is not a Nacos server address: "
                "has a path; give only the host and port (expected host[:port] or "
                "http://host[:port]) (line 6, column 70)",
                "failover.naming.server-addresses[5]: '' is not a Nacos server address: no host "
                "(expected host[:port] or http://host[:port]) (line 6, column 81)",
                "failover.naming.context-path: 'nacos' must start with '/' (or be empty) (line "
                "7, column 19)",
                "failover.naming.api-version: 'v3' is not a NacosApiVersion (expected one of v1, "
                "v2) (line 8, column 18)",
                "failover.naming.request-timeout: '-1s' must be positive (line 9, column 22)",
                "failover.naming.grpc.target: 'failoverd' is not host:port: no port (line 10, "
                "column 18)",
            }));
}

TEST_F(NamingConfigTest, HttpsIsRefusedAsTheUpstreamRefusesIt) {
  const ConfigLoadResult result =
      Load("failover:\n  naming:\n    server-addresses: https://nacos:8848\n");
  EXPECT_EQ(Problems(result),
            (std::vector<std::string>{"failover.naming.server-addresses[0]: 'https://nacos:8848' "
                                      "is not a Nacos server address: https is not supported "
                                      "(line 3, column 23)"}));
}

TEST_F(NamingConfigTest, GrpcSourceNeedsATarget) {
  const ConfigLoadResult result = Load("failover:\n  naming:\n    data-source: grpc\n");
  EXPECT_EQ(Problems(result), (std::vector<std::string>{"failover.naming.grpc.target: '' must be "
                                                        "set when data-source is grpc"}));
}

TEST_F(NamingConfigTest, BlankDataSourceAndUnknownKey) {
  const ConfigLoadResult result =
      Load("failover:\n  naming:\n    data-source: ' '\n    poll-intreval: 1s\n");
  const std::vector<std::string> problems = Problems(result);
  ASSERT_EQ(problems.size(), 2) << result.status();
  EXPECT_EQ(problems[0], "failover.naming.data-source: ' ' must not be blank (line 3, column 18)");
  EXPECT_TRUE(absl::StrContains(problems[1], "did you mean failover.naming.poll-interval?"))
      << problems[1];
}

TEST_F(NamingConfigTest, UnknownDataSourceIsReportedByTheRegistry) {
  const ConfigLoadResult result =
      Load("failover:\n  naming:\n    data-source: redis\n    snapshot-path: /tmp/x\n");
  ASSERT_TRUE(result.ok()) << result.status();
  const NamingConfig& c = Naming(result);
  absl::StatusOr<std::unique_ptr<FailoverDataSource>> source =
      CreateFailoverDataSource(c.data_source, ToFailoverDataSourceParams(c, {}));
  EXPECT_TRUE(absl::IsNotFound(source.status())) << source.status();
  EXPECT_TRUE(absl::StrContains(source.status().message(), "redis")) << source.status();
}

TEST_F(NamingConfigTest, ParamsCarryNamespaceSnapshotPathAndEnvironment) {
  const ConfigLoadResult result =
      Load("failover:\n  naming:\n    namespace: prod\n    snapshot-path: /srv/app\n");
  ASSERT_TRUE(result.ok()) << result.status();
  const FailoverDataSourceParams params =
      ToFailoverDataSourceParams(Naming(result), {{"HOME", "/home/app"}}, {{"k", "v"}});
  EXPECT_EQ(params.nacos_namespace, "prod");
  EXPECT_EQ(params.snapshot_path, "/srv/app");
  EXPECT_EQ(params.environment, (Environment{{"HOME", "/home/app"}}));
  EXPECT_EQ(params.properties, (ClientProperties{{"k", "v"}}));
  // The disk source made from them reads /srv/app/nacos/naming/prod/failover.
  absl::StatusOr<std::unique_ptr<FailoverDataSource>> source =
      CreateFailoverDataSource("disk", params);
  ASSERT_TRUE(source.ok()) << source.status();
  absl::StatusOr<FailoverSwitch> on = (*source)->GetSwitch();
  ASSERT_TRUE(on.ok()) << on.status();
  EXPECT_TRUE(absl::StrContains(on->reason, "/srv/app/nacos/naming/prod/failover/")) << on->reason;
}

TEST_F(NamingConfigTest, ServiceCacheOptions) {
  const ConfigLoadResult result = Load(
      "failover:\n  naming:\n    namespace: prod\n    load-cache-at-start: true\n"
      "    push-empty-protection: true\n");
  ASSERT_TRUE(result.ok()) << result.status();
  absl::StatusOr<ServiceInfoHolderOptions> options =
      ToServiceInfoHolderOptions(Naming(result), {{"JM_SNAPSHOT_PATH", "/srv/snap"}});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->cache_directory, "/srv/snap/nacos/naming/prod");
  EXPECT_TRUE(options->load_cache_at_start);
  EXPECT_TRUE(options->push_empty_protection);

  const ConfigLoadResult defaults = Load("");
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  options = ToServiceInfoHolderOptions(Naming(defaults), {{"HOME", "/home/app"}});
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->cache_directory, "/home/app/nacos/naming/public");
  EXPECT_EQ(options->load_cache_at_start, ServiceInfoHolderOptions().load_cache_at_start);
  EXPECT_EQ(options->push_empty_protection, ServiceInfoHolderOptions().push_empty_protection);

  EXPECT_TRUE(
      absl::IsFailedPrecondition(ToServiceInfoHolderOptions(Naming(defaults), {}).status()));
}

}  // namespace
}  // namespace naming
}  // namespace failover
