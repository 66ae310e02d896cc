// A directory of Nacos service files: one ServiceInfo JSON file per service, named
// FailoverFileName(key). The Nacos cache directory ({snapshot}/nacos/naming/{namespace}) and its
// failover sub-directory share this format; DiskFailoverDataSource, DiskFailoverWriter and
// NamingDiskCache read and write it through these two pieces, so both directories follow the same
// per-file rules.
//
//   ServiceFileDirectory dir({"/home/app/nacos/naming/public", "cache file", 16 << 20, {}});
//   absl::StatusOr<FailoverData> data = dir.Read();  // data->problems: the files skipped
//   absl::Status s = WriteServiceFile("/home/app/nacos/naming/public", key, info,
//                                     WriteMode::kReplace);
#ifndef FAILOVER_NAMING_CLIENT_INTERNAL_SERVICE_FILE_DIR_H_
#define FAILOVER_NAMING_CLIENT_INTERNAL_SERVICE_FILE_DIR_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "naming-client/failover_data_source.h"
#include "naming-client/internal/posix_files.h"
#include "naming-client/service_key.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming_internal {

struct ServiceFileDirOptions {
  std::string directory;
  // What a file is called in problem messages: "failover file" -> "failover file 'x': ...".
  std::string file_noun;
  // Files larger than this are reported (kTooLarge) and skipped.
  size_t max_file_bytes = 16 << 20;
  // Names that are not service files (the failover switch file); never read.
  std::set<std::string> ignored_names;
};

// Reads every regular file of a directory as a service file. Each file stands alone: a stray
// name, an unreadable, oversized or malformed file is one FailoverFileProblem and the others are
// read. Sub-directories, ignored names and WriteFileAtomically()'s temporary files are skipped.
// The identity of a service is its file name; the returned ServiceInfo's name (without group),
// group_name and clusters are set from it. A file whose content hash is unchanged since the
// previous Read() is not parsed again and shares its ServiceInfo with the previous result.
//
// Not thread-safe: callers serialise Read() (it updates the parse cache).
class ServiceFileDirectory {
 public:
  explicit ServiceFileDirectory(ServiceFileDirOptions options) : options_(std::move(options)) {}

  // Every service file now. A missing directory is empty, not an error; an error means the
  // directory could not be listed (the message names it).
  absl::StatusOr<naming::FailoverData> Read();

  const ServiceFileDirOptions& options() const { return options_; }

 private:
  // What a file held when last read.
  struct CachedFile {
    uint64_t content_hash = 0;
    bool ok = false;
    naming::FailoverServiceData service;  // When ok.
    naming::FailoverFileProblem problem;  // When not.
  };

  // Reads and parses one file, reusing `cache_` when its content is unchanged. False when the
  // file vanished since it was listed.
  bool LoadFile(const std::string& name, CachedFile& file);

  const ServiceFileDirOptions options_;
  std::map<std::string, CachedFile> cache_;  // By file name.
};

// Writes `info` as Nacos JSON (SerializeServiceInfoJson) to directory/FailoverFileName(key)
// atomically (WriteFileAtomically), creating the directory when missing. InvalidArgument when the
// key has an empty group or service, when its file name would not read back as the same key
// ("@@" inside a name, '%' or '/' in the clusters) or is too long, or when `info` cannot be
// written as JSON; AlreadyExists under kCreateOnly when the file exists. Messages do not name
// the key (callers prefix it); I/O errors name the path. Thread-safe.
absl::Status WriteServiceFile(const std::string& directory, const naming::ServiceKey& key,
                              const v1::ServiceInfo& info, WriteMode mode);

}  // namespace naming_internal
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_INTERNAL_SERVICE_FILE_DIR_H_
