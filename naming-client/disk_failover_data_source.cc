#include "naming-client/disk_failover_data_source.h"

#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "naming-client/internal/posix_files.h"
#include "naming-client/internal/switch_file.h"
#include "naming-client/service_info_json.h"
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
  absl::StatusOr<std::vector<std::string>> names =
      naming_internal::ListRegularFiles(options_.directory);
  MutexLock lock(&mu_);
  if (absl::IsNotFound(names.status())) {
    cache_.clear();
    return FailoverData();
  }
  if (!names.ok()) return Prefixed("failover directory: ", names.status());

  std::map<std::string, CachedFile> loaded;
  FailoverData data;
  for (const std::string& name : *names) {
    if (name == kFailoverSwitchFileName ||
        absl::StartsWith(name, naming_internal::kTempFilePrefix)) {
      continue;
    }
    CachedFile file;
    if (!LoadFile(name, file)) continue;
    if (!file.ok) {
      data.problems.push_back(file.problem);
    } else {
      const std::string key = file.service.key.ToString();
      const auto [it, inserted] = data.services.emplace(key, file.service);
      if (!inserted) {
        data.problems.push_back({name, FailoverProblemKind::kDuplicateKey,
                                 absl::StrCat("failover file '", name, "': holds ", key, " like '",
                                              it->second.origin, "', which is served instead")});
      }
    }
    loaded.emplace(name, std::move(file));
  }
  // Files no longer listed drop out of the cache, and so out of every later result.
  cache_ = std::move(loaded);
  return data;
}

bool DiskFailoverDataSource::LoadFile(const std::string& name, CachedFile& file) {
  const auto fail = [&](FailoverProblemKind kind, std::string message) {
    file.ok = false;
    file.problem = {name, kind, std::move(message)};
    return true;
  };
  absl::StatusOr<ServiceKey> key = ParseFailoverFileName(name);
  if (!key.ok()) return fail(FailoverProblemKind::kBadName, std::string(key.status().message()));

  const std::string path = absl::StrCat(options_.directory, "/", name);
  absl::StatusOr<std::string> content =
      naming_internal::ReadFileToString(path, options_.max_file_bytes);
  if (absl::IsNotFound(content.status())) return false;  // Deleted since it was listed.
  const std::string prefix = absl::StrCat("failover file '", name, "': ");
  if (absl::IsOutOfRange(content.status())) {
    return fail(FailoverProblemKind::kTooLarge, absl::StrCat(prefix, content.status().message()));
  }
  if (!content.ok()) {
    return fail(FailoverProblemKind::kUnreadable, absl::StrCat(prefix, content.status().message()));
  }

  const uint64_t hash = absl::Hash<absl::string_view>{}(*content);
  const auto cached = cache_.find(name);
  if (cached != cache_.end() && cached->second.content_hash == hash) {
    file = cached->second;  // Same content: same result, same shared ServiceInfo.
    return true;
  }
  file.content_hash = hash;
  absl::StatusOr<v1::ServiceInfo> info = ParseServiceInfoJson(*content);
  if (!info.ok()) {
    return fail(FailoverProblemKind::kBadContent, absl::StrCat(prefix, info.status().message()));
  }
  // One identity, the file name's (the JSON's own "name" may or may not carry the group).
  info->set_name(key->service);
  info->set_group_name(key->group);
  info->set_clusters(key->clusters);
  file.ok = true;
  file.service.key = *std::move(key);
  file.service.info = std::make_shared<const v1::ServiceInfo>(*std::move(info));
  file.service.content_hash = hash;
  file.service.origin = name;
  return true;
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
