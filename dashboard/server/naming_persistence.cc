#include "dashboard/server/naming_persistence.h"

#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "naming-client/disk_failover_data_source.h"
#include "naming-client/disk_failover_writer.h"
#include "naming-client/service_key.h"
#include "naming-client/snapshot_path.h"

namespace failover {
namespace dashboard {
namespace {

namespace fs = std::filesystem;

// The namespace folders under {data_dir}/nacos/naming; none when it does not exist.
absl::StatusOr<std::vector<std::string>> NamespaceFolders(const std::string& data_dir) {
  const fs::path root = fs::path(data_dir) / "nacos" / "naming";
  std::error_code error;
  if (!fs::exists(root, error) && !error) return std::vector<std::string>();
  std::vector<std::string> names;
  fs::directory_iterator it(root, error);
  for (; !error && it != fs::directory_iterator(); it.increment(error)) {
    if (it->is_directory(error) && !error) names.push_back(it->path().filename().string());
  }
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot list the naming failover data folder '", root.string(), "': ", error.message()));
  }
  return names;
}

void RestoreSwitch(const std::string& nacos_namespace, const std::string& directory,
                   naming::DiskFailoverDataSource& source, naming::FailoverDataStore& store,
                   const WarningSink& warnings) {
  std::error_code error;
  const fs::path path = fs::path(directory) / std::string(naming::kFailoverSwitchFileName);
  if (!fs::exists(path, error)) return;
  absl::StatusOr<naming::FailoverSwitch> on = source.GetSwitch();
  if (!on.ok()) {
    warnings(absl::StrCat("skipped the naming failover switch of namespace '", nacos_namespace,
                          "' (", on.status().message(), "): it starts off"));
    return;
  }
  absl::StatusOr<uint64_t> set =
      store.SetSwitch(nacos_namespace, on->enabled, absl::StrCat("restored from ", directory));
  if (!set.ok()) {
    warnings(absl::StrCat("skipped '", path.string(), "': ", set.status().message()));
  }
}

void RestoreServices(const std::string& nacos_namespace, naming::DiskFailoverDataSource& source,
                     naming::FailoverDataStore& store, const WarningSink& warnings) {
  absl::StatusOr<naming::FailoverData> data = source.GetData();
  if (!data.ok()) {
    warnings(absl::StrCat("skipped the naming failover services of namespace '", nacos_namespace,
                          "': ", data.status().message()));
    return;
  }
  for (const naming::FailoverFileProblem& problem : data->problems) {
    warnings(absl::StrCat("skipped in '", source.directory(), "': ", problem.message));
  }
  for (const auto& [key, service] : data->services) {
    absl::StatusOr<uint64_t> upserted = store.UpsertService(nacos_namespace, key, *service.info);
    if (!upserted.ok()) {
      warnings(absl::StrCat("skipped failover file '", source.directory(), "/", service.origin,
                            "': ", upserted.status().message()));
    }
  }
}

}  // namespace

absl::Status RestoreNamingData(const std::string& data_dir, naming::FailoverDataStore& store,
                               const WarningSink& warnings) {
  absl::StatusOr<std::vector<std::string>> folders = NamespaceFolders(data_dir);
  if (!folders.ok()) return folders.status();
  for (const std::string& name : *folders) {
    absl::StatusOr<std::string> directory = naming::NamingFailoverDirectory(data_dir, name);
    if (!directory.ok()) {
      warnings(absl::StrCat("skipped the naming failover folder '", name, "' in '", data_dir,
                            "': ", directory.status().message()));
      continue;
    }
    std::error_code error;
    if (!fs::is_directory(*directory, error)) continue;  // A namespace without failover data.
    naming::DiskFailoverOptions options;
    options.directory = *directory;
    absl::StatusOr<std::unique_ptr<naming::DiskFailoverDataSource>> source =
        naming::DiskFailoverDataSource::Create(options);
    if (!source.ok()) return source.status();
    RestoreSwitch(name, *directory, **source, store, warnings);
    RestoreServices(name, **source, store, warnings);
  }
  return absl::OkStatus();
}

void NamingDataWriter::Apply(const std::string& nacos_namespace,
                             const naming::StoreChange& change) const {
  absl::StatusOr<std::string> directory =
      naming::NamingFailoverDirectory(data_dir_, nacos_namespace);
  if (!directory.ok()) {
    warnings_(absl::StrCat("naming failover change not saved: ", directory.status().message()));
    return;
  }
  const naming::DiskFailoverWriter writer(*directory);
  std::string file;
  absl::Status status;
  if (change.kind == naming::StoreChange::Kind::kSwitch) {
    file = std::string(naming::kFailoverSwitchFileName);
    status = writer.WriteSwitch(change.switch_state.enabled);
  } else {
    absl::StatusOr<naming::ServiceKey> key = naming::ParseServiceKey(change.service.key);
    if (!key.ok()) {
      file = change.service.key;
      status = key.status();
    } else if (change.kind == naming::StoreChange::Kind::kUpsert) {
      file = naming::FailoverFileName(*key);
      status =
          writer.WriteService(*key, *change.service.info, naming::ExistingFilePolicy::kReplace);
    } else {
      file = naming::FailoverFileName(*key);
      status = writer.RemoveService(*key);
    }
  }
  if (!status.ok()) {
    warnings_(absl::StrCat("could not save naming failover file '", *directory, "/", file,
                           "' (namespace '", nacos_namespace, "', revision ", change.revision,
                           "): ", status.message(),
                           ". The change is served from memory only and is lost on restart."));
  }
}

void PersistNamingChanges(const std::string& data_dir, naming::FailoverDataStore& store,
                          WarningSink warnings, naming::StoreChangeListener also) {
  auto writer = std::make_shared<const NamingDataWriter>(data_dir, std::move(warnings));
  store.SetChangeListener([writer, also = std::move(also)](const std::string& nacos_namespace,
                                                           const naming::StoreChange& change) {
    writer->Apply(nacos_namespace, change);
    if (also) also(nacos_namespace, change);
  });
}

}  // namespace dashboard
}  // namespace failover
