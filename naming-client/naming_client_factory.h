// NewNamingClient: a NamingClient built from the failover.naming configuration section, the way
// an application starts one (the Java client's NamingFactory.createNamingService(properties)).
//
//   failover::ConfigLoader loader;
//   auto naming = failover::naming::AddNamingSection(loader);
//   failover::ConfigLoadResult loaded = loader.Load(yaml_text, failover::ProcessEnvironment());
//   if (!loaded.ok()) return loaded.status();
//   failover::naming::NamingClientOptions options;
//   options.metrics = &registry;
//   absl::StatusOr<std::unique_ptr<failover::naming::NamingClient>> client =
//       failover::naming::NewNamingClient(loaded.Get(*naming), failover::ProcessEnvironment(),
//                                         failover::SystemClock(), failover::SystemRandom(),
//                                         options);
//   if (!client.ok()) return client.status();  // names the failing part
//
// What it builds from the section:
//   - the failover data source registered under `data-source` (the global registry: "disk",
//     and "grpc" when //naming-client:grpc_failover_data_source is linked), polled by a
//     FailoverReactor every `poll-interval`;
//   - the service cache in NamingCacheDirectory(snapshot path, namespace), the snapshot path
//     resolved as the data source resolves it, with `load-cache-at-start` and
//     `push-empty-protection`;
//   - when `server-addresses` is not empty, a NacosHttpUpstream over cpp-httplib; otherwise the
//     client answers from failover data and the cache only;
//   - metrics (when options.metrics is set) tagged {namespace}.
// Errors come at construction, never on a later poll (reference defect 8): an unknown or failing
// data source names failover.naming.data-source and the registered sources; every other error
// names the part that failed.
#ifndef FAILOVER_NAMING_CLIENT_NAMING_CLIENT_FACTORY_H_
#define FAILOVER_NAMING_CLIENT_NAMING_CLIENT_FACTORY_H_

#include <memory>

#include "absl/status/statusor.h"
#include "core/breaker/circuit_breaker.h"
#include "core/clock.h"
#include "core/config/environment.h"
#include "core/metrics/metrics_registry.h"
#include "core/random.h"
#include "core/retry/retry.h"
#include "naming-client/nacos_http_upstream.h"
#include "naming-client/naming_client.h"
#include "naming-client/naming_config.h"
#include "naming-client/service_poller.h"
#include "naming-client/snapshot_path.h"

namespace failover {
namespace naming {

// What the configuration does not say: where metrics go, the client properties, and the tuning
// of pieces the failover.naming section leaves at their defaults. Plain value type.
struct NamingClientOptions {
  // failover.naming.* metrics go here when set; must outlive the client.
  MetricsRegistry* metrics = nullptr;
  // JM.SNAPSHOT.PATH, and whatever a custom data source reads (the Java client's Properties).
  ClientProperties properties;
  // The Nacos upstream's breaker per server and retry over the servers.
  CircuitBreakerOptions server_breaker = DefaultNacosServerBreakerOptions();
  RetryOptions retry = DefaultNacosRetryOptions();
  // How subscribed services are polled.
  ServicePollerOptions poller = NamingClientParts::DefaultNamingPollerOptions();
};

// A client for `config` (see the file comment). `environment` is the process's
// (ProcessEnvironment()) or a test's: HOME, JM.SNAPSHOT.PATH, JM_SNAPSHOT_PATH. `clock` and
// `random` must outlive the client. Errors name the failing part: failover.naming.data-source
// (NotFound listing the registered names for an unknown source, the source's own error
// otherwise), failover.naming.snapshot-path (no snapshot path), "naming client: service cache",
// "naming client: failover reactor", "naming client: nacos upstream" (bad breaker or retry
// options).
absl::StatusOr<std::unique_ptr<NamingClient>> NewNamingClient(
    const NamingConfig& config, const Environment& environment, Clock& clock, RandomSource& random,
    const NamingClientOptions& options = NamingClientOptions());

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_NAMING_CLIENT_FACTORY_H_
