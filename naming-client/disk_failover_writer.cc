#include "naming-client/disk_failover_writer.h"

#include "absl/strings/str_cat.h"
#include "naming-client/internal/posix_files.h"
#include "naming-client/internal/service_file_dir.h"
#include "naming-client/snapshot_path.h"

namespace failover {
namespace naming {
namespace {

absl::Status Prefixed(absl::string_view prefix, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

}  // namespace

absl::Status DiskFailoverWriter::WriteSwitch(bool enabled) const {
  absl::Status made = naming_internal::MakeDirectories(directory_);
  if (!made.ok()) return Prefixed("failover switch: ", made);
  return Prefixed("failover switch: ",
                  naming_internal::WriteFileAtomically(directory_, kFailoverSwitchFileName,
                                                       enabled ? "1\n" : "0\n",
                                                       naming_internal::WriteMode::kReplace));
}

absl::Status DiskFailoverWriter::WriteService(const ServiceKey& key, const v1::ServiceInfo& info,
                                              ExistingFilePolicy existing) const {
  const std::string prefix = absl::StrCat("failover data for ", key.ToString(), ": ");
  return Prefixed(prefix,
                  naming_internal::WriteServiceFile(directory_, key, info,
                                                    existing == ExistingFilePolicy::kReplace
                                                        ? naming_internal::WriteMode::kReplace
                                                        : naming_internal::WriteMode::kCreateOnly));
}

absl::Status DiskFailoverWriter::RemoveService(const ServiceKey& key) const {
  const std::string prefix = absl::StrCat("failover data for ", key.ToString(), ": ");
  if (key.group.empty() || key.service.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(prefix, "the group and the service must not be empty"));
  }
  return Prefixed(prefix, naming_internal::RemoveFileDurably(directory_, FailoverFileName(key)));
}

}  // namespace naming
}  // namespace failover
