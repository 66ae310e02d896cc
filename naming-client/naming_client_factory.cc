#include "naming-client/naming_client_factory.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "naming-client/failover_data_source_registry.h"
#include "naming-client/failover_reactor.h"
#include "naming-client/httplib_client.h"
#include "naming-client/service_info_holder.h"

namespace failover {
namespace naming {
namespace {

// `status` with `part` and ": " in front of its message, its code kept.
absl::Status Prefixed(absl::string_view part, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(part, ": ", status.message()));
}

std::string Property(absl::string_view key) { return absl::StrCat(kNamingSectionPath, ".", key); }

absl::StatusOr<std::unique_ptr<FailoverReactor>> NewReactor(const NamingConfig& config,
                                                            const Environment& environment,
                                                            Clock& clock,
                                                            const NamingClientOptions& options) {
  FailoverDataSourceRegistry& registry = GlobalFailoverDataSourceRegistry();
  auto source = registry.Create(
      config.data_source, ToFailoverDataSourceParams(config, environment, options.properties));
  if (!source.ok()) {
    // An unknown name's NotFound already lists the registered names; a failing factory's
    // error does not.
    const std::vector<std::string> names = registry.Names();
    std::string known;
    if (std::find(names.begin(), names.end(), config.data_source) != names.end()) {
      known = absl::StrCat(" (registered: ", absl::StrJoin(names, ", "), ")");
    } else if (config.data_source == "grpc") {
      known = "; it registers itself when //naming-client:grpc_failover_data_source is linked";
    }
    return absl::Status(source.status().code(), absl::StrCat(Property("data-source"), ": ",
                                                             source.status().message(), known));
  }
  auto reactor =
      FailoverReactor::Create(*std::move(source), clock, ToFailoverReactorOptions(config));
  if (!reactor.ok()) return Prefixed("naming client: failover reactor", reactor.status());
  return reactor;
}

absl::StatusOr<std::unique_ptr<ServiceInfoHolder>> NewHolder(const NamingConfig& config,
                                                             const Environment& environment,
                                                             const NamingClientOptions& options) {
  // Resolved as the disk data source resolves it, so the cache and failover directories are
  // siblings as in the Java client.
  absl::StatusOr<std::string> snapshot_path =
      ResolveSnapshotPath(config.snapshot_path, options.properties, environment);
  if (!snapshot_path.ok()) {
    return Prefixed(absl::StrCat(Property("snapshot-path"), ": no directory for the service cache"),
                    snapshot_path.status());
  }
  absl::StatusOr<std::string> directory =
      NamingCacheDirectory(*snapshot_path, config.nacos_namespace);
  if (!directory.ok()) return Prefixed(Property("namespace"), directory.status());
  ServiceInfoHolderOptions holder;
  holder.cache_directory = *std::move(directory);
  holder.load_cache_at_start = config.load_cache_at_start;
  holder.push_empty_protection = config.push_empty_protection;
  auto created = ServiceInfoHolder::Create(std::move(holder));
  if (!created.ok()) return Prefixed("naming client: service cache", created.status());
  return created;
}

}  // namespace

absl::StatusOr<std::unique_ptr<NamingClient>> NewNamingClient(const NamingConfig& config,
                                                              const Environment& environment,
                                                              Clock& clock, RandomSource& random,
                                                              const NamingClientOptions& options) {
  absl::StatusOr<std::string> nacos_namespace = NormalizeNamespace(config.nacos_namespace);
  if (!nacos_namespace.ok()) return Prefixed(Property("namespace"), nacos_namespace.status());

  NamingClientParts parts;
  auto holder = NewHolder(config, environment, options);
  if (!holder.ok()) return holder.status();
  parts.holder = *std::move(holder);

  if (!config.server_addresses.empty()) {
    NacosHttpUpstreamOptions upstream_options = ToNacosHttpUpstreamOptions(config);
    upstream_options.breaker = options.server_breaker;
    upstream_options.retry = options.retry;
    auto upstream =
        NacosHttpUpstream::Create(std::move(upstream_options), NewHttplibClient(), clock, random);
    if (!upstream.ok()) {
      return Prefixed("naming client", upstream.status());  // "nacos upstream: ..."
    }
    parts.upstream = *std::move(upstream);
  }

  // Last: a source may start threads (grpc), which need not run when another part failed.
  auto reactor = NewReactor(config, environment, clock, options);
  if (!reactor.ok()) return reactor.status();
  parts.reactor = *std::move(reactor);

  parts.poller = options.poller;
  parts.metrics = options.metrics;
  parts.metric_tags = Tags({{"namespace", *nacos_namespace}});
  auto client = NamingClient::Create(std::move(parts), clock, random);
  if (!client.ok()) return client.status();  // Already "naming client: ...".
  return client;
}

}  // namespace naming
}  // namespace failover
