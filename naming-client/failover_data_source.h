// Where the naming failover reactor gets its failover data: a switch (is failover on?) and, per
// service, the instance list to serve while it is on. The C++ counterpart of the Java client's
// FailoverDataSource SPI; "disk" (disk_failover_data_source.h) reads the Nacos failover
// directory, others register in failover_data_source_registry.h.
//
//   std::unique_ptr<FailoverDataSource> source = ...;
//   absl::StatusOr<FailoverSwitch> on = source->GetSwitch();  // Polled, e.g. every 5 s.
//   if (on.ok() && on->enabled) {
//     absl::StatusOr<FailoverData> data = source->GetData();
//     for (const FailoverFileProblem& p : data->problems) LOG(WARNING) << p.message;
//     auto it = data->services.find("DEFAULT_GROUP@@orders");
//   }
#ifndef FAILOVER_NAMING_CLIENT_FAILOVER_DATA_SOURCE_H_
#define FAILOVER_NAMING_CLIENT_FAILOVER_DATA_SOURCE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "naming-client/service_key.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {

// Whether failover is on, and why the source says so (for logs).
struct FailoverSwitch {
  bool enabled = false;
  std::string reason;  // E.g. "switch file ...: line 1 is '1'", "no switch file ...".
};

// One service's failover data. Immutable once returned: `info` is shared between successive
// GetData() results while its content does not change, and nobody may modify it.
struct FailoverServiceData {
  // The identity of the data, from where it is stored (the file name for disk), never from the
  // JSON inside, which may spell the name differently. `info`'s name, group_name and clusters
  // are set to match it.
  ServiceKey key;
  std::shared_ptr<const v1::ServiceInfo> info;
  // Changes when the stored content changes. Comparable only within one process.
  uint64_t content_hash = 0;
  // Where it came from, for logs (the file name for disk).
  std::string origin;
};

// Why one stored item was skipped. Each problem concerns one item; the others are still served.
enum class FailoverProblemKind {
  kBadName,       // The name does not decode to GROUP@@SERVICE[@@CLUSTERS] (stray file, bad '%').
  kUnreadable,    // I/O error reading it.
  kTooLarge,      // Larger than the source's size limit.
  kBadContent,    // Not a ServiceInfo (truncated or malformed JSON, bad value).
  kDuplicateKey,  // Another item already holds the same service; that one is served.
};

// "bad_name", "unreadable", "too_large", "bad_content", "duplicate_key" (e.g. a metric tag).
absl::string_view FailoverProblemKindName(FailoverProblemKind kind);

struct FailoverFileProblem {
  std::string origin;  // The file name (for disk), as it is on disk.
  FailoverProblemKind kind;
  std::string message;  // Complete, naming the item: "failover file 'x': line 1, column 9: ...".
};

// Everything a source holds at one moment.
struct FailoverData {
  // By ServiceKey::ToString(): "GROUP@@SERVICE" or "GROUP@@SERVICE@@CLUSTERS". Entries may have
  // no hosts; the reactor falls through to the normal lookup for those.
  std::map<std::string, FailoverServiceData> services;
  // Sorted by origin.
  std::vector<FailoverFileProblem> problems;
};

// A failover data source, told its Nacos namespace when created (see the registry).
//
// Thread-safety: implementations must allow calls from any thread, including concurrent ones.
class FailoverDataSource {
 public:
  virtual ~FailoverDataSource() = default;

  // Whether failover is on now. An error means "unknown this time" (unreadable, or content that
  // states nothing); callers keep the state they had, as the Java client does.
  virtual absl::StatusOr<FailoverSwitch> GetSwitch() = 0;

  // The failover data now, whatever the switch says. Items that cannot be used are in
  // `problems`, never an error: an error means the source as a whole cannot be read (its
  // directory is unreadable), and callers keep the data they had.
  virtual absl::StatusOr<FailoverData> GetData() = 0;

  // For sources that learn of changes by themselves (a server stream, say): they call
  // `changed()`, from any thread, and the reactor reads them again at once instead of waiting
  // for its next poll. The reactor calls this once, right after its first read; `changed` stays
  // callable until the source is destroyed, and the source must not call it after its
  // destructor returns. The default ignores it: polling is enough for sources that are only
  // read (disk).
  virtual void SetChangeNotifier(std::function<void()> changed) {}
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_FAILOVER_DATA_SOURCE_H_
