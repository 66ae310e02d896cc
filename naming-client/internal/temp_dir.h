// A fresh directory for one test (under $TEST_TMPDIR when Bazel sets it), removed with its
// content when the object goes, and small helpers to put files in it.
//
//   TempDir dir;
//   dir.WriteFile("a.json", "{}");
//   dir.path()  // "/tmp/.../naming-XXXXXX"
#ifndef FAILOVER_NAMING_CLIENT_INTERNAL_TEMP_DIR_H_
#define FAILOVER_NAMING_CLIENT_INTERNAL_TEMP_DIR_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace failover {
namespace naming_internal {

// Not thread-safe. Test-only: failures abort the test binary with a message.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + relative.
  std::string Path(absl::string_view relative) const;

  // Creates or truncates path()/relative (parents must exist) with `content`.
  void WriteFile(absl::string_view relative, absl::string_view content) const;
  // Content of path()/relative; aborts when unreadable.
  std::string ReadFile(absl::string_view relative) const;
  // Every name in path()/relative, sorted, hidden ones included.
  std::vector<std::string> List(absl::string_view relative = "") const;

 private:
  std::string path_;
};

}  // namespace naming_internal
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_INTERNAL_TEMP_DIR_H_
