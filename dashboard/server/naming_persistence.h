// Keeps the naming failover data failoverd serves (naming::FailoverDataStore: the switch and the
// failover services per Nacos namespace) in a folder, so a restart does not lose an operator's
// "switch on". The folder uses the Nacos disk failover format,
// {data_dir}/nacos/naming/{namespace}/failover/ with the switch file and one ServiceInfo JSON file
// per service key, so it is also readable by naming-client's `disk` data source (snapshot path =
// data_dir) and by `failoverctl naming validate`.
//
//   naming::FailoverDataStore store;
//   absl::Status s = RestoreNamingData("/var/lib/failoverd/naming", store, warnings);
//   PersistNamingChanges("/var/lib/failoverd/naming", store, warnings);
//   store.SetSwitch("public", true, "incident 42");  // -> .../public/failover/00-00---000-...
//
// Files are written atomically (naming-client's DiskFailoverWriter) by the store's change
// listener, on the thread making the change. A file that cannot be written is a warning naming
// it; the change is still served from memory.
#ifndef FAILOVER_DASHBOARD_SERVER_NAMING_PERSISTENCE_H_
#define FAILOVER_DASHBOARD_SERVER_NAMING_PERSISTENCE_H_

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "core/warning_sink.h"
#include "naming-client/failover_data_store.h"

namespace failover {
namespace dashboard {

// Loads every namespace folder present under {data_dir}/nacos/naming into `store`: the switch
// (when its file exists) with the reason "restored from <failover folder>", and every service
// file. A file that cannot be used (stray name, bad JSON, a switch file stating nothing) is
// skipped with a warning naming it; the others are loaded. A missing folder is empty, not an
// error; an error means {data_dir}/nacos/naming exists but cannot be listed (the message names
// it). Call it before PersistNamingChanges(), so the restore writes nothing back.
absl::Status RestoreNamingData(const std::string& data_dir, naming::FailoverDataStore& store,
                               const WarningSink& warnings);

// Writes one store change to the folder: the switch file, the service's file, or its removal.
// Thread-safe and stateless (the store serialises the changes it reports).
class NamingDataWriter {
 public:
  NamingDataWriter(std::string data_dir, WarningSink warnings)
      : data_dir_(std::move(data_dir)), warnings_(std::move(warnings)) {}

  // Failures are reported to the WarningSink, naming the file.
  void Apply(const std::string& nacos_namespace, const naming::StoreChange& change) const;

 private:
  const std::string data_dir_;
  const WarningSink warnings_;
};

// Makes `store` write every later change to {data_dir} (its change listener; replaces any other),
// then pass it to `also` when that is set (e.g. to keep a gauge current).
void PersistNamingChanges(const std::string& data_dir, naming::FailoverDataStore& store,
                          WarningSink warnings, naming::StoreChangeListener also = nullptr);

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_SERVER_NAMING_PERSISTENCE_H_
