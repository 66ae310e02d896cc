// The `failover.naming` section of the YAML configuration: NamingConfig mirrors the YAML keys one
// to one, NamingConfigSchema() declares them (defaults, validation, docs), and the To...()
// functions turn a loaded section into what the naming client's pieces are built from. The keys
// are listed in docs/config.md.
//
//   failover::ConfigLoader loader;
//   auto naming = failover::naming::AddNamingSection(loader);  // next to AddFailoverSection
//   failover::ConfigLoadResult result = loader.Load(yaml_text, failover::ProcessEnvironment());
//   if (!result.ok()) return result.status();  // every problem, with paths and lines
//   const failover::naming::NamingConfig& config = result.Get(*naming);
//   auto source = failover::naming::CreateFailoverDataSource(
//       config.data_source, failover::naming::ToFailoverDataSourceParams(config, env));
//   auto reactor = failover::naming::FailoverReactor::Create(
//       *std::move(source), clock, failover::naming::ToFailoverReactorOptions(config));
//
//   failover:
//     naming:
//       namespace: prod
//       snapshot-path: /var/lib/orders      # -> /var/lib/orders/nacos/naming/prod/failover
//       poll-interval: 5s
//       server-addresses: [ "10.0.0.1:8848", "http://10.0.0.2:8848" ]
//       api-version: v1
//
// Unknown data-source names are not checked here: sources register at run time, so the registry
// reports them when the source is created. The structs are plain values; copy freely.
#ifndef FAILOVER_NAMING_CLIENT_NAMING_CONFIG_H_
#define FAILOVER_NAMING_CLIENT_NAMING_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/config/config_loader.h"
#include "core/config/config_schema.h"
#include "core/config/config_value.h"
#include "core/config/environment.h"
#include "naming-client/failover_data_source_params.h"
#include "naming-client/failover_reactor.h"
#include "naming-client/nacos_http_upstream.h"
#include "naming-client/service_info_holder.h"
#include "naming-client/snapshot_path.h"

namespace failover {
namespace naming {

inline constexpr char kNamingSectionPath[] = "failover.naming";

// grpc.*: the central failover server (failover.v1.FailoverData) for data-source: grpc.
struct NamingGrpcConfig {
  std::string target;  // target: host:port; required when data-source is grpc
};

// failover.naming.*
struct NamingConfig {
  std::string nacos_namespace = std::string(kDefaultNamespace);  // namespace
  // snapshot-path: "" = JM.SNAPSHOT.PATH property, JM.SNAPSHOT.PATH / JM_SNAPSHOT_PATH, HOME.
  std::string snapshot_path;
  std::string data_source = "disk";                 // data-source: a registered source's name
  absl::Duration poll_interval = absl::Seconds(5);  // poll-interval: switch and data re-read
  // server-addresses: host[:port] or http://host[:port] of Nacos servers (port 8848).
  std::vector<std::string> server_addresses;
  NacosApiVersion api_version = NacosApiVersion::kV1;  // api-version: v1 | v2
  std::string context_path = "/nacos";                 // context-path: Nacos's web context
  absl::Duration connect_timeout = absl::Seconds(2);   // connect-timeout: per server request
  absl::Duration request_timeout = absl::Seconds(5);   // request-timeout: answer, once connected
  bool load_cache_at_start = false;    // load-cache-at-start (Java: namingLoadCacheAtStart)
  bool push_empty_protection = false;  // push-empty-protection (namingPushEmptyProtection)
  NamingGrpcConfig grpc;               // grpc.*
};

// v1, v2 (found by argument-dependent lookup).
ConfigEnumDescription<NacosApiVersion> DescribeConfigEnum(NacosApiVersion);

// Every failover.naming property, with its validation. All have defaults, so a file without the
// section is valid and gets the disk source in the public namespace.
ConfigSchema<NamingConfig> NamingConfigSchema();

// Registers NamingConfigSchema() at "failover.naming".
absl::StatusOr<SectionHandle<NamingConfig>> AddNamingSection(ConfigLoader& loader);

// What the data source named by config.data_source is created with: namespace, snapshot path,
// grpc.target, and the environment and client properties the snapshot path may be resolved from.
FailoverDataSourceParams ToFailoverDataSourceParams(const NamingConfig& config,
                                                    const Environment& environment,
                                                    const ClientProperties& properties = {});

// The reactor's options (poll-interval).
FailoverReactorOptions ToFailoverReactorOptions(const NamingConfig& config);

// The Nacos HTTP upstream's options (server-addresses, api-version, namespace, context-path,
// the timeouts); breaker and retry keep their defaults. NacosHttpUpstream::Create() refuses an
// empty server list, so a client without servers is never built by accident.
NacosHttpUpstreamOptions ToNacosHttpUpstreamOptions(const NamingConfig& config);

// The service cache's options: load-cache-at-start, push-empty-protection, and the Nacos cache
// directory {snapshot path}/nacos/naming/{namespace}, the snapshot path resolved as for the disk
// source (snapshot-path, then JM.SNAPSHOT.PATH from `properties` or `environment`, then HOME).
// FailedPrecondition when no snapshot path can be found.
absl::StatusOr<ServiceInfoHolderOptions> ToServiceInfoHolderOptions(
    const NamingConfig& config, const Environment& environment,
    const ClientProperties& properties = {});

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_NAMING_CONFIG_H_
