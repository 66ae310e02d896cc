// DiskCache: the Nacos cache directory, {snapshot path}/nacos/naming/{namespace}, where the
// Nacos client mirrors every service it has looked up, one ServiceInfo JSON file per service
// named as in the failover directory (FailoverFileName(key)). ServiceInfoHolder writes it on
// every change and reads it back at start when asked (the Java client's DiskCache).
//
//   DiskCache cache({*NamingCacheDirectory("/home/app", "public")});
//   absl::Status s = cache.Write({"DEFAULT_GROUP", "orders", ""}, info);
//   // -> /home/app/nacos/naming/public/DEFAULT_GROUP%40%40orders, replaced atomically
//   absl::StatusOr<DiskCacheContents> all = cache.ReadAll();
//
// Reading follows the failover directory's per-file rules (naming_internal::
// ServiceFileDirectory): a stray name, a malformed, truncated or oversized file is one problem
// and the rest is read; pretty-printed JSON reads; the file name is the identity. The failover
// sub-directory is not read (sub-directories never are). Unlike Java, whose reader stops at the
// first broken file and ignores every line but the first of a JSON document.
#ifndef FAILOVER_NAMING_CLIENT_DISK_CACHE_H_
#define FAILOVER_NAMING_CLIENT_DISK_CACHE_H_

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "naming-client/failover_data_source.h"
#include "naming-client/service_key.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {

struct DiskCacheOptions {
  // The cache directory (NamingCacheDirectory()). Created by the first write when missing.
  std::string directory;
  // Files larger than this are reported (kTooLarge) and skipped.
  size_t max_file_bytes = 16 << 20;
};

// What ReadAll() found.
struct DiskCacheContents {
  // By ServiceKey::ToString(), every service with at least one host. Immutable ServiceInfos,
  // their name (without group), groupName and clusters set from the file name.
  std::map<std::string, FailoverServiceData> services;
  // Files that could not be used, sorted by file name; messages start "cache file '...'".
  std::vector<FailoverFileProblem> problems;
  // Keys of well-formed files with no hosts, left out as the Java client leaves them out: there
  // is nothing in them to fall back on.
  std::vector<std::string> without_hosts;
};

// Thread-safe and stateless: Write() and ReadAll() may run concurrently; writes of one file are
// whole (the last rename wins), and a reader sees each file before or after a write, never half.
class DiskCache {
 public:
  explicit DiskCache(DiskCacheOptions options) : options_(std::move(options)) {}

  // Replaces the key's cache file with `info` as Nacos JSON, atomically (temporary file, fsync,
  // rename, directory fsync). Errors start "cache file for GROUP@@SERVICE[@@CLUSTERS]: " and
  // are those of naming_internal::WriteServiceFile (a key whose file name would not read back,
  // `info` that JSON cannot carry, I/O errors naming the path).
  absl::Status Write(const ServiceKey& key, const v1::ServiceInfo& info) const;

  // Every cache file now. A missing directory is empty; an error ("cache directory: ...") means
  // it could not be listed.
  absl::StatusOr<DiskCacheContents> ReadAll() const;

  const std::string& directory() const { return options_.directory; }

 private:
  const DiskCacheOptions options_;
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_DISK_CACHE_H_
