// Where Nacos keeps a namespace's cache files, {snapshot path}/nacos/naming/{namespace}, and its
// failover files, {snapshot path}/nacos/naming/{namespace}/failover, the snapshot path resolved as
// the Java client resolves it. The process environment is passed in, never read here.
//
//   absl::StatusOr<std::string> base =
//       ResolveSnapshotPath(options.snapshot_path, properties, ProcessEnvironment());
//   absl::StatusOr<std::string> dir = NamingFailoverDirectory(*base, "public");
//   // "/home/app/nacos/naming/public/failover"
#ifndef FAILOVER_NAMING_CLIENT_SNAPSHOT_PATH_H_
#define FAILOVER_NAMING_CLIENT_SNAPSHOT_PATH_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/config/environment.h"

namespace failover {
namespace naming {

// Client properties, the counterpart of the java.util.Properties (and -D system properties) a
// Java Nacos client is given: name -> value.
using ClientProperties = std::map<std::string, std::string>;

// The property (and environment variable, also as JM_SNAPSHOT_PATH) naming the snapshot path.
inline constexpr absl::string_view kSnapshotPathProperty = "JM.SNAPSHOT.PATH";
inline constexpr absl::string_view kDefaultNamespace = "public";
// The failover switch file's name inside the failover directory.
inline constexpr absl::string_view kFailoverSwitchFileName =
    "00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00";

// The snapshot path, from the first of these that is not blank, in the Java client's order
// (NacosClientProperties: given properties, then system properties, then the environment):
//   1. `configured`, our configuration's explicit value;
//   2. properties["JM.SNAPSHOT.PATH"];
//   3. environment "JM.SNAPSHOT.PATH", then "JM_SNAPSHOT_PATH";
//   4. environment "HOME" (Java: the user.home system property).
// FailedPrecondition when none is set.
absl::StatusOr<std::string> ResolveSnapshotPath(absl::string_view configured,
                                                const ClientProperties& properties,
                                                const Environment& environment);

// The namespace as a directory name: blank means "public" (as the Java client); otherwise it
// must be usable as one directory name (not "." or "..", no '/' or NUL). InvalidArgument naming
// it otherwise.
absl::StatusOr<std::string> NormalizeNamespace(absl::string_view nacos_namespace);

// {snapshot_path}/nacos/naming/{namespace}, the namespace normalised as above: the Nacos cache
// directory, where the Java client mirrors every service it has looked up (DiskCache) and reads
// them back when namingLoadCacheAtStart is set. Java's namingCacheRegistryDir property (an extra
// directory between "nacos" and "naming") is not supported.
absl::StatusOr<std::string> NamingCacheDirectory(absl::string_view snapshot_path,
                                                 absl::string_view nacos_namespace);

// NamingCacheDirectory() + "/failover".
absl::StatusOr<std::string> NamingFailoverDirectory(absl::string_view snapshot_path,
                                                    absl::string_view nacos_namespace);

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_SNAPSHOT_PATH_H_
