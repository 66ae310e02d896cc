#include "naming-client/internal/service_file_dir.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "naming-client/service_info_json.h"

namespace failover {
namespace naming_internal {
namespace {

using naming::FailoverProblemKind;
using naming::ServiceKey;

// NAME_MAX on Linux file systems.
constexpr size_t kMaxFileNameBytes = 255;

// The file must read back as `key` (no "@@" inside a part, no '%' or '+' in the clusters, which
// Nacos leaves unencoded) and be a plain file name.
absl::Status CheckFileName(const ServiceKey& key, const std::string& file_name) {
  if (key.group.empty() || key.service.empty()) {
    return absl::InvalidArgumentError("the key needs a group and a service name");
  }
  absl::StatusOr<ServiceKey> read_back = naming::ParseFailoverFileName(file_name);
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

absl::StatusOr<naming::FailoverData> ServiceFileDirectory::Read() {
  absl::StatusOr<std::vector<std::string>> names = ListRegularFiles(options_.directory);
  if (absl::IsNotFound(names.status())) {
    cache_.clear();
    return naming::FailoverData();
  }
  if (!names.ok()) return names.status();

  std::map<std::string, CachedFile> loaded;
  naming::FailoverData data;
  for (const std::string& name : *names) {
    if (options_.ignored_names.count(name) > 0 || absl::StartsWith(name, kTempFilePrefix)) {
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
        data.problems.push_back(
            {name, FailoverProblemKind::kDuplicateKey,
             absl::StrCat(options_.file_noun, " '", name, "': holds ", key, " like '",
                          it->second.origin, "', which is served instead")});
      }
    }
    loaded.emplace(name, std::move(file));
  }
  // Files no longer listed drop out of the cache, and so out of every later result.
  cache_ = std::move(loaded);
  return data;
}

bool ServiceFileDirectory::LoadFile(const std::string& name, CachedFile& file) {
  const auto fail = [&](FailoverProblemKind kind, std::string message) {
    file.ok = false;
    file.problem = {name, kind, std::move(message)};
    return true;
  };
  absl::StatusOr<ServiceKey> key = naming::ParseFailoverFileName(name);
  if (!key.ok()) return fail(FailoverProblemKind::kBadName, std::string(key.status().message()));

  const std::string path = absl::StrCat(options_.directory, "/", name);
  absl::StatusOr<std::string> content = ReadFileToString(path, options_.max_file_bytes);
  if (absl::IsNotFound(content.status())) return false;  // Deleted since it was listed.
  const std::string prefix = absl::StrCat(options_.file_noun, " '", name, "': ");
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
  absl::StatusOr<v1::ServiceInfo> info = naming::ParseServiceInfoJson(*content);
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

absl::Status WriteServiceFile(const std::string& directory, const ServiceKey& key,
                              const v1::ServiceInfo& info, WriteMode mode) {
  const std::string file_name = naming::FailoverFileName(key);
  absl::Status usable = CheckFileName(key, file_name);
  if (!usable.ok()) return usable;
  absl::StatusOr<std::string> json = naming::SerializeServiceInfoJson(info);
  if (!json.ok()) return json.status();
  absl::Status made = MakeDirectories(directory);
  if (!made.ok()) return made;
  return WriteFileAtomically(directory, file_name, *json, mode);
}

}  // namespace naming_internal
}  // namespace failover
