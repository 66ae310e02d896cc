// Failover data sources by name, the C++ counterpart of the Java client's SPI lookup: the
// configuration names a source ("disk", or one the application registered) and the registry
// creates it, telling it the namespace. "disk" is built in.
//
//   absl::Status s = RegisterFailoverDataSource(
//       "redis", [](const FailoverDataSourceParams& p)
//                    -> absl::StatusOr<std::unique_ptr<FailoverDataSource>> { ... });
//   absl::StatusOr<std::unique_ptr<FailoverDataSource>> source =
//       CreateFailoverDataSource("redis", params);
//
// Errors are clear and early, where Java throws a NullPointerException on every tick: an
// unknown name is NotFound listing the registered names; a failing factory's error comes back
// with the source's name; a factory returning nothing is Internal.
#ifndef FAILOVER_NAMING_CLIENT_FAILOVER_DATA_SOURCE_REGISTRY_H_
#define FAILOVER_NAMING_CLIENT_FAILOVER_DATA_SOURCE_REGISTRY_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/sync.h"
#include "naming-client/failover_data_source.h"
#include "naming-client/failover_data_source_params.h"

namespace failover {
namespace naming {

// Creates a data source. May be called from any thread, concurrently.
using FailoverDataSourceFactory = std::function<absl::StatusOr<std::unique_ptr<FailoverDataSource>>(
    const FailoverDataSourceParams& params)>;

// Thread-safe. Factories run without the registry's lock held.
class FailoverDataSourceRegistry {
 public:
  // An empty registry (tests); GlobalFailoverDataSourceRegistry() has "disk".
  FailoverDataSourceRegistry() = default;
  FailoverDataSourceRegistry(const FailoverDataSourceRegistry&) = delete;
  FailoverDataSourceRegistry& operator=(const FailoverDataSourceRegistry&) = delete;

  // InvalidArgument for an empty name, a name with spaces or control characters, or an empty
  // factory; AlreadyExists when the name is taken.
  absl::Status Register(absl::string_view name, FailoverDataSourceFactory factory);

  // The source `name` makes for `params`, the namespace normalised first (blank -> "public").
  absl::StatusOr<std::unique_ptr<FailoverDataSource>> Create(
      absl::string_view name, const FailoverDataSourceParams& params) const;

  // Registered names, sorted.
  std::vector<std::string> Names() const;

 private:
  mutable Mutex mu_;
  std::map<std::string, FailoverDataSourceFactory, std::less<>> factories_ ABSL_GUARDED_BY(mu_);
};

// The process-wide registry, with "disk" (NewDiskFailoverDataSource) registered. Never destroyed.
FailoverDataSourceRegistry& GlobalFailoverDataSourceRegistry();

// GlobalFailoverDataSourceRegistry().Register(...) / .Create(...).
absl::Status RegisterFailoverDataSource(absl::string_view name, FailoverDataSourceFactory factory);
absl::StatusOr<std::unique_ptr<FailoverDataSource>> CreateFailoverDataSource(
    absl::string_view name, const FailoverDataSourceParams& params);

// The name of the built-in disk source.
inline constexpr absl::string_view kDiskFailoverDataSourceName = "disk";

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_FAILOVER_DATA_SOURCE_REGISTRY_H_
