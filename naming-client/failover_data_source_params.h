// What a failover data source is told when it is created, whatever its kind.
//
//   FailoverDataSourceParams params;
//   params.nacos_namespace = "prod";
//   params.environment = ProcessEnvironment();
//   auto source = CreateFailoverDataSource("disk", params);
#ifndef FAILOVER_NAMING_CLIENT_FAILOVER_DATA_SOURCE_PARAMS_H_
#define FAILOVER_NAMING_CLIENT_FAILOVER_DATA_SOURCE_PARAMS_H_

#include <string>

#include "core/config/environment.h"
#include "naming-client/snapshot_path.h"

namespace failover {
namespace naming {

// Plain value type.
struct FailoverDataSourceParams {
  // The Nacos namespace the client works in; blank means "public". The registry normalises it
  // (NormalizeNamespace) before a factory sees it. (Java never tells custom sources.)
  std::string nacos_namespace = std::string(kDefaultNamespace);
  // The configured snapshot path; blank: resolved from properties and environment
  // (ResolveSnapshotPath).
  std::string snapshot_path;
  // Client properties: JM.SNAPSHOT.PATH, and whatever settings a custom source reads.
  ClientProperties properties;
  // The environment as the process had it (ProcessEnvironment()), or as a test sets it.
  Environment environment;
  // host:port of the central failover server, for the "grpc" source
  // (failover.naming.grpc.target); other sources ignore it.
  std::string grpc_target;
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_FAILOVER_DATA_SOURCE_PARAMS_H_
