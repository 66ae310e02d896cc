#include "naming-client/disk_failover_writer.h"

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "naming-client/internal/posix_files.h"
#include "naming-client/service_info_json.h"
#include "naming-client/snapshot_path.h"

namespace failover {
namespace naming {
namespace {

// NAME_MAX on Linux file systems.
constexpr size_t kMaxFileNameBytes = 255;

absl::Status Prefixed(absl::string_view prefix, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

// The file must read back as `key` (no "@@" inside a part, no '%' or '+' in the clusters, which
// Nacos leaves unencoded) and be a plain file name.
absl::Status CheckFileName(const ServiceKey& key, const std::string& file_name) {
  if (key.group.empty() || key.service.empty()) {
    return absl::InvalidArgumentError("the key needs a group and a service name");
  }
  absl::StatusOr<ServiceKey> read_back = ParseFailoverFileName(file_name);
  if (!read_back.ok() || *read_back != key) {
    return absl::InvalidArgumentError(
        absl::StrCat("file name '", file_name, "' would not read back as this key"));
  }
  if (file_name.find('/') != std::string::npos) {
    return absl::InvalidArgumentError("clusters may not contain '/'");
  }
  if (file_name.size() > kMaxFileNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("file name '", file_name, "' is longer than ", kMaxFileNameBytes, " bytes"));
  }
  return absl::OkStatus();
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
  const std::string file_name = FailoverFileName(key);
  absl::Status usable = CheckFileName(key, file_name);
  if (!usable.ok()) return Prefixed(prefix, usable);
  absl::StatusOr<std::string> json = SerializeServiceInfoJson(info);
  if (!json.ok()) return Prefixed(prefix, json.status());
  absl::Status made = naming_internal::MakeDirectories(directory_);
  if (!made.ok()) return Prefixed(prefix, made);
  return Prefixed(
      prefix, naming_internal::WriteFileAtomically(directory_, file_name, *json,
                                                   existing == ExistingFilePolicy::kReplace
                                                       ? naming_internal::WriteMode::kReplace
                                                       : naming_internal::WriteMode::kCreateOnly));
}

}  // namespace naming
}  // namespace failover
