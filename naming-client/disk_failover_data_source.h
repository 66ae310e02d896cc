// The Nacos failover directory as a FailoverDataSource: the switch file and one JSON file per
// service in {snapshot path}/nacos/naming/{namespace}/failover, in the format and with the file
// names the Nacos Java client uses (see docs/naming-client.md).
//
//   DiskFailoverOptions options;
//   options.directory = *NamingFailoverDirectory("/home/app", "public");
//   absl::StatusOr<std::unique_ptr<DiskFailoverDataSource>> source =
//       DiskFailoverDataSource::Create(options);
//   absl::StatusOr<FailoverSwitch> on = (*source)->GetSwitch();
//   absl::StatusOr<FailoverData> data = (*source)->GetData();
//
// Unlike the Java client, every file is read on its own: a stray file (.DS_Store, README), a bad
// '%' escape in a name, truncated JSON or an oversized file is reported in
// FailoverData::problems and skipped, and the other files are served. GetData() reads the
// directory each time it is called, so edits are seen whatever the switch file's mtime does, and
// deleted files stop being served; a file whose content hash is unchanged is not parsed again.
#ifndef FAILOVER_NAMING_CLIENT_DISK_FAILOVER_DATA_SOURCE_H_
#define FAILOVER_NAMING_CLIENT_DISK_FAILOVER_DATA_SOURCE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "core/sync.h"
#include "naming-client/failover_data_source.h"
#include "naming-client/failover_data_source_params.h"
#include "naming-client/internal/service_file_dir.h"

namespace failover {
namespace naming {

struct DiskFailoverOptions {
  // The failover directory itself (NamingFailoverDirectory() builds it). It need not exist:
  // then the switch is off and there is no data.
  std::string directory;
  // Data files larger than this are reported (kTooLarge) and skipped.
  size_t max_file_bytes = 16 << 20;
};

// Thread-safe: GetSwitch() and GetData() may be called from any thread; GetData() calls
// serialise on an internal mutex (they share the parse cache). The directory is read by
// naming_internal::ServiceFileDirectory, as the cache directory is (disk_cache.h).
class DiskFailoverDataSource final : public FailoverDataSource {
 public:
  // InvalidArgument when the directory is empty or max_file_bytes is 0.
  static absl::StatusOr<std::unique_ptr<DiskFailoverDataSource>> Create(
      DiskFailoverOptions options);

  // Off, not an error, when the switch file or the directory does not exist.
  absl::StatusOr<FailoverSwitch> GetSwitch() override;
  absl::StatusOr<FailoverData> GetData() override;

  const std::string& directory() const { return options_.directory; }

 private:
  explicit DiskFailoverDataSource(DiskFailoverOptions options);

  const DiskFailoverOptions options_;
  Mutex mu_;
  naming_internal::ServiceFileDirectory files_ ABSL_GUARDED_BY(mu_);
};

// The "disk" factory for the registry: the failover directory from `params` (snapshot path
// resolved by ResolveSnapshotPath(), namespace by NormalizeNamespace()).
absl::StatusOr<std::unique_ptr<FailoverDataSource>> NewDiskFailoverDataSource(
    const FailoverDataSourceParams& params);

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_DISK_FAILOVER_DATA_SOURCE_H_
