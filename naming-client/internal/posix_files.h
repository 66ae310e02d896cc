// The few file operations the disk failover data source and writer need, over POSIX calls, with
// errno mapped to absl::Status and the path named in every message. Tests use real temporary
// directories.
//
//   absl::StatusOr<std::string> text = ReadFileToString("/data/x", /*max_bytes=*/1 << 20);
//   absl::Status s = WriteFileAtomically("/data", "x", "{}", WriteMode::kReplace);
#ifndef FAILOVER_NAMING_CLIENT_INTERNAL_POSIX_FILES_H_
#define FAILOVER_NAMING_CLIENT_INTERNAL_POSIX_FILES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace failover {
namespace naming_internal {

// Temporary files of WriteFileAtomically() start with this; readers skip them.
inline constexpr absl::string_view kTempFilePrefix = ".failover-tmp.";

// Whole content of `path`. NotFound when it does not exist; OutOfRange when it holds more than
// `max_bytes`; FailedPrecondition when it is not a regular file.
absl::StatusOr<std::string> ReadFileToString(const std::string& path, size_t max_bytes);

// Names (not paths) of the regular files in `directory`, symbolic links followed, sorted.
// Sub-directories and other entries are left out. NotFound when `directory` does not exist.
absl::StatusOr<std::vector<std::string>> ListRegularFiles(const std::string& directory);

// Creates `directory` and any missing parents (mode 0755 less the umask). OK if it exists.
absl::Status MakeDirectories(const std::string& directory);

enum class WriteMode {
  kCreateOnly,  // AlreadyExists if the file exists; it is left as it was.
  kReplace,     // Replace the file if it exists.
};

// Writes `content` to `directory`/`name` so that readers see the old file or the new one, never
// a part: a temporary file in the same directory, written and fsync'ed, then renamed over the
// target (kReplace) or hard-linked to it (kCreateOnly, which fails if the target exists), then
// the directory fsync'ed. The file gets mode 0644. No temporary file remains, whatever fails.
absl::Status WriteFileAtomically(const std::string& directory, absl::string_view name,
                                 absl::string_view content, WriteMode mode);

// Removes `directory`/`name`, then fsyncs the directory so the removal survives a crash. OK when
// the file (or the directory) does not exist.
absl::Status RemoveFileDurably(const std::string& directory, absl::string_view name);

}  // namespace naming_internal
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_INTERNAL_POSIX_FILES_H_
