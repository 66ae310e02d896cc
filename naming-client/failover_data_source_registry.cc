#include "naming-client/failover_data_source_registry.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "naming-client/disk_failover_data_source.h"
#include "naming-client/snapshot_path.h"

namespace failover {
namespace naming {

absl::Status FailoverDataSourceRegistry::Register(absl::string_view name,
                                                  FailoverDataSourceFactory factory) {
  if (name.empty()) return absl::InvalidArgumentError("failover data source: empty name");
  for (char c : name) {
    if (static_cast<unsigned char>(c) <= ' ') {
      return absl::InvalidArgumentError(absl::StrCat(
          "failover data source '", name, "': names may not hold spaces or control characters"));
    }
  }
  if (!factory) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover data source '", name, "': empty factory"));
  }
  MutexLock lock(&mu_);
  if (!factories_.emplace(std::string(name), std::move(factory)).second) {
    return absl::AlreadyExistsError(
        absl::StrCat("failover data source '", name, "' is already registered"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<FailoverDataSource>> FailoverDataSourceRegistry::Create(
    absl::string_view name, const FailoverDataSourceParams& params) const {
  FailoverDataSourceFactory factory;
  {
    MutexLock lock(&mu_);
    const auto it = factories_.find(name);
    if (it != factories_.end()) factory = it->second;
  }
  if (!factory) {
    const std::vector<std::string> names = Names();
    return absl::NotFoundError(
        absl::StrCat("failover data source '", name, "' is not registered (registered: ",
                     names.empty() ? "none" : absl::StrJoin(names, ", "), ")"));
  }
  absl::StatusOr<std::string> nacos_namespace = NormalizeNamespace(params.nacos_namespace);
  if (!nacos_namespace.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover data source '", name, "': ", nacos_namespace.status().message()));
  }
  FailoverDataSourceParams normalized = params;
  normalized.nacos_namespace = *std::move(nacos_namespace);
  absl::StatusOr<std::unique_ptr<FailoverDataSource>> source = factory(normalized);
  if (!source.ok()) {
    return absl::Status(source.status().code(), absl::StrCat("failover data source '", name,
                                                             "': ", source.status().message()));
  }
  if (*source == nullptr) {
    return absl::InternalError(
        absl::StrCat("failover data source '", name, "': its factory returned no data source"));
  }
  return source;
}

std::vector<std::string> FailoverDataSourceRegistry::Names() const {
  MutexLock lock(&mu_);
  std::vector<std::string> names;
  names.reserve(factories_.size());
  for (const auto& [name, factory] : factories_) names.push_back(name);
  return names;
}

FailoverDataSourceRegistry& GlobalFailoverDataSourceRegistry() {
  static FailoverDataSourceRegistry* const registry = [] {
    auto* r = new FailoverDataSourceRegistry();
    (void)r->Register(kDiskFailoverDataSourceName, NewDiskFailoverDataSource);
    return r;
  }();
  return *registry;
}

absl::Status RegisterFailoverDataSource(absl::string_view name, FailoverDataSourceFactory factory) {
  return GlobalFailoverDataSourceRegistry().Register(name, std::move(factory));
}

absl::StatusOr<std::unique_ptr<FailoverDataSource>> CreateFailoverDataSource(
    absl::string_view name, const FailoverDataSourceParams& params) {
  return GlobalFailoverDataSourceRegistry().Create(name, params);
}

}  // namespace naming
}  // namespace failover
