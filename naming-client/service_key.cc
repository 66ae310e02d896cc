#include "naming-client/service_key.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "naming-client/internal/java_url_coding.h"

namespace failover {
namespace naming {

std::string ServiceKey::GroupedName() const { return GroupedServiceName(group, service); }

std::string ServiceKey::ToString() const {
  if (clusters.empty()) return GroupedName();
  return absl::StrCat(group, kKeySeparator, service, kKeySeparator, clusters);
}

std::string GroupedServiceName(absl::string_view group, absl::string_view service) {
  return absl::StrCat(group, kKeySeparator, service);
}

absl::StatusOr<ServiceKey> ParseServiceKey(absl::string_view key) {
  std::vector<absl::string_view> parts = absl::StrSplit(key, kKeySeparator);
  if (parts.size() == 3 && parts[2].empty()) parts.pop_back();
  if (parts.size() < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", key, "' is not GROUP@@SERVICE or GROUP@@SERVICE@@CLUSTERS (no \"@@\")"));
  }
  if (parts.size() > 3) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", key, "' has more than three \"@@\"-separated parts"));
  }
  if (parts[0].empty()) {
    return absl::InvalidArgumentError(absl::StrCat("'", key, "' has an empty group"));
  }
  if (parts[1].empty()) {
    return absl::InvalidArgumentError(absl::StrCat("'", key, "' has an empty service name"));
  }
  ServiceKey parsed;
  parsed.group = std::string(parts[0]);
  parsed.service = std::string(parts[1]);
  if (parts.size() == 3) parsed.clusters = std::string(parts[2]);
  return parsed;
}

std::string JoinClusters(const std::vector<std::string>& clusters) {
  return absl::StrJoin(clusters, ",");
}

std::vector<std::string> SplitClusters(absl::string_view clusters) {
  std::vector<std::string> names;
  for (absl::string_view name : absl::StrSplit(clusters, ',')) {
    name = absl::StripAsciiWhitespace(name);
    if (!name.empty()) names.emplace_back(name);
  }
  return names;
}

std::string FailoverFileName(const ServiceKey& key) {
  std::string name = naming_internal::JavaUrlEncode(key.GroupedName());
  if (!key.clusters.empty()) absl::StrAppend(&name, kKeySeparator, key.clusters);
  return name;
}

absl::StatusOr<ServiceKey> ParseFailoverFileName(absl::string_view file_name) {
  absl::StatusOr<std::string> decoded = naming_internal::JavaUrlDecode(file_name);
  if (!decoded.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover file name '", file_name, "': ", decoded.status().message()));
  }
  absl::StatusOr<ServiceKey> key = ParseServiceKey(*decoded);
  if (!key.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover file name '", file_name, "': ", key.status().message()));
  }
  return key;
}

}  // namespace naming
}  // namespace failover
