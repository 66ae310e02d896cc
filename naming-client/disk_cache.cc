#include "naming-client/disk_cache.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "naming-client/internal/posix_files.h"
#include "naming-client/internal/service_file_dir.h"

namespace failover {
namespace naming {
namespace {

absl::Status Prefixed(absl::string_view prefix, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

}  // namespace

absl::Status DiskCache::Write(const ServiceKey& key, const v1::ServiceInfo& info) const {
  return Prefixed(absl::StrCat("cache file for ", key.ToString(), ": "),
                  naming_internal::WriteServiceFile(options_.directory, key, info,
                                                    naming_internal::WriteMode::kReplace));
}

absl::StatusOr<DiskCacheContents> DiskCache::ReadAll() const {
  // A fresh reader each time: the cache is read once, at start, so its parse cache would not pay.
  naming_internal::ServiceFileDirectory files(
      {options_.directory, "cache file", options_.max_file_bytes, {}});
  absl::StatusOr<FailoverData> data = files.Read();
  if (!data.ok()) return Prefixed("cache directory: ", data.status());
  DiskCacheContents contents;
  contents.problems = std::move(data->problems);
  for (auto& [key, service] : data->services) {
    if (service.info->hosts_size() == 0) {
      contents.without_hosts.push_back(key);
    } else {
      contents.services.emplace(key, std::move(service));
    }
  }
  return contents;
}

}  // namespace naming
}  // namespace failover
