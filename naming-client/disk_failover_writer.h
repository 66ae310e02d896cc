// Writes the Nacos failover directory: the switch file and per-service data files, each
// atomically (temporary file + fsync + rename in the same directory), so a Nacos client polling
// the directory never reads half a file. Meant for `failoverctl naming switch` / `dump` and
// failoverd's naming data folder.
//
//   DiskFailoverWriter writer(*NamingFailoverDirectory("/home/app", "public"));
//   absl::Status s = writer.WriteService({"DEFAULT_GROUP", "orders", ""}, info);
//   // -> /home/app/nacos/naming/public/failover/DEFAULT_GROUP%40%40orders
//   s = writer.WriteSwitch(true);
#ifndef FAILOVER_NAMING_CLIENT_DISK_FAILOVER_WRITER_H_
#define FAILOVER_NAMING_CLIENT_DISK_FAILOVER_WRITER_H_

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "naming-client/service_key.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {

// What to do when a service's file already exists.
enum class ExistingFilePolicy {
  kKeep,     // Fail with AlreadyExists and leave it: it may be hand-written.
  kReplace,  // Replace it.
};

// Thread-safe and stateless: concurrent writes of different files are independent; of the same
// file, the last rename wins whole.
class DiskFailoverWriter {
 public:
  // `directory`: the failover directory (NamingFailoverDirectory()); created when missing.
  explicit DiskFailoverWriter(std::string directory) : directory_(std::move(directory)) {}

  // Writes the switch file: "1\n" (on) or "0\n" (off). Replaces any previous content.
  absl::Status WriteSwitch(bool enabled) const;

  // Writes `info` as Nacos JSON (SerializeServiceInfoJson, one line, readable by the Java
  // client too) to the file named FailoverFileName(key). InvalidArgument when the key has an
  // empty group or service or `info` cannot be written; AlreadyExists under kKeep.
  absl::Status WriteService(const ServiceKey& key, const v1::ServiceInfo& info,
                            ExistingFilePolicy existing = ExistingFilePolicy::kKeep) const;

  // Removes the file named FailoverFileName(key), durably. OK when there is none.
  // InvalidArgument when the key has an empty group or service.
  absl::Status RemoveService(const ServiceKey& key) const;

  const std::string& directory() const { return directory_; }

 private:
  const std::string directory_;
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_DISK_FAILOVER_WRITER_H_
