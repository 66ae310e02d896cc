#include "core/metrics/host_name.h"

#include <unistd.h>

#include <cerrno>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace failover {

absl::StatusOr<std::string> LocalHostName() {
  // POSIX caps host names at HOST_NAME_MAX (64 on Linux); leave room for the terminator.
  char buffer[256] = {};
  if (gethostname(buffer, sizeof(buffer) - 1) != 0) {
    const int error = errno;
    return absl::Status(absl::ErrnoToStatusCode(error),
                        absl::StrCat("gethostname failed with errno ", error));
  }
  if (buffer[0] == '\0') return absl::NotFoundError("gethostname: empty host name");
  return std::string(buffer);
}

}  // namespace failover
