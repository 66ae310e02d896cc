#include "naming-client/snapshot_path.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace failover {
namespace naming {
namespace {

bool IsBlank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

// The value of `name` in `values` when present and not blank, else nullptr.
const std::string* Lookup(const std::map<std::string, std::string>& values,
                          absl::string_view name) {
  const auto it = values.find(std::string(name));
  if (it == values.end() || IsBlank(it->second)) return nullptr;
  return &it->second;
}

}  // namespace

absl::StatusOr<std::string> ResolveSnapshotPath(absl::string_view configured,
                                                const ClientProperties& properties,
                                                const Environment& environment) {
  if (!IsBlank(configured)) return std::string(configured);
  for (const std::string* value :
       {Lookup(properties, kSnapshotPathProperty), Lookup(environment, kSnapshotPathProperty),
        Lookup(environment, "JM_SNAPSHOT_PATH"), Lookup(environment, "HOME")}) {
    if (value != nullptr) return *value;
  }
  return absl::FailedPreconditionError(
      "no Nacos snapshot path: set the configured snapshot path, the JM.SNAPSHOT.PATH property, "
      "or the JM_SNAPSHOT_PATH or HOME environment variable");
}

absl::StatusOr<std::string> NormalizeNamespace(absl::string_view nacos_namespace) {
  if (IsBlank(nacos_namespace)) return std::string(kDefaultNamespace);
  if (nacos_namespace == "." || nacos_namespace == ".." ||
      absl::StrContains(nacos_namespace, '/') || absl::StrContains(nacos_namespace, '\0')) {
    return absl::InvalidArgumentError(
        absl::StrCat("namespace '", nacos_namespace,
                     "' cannot be a directory name (it is '.' or '..', or holds '/' or NUL)"));
  }
  return std::string(nacos_namespace);
}

absl::StatusOr<std::string> NamingCacheDirectory(absl::string_view snapshot_path,
                                                 absl::string_view nacos_namespace) {
  if (IsBlank(snapshot_path)) return absl::InvalidArgumentError("empty snapshot path");
  absl::StatusOr<std::string> name = NormalizeNamespace(nacos_namespace);
  if (!name.ok()) return name.status();
  absl::string_view base = snapshot_path;
  while (base.size() > 1 && absl::EndsWith(base, "/")) base.remove_suffix(1);
  if (base == "/") base = "";
  return absl::StrCat(base, "/nacos/naming/", *name);
}

absl::StatusOr<std::string> NamingFailoverDirectory(absl::string_view snapshot_path,
                                                    absl::string_view nacos_namespace) {
  absl::StatusOr<std::string> cache = NamingCacheDirectory(snapshot_path, nacos_namespace);
  if (!cache.ok()) return cache.status();
  return absl::StrCat(*cache, "/failover");
}

}  // namespace naming
}  // namespace failover
