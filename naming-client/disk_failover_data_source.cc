#include "naming-client/disk_failover_data_source.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "naming-client/internal/posix_files.h"
#include "naming-client/internal/switch_file.h"
#include "naming-client/snapshot_path.h"

namespace failover {
namespace naming {
namespace {

// The switch file holds one character; anything this large is not a switch file.
constexpr size_t kMaxSwitchFileBytes = 64 << 10;

absl::Status Prefixed(absl::string_view prefix, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<DiskFailoverDataSource>> DiskFailoverDataSource::Create(
    DiskFailoverOptions options) {
  if (options.directory.empty()) {
    return absl::InvalidArgumentError("disk failover data source: empty directory");
  }
  if (options.max_file_bytes == 0) {
    return absl::InvalidArgumentError("disk failover data source: max_file_bytes must be > 0");
  }
  return std::unique_ptr<DiskFailoverDataSource>(new DiskFailoverDataSource(std::move(options)));
}

DiskFailoverDataSource::DiskFailoverDataSource(DiskFailoverOptions options)
    : options_(std::move(options)),
      files_({options_.directory,
              "failover file",
              options_.max_file_bytes,
              {std::string(kFailoverSwitchFileName)}}) {}

absl::StatusOr<FailoverSwitch> DiskFailoverDataSource::GetSwitch() {
  const std::string path = absl::StrCat(options_.directory, "/", kFailoverSwitchFileName);
  absl::StatusOr<std::string> content =
      naming_internal::ReadFileToString(path, kMaxSwitchFileBytes);
  if (absl::IsNotFound(content.status())) {
    FailoverSwitch off;
    off.reason = absl::StrCat("no switch file '", path, "'");
    return off;
  }
  if (!content.ok()) return Prefixed("failover switch file: ", content.status());
  absl::StatusOr<FailoverSwitch> parsed = naming_internal::ParseSwitchFile(*content);
  if (!parsed.ok()) {
    return Prefixed(absl::StrCat("failover switch file '", path, "' "), parsed.status());
  }
  parsed->reason = absl::StrCat("switch file '", path, "' ", parsed->reason);
  return parsed;
}

absl::StatusOr<FailoverData> DiskFailoverDataSource::GetData() {
  MutexLock lock(&mu_);
  absl::StatusOr<FailoverData> data = files_.Read();
  if (!data.ok()) return Prefixed("failover directory: ", data.status());
  return data;
}

absl::StatusOr<std::unique_ptr<FailoverDataSource>> NewDiskFailoverDataSource(
    const FailoverDataSourceParams& params) {
  absl::StatusOr<std::string> snapshot_path =
      ResolveSnapshotPath(params.snapshot_path, params.properties, params.environment);
  if (!snapshot_path.ok()) return snapshot_path.status();
  absl::StatusOr<std::string> directory =
      NamingFailoverDirectory(*snapshot_path, params.nacos_namespace);
  if (!directory.ok()) return directory.status();
  DiskFailoverOptions options;
  options.directory = *std::move(directory);
  absl::StatusOr<std::unique_ptr<DiskFailoverDataSource>> source =
      DiskFailoverDataSource::Create(std::move(options));
  if (!source.ok()) return source.status();
  return std::unique_ptr<FailoverDataSource>(*std::move(source));
}

}  // namespace naming
}  // namespace failover
