// Test support for servers that tests run as child processes (Prometheus, PostgreSQL...): a free
// loopback port, starting a program with its output appended to a log, reaping and stopping it,
// and the tail of its log for error messages.
//
//   absl::StatusOr<int> port = FreeLoopbackPort();
//   ChildProcessOptions options;
//   options.log_path = dir + "/server.log";
//   options.die_with_parent = true;
//   absl::StatusOr<pid_t> pid =
//       SpawnChildProcess({"/usr/bin/server", absl::StrCat("--port=", *port)}, options);
//   ...
//   SignalAndReap(*pid, SIGKILL);
//   ADD_FAILURE() << FileTail(options.log_path);
//
// Thread-safety: the functions may be called from any thread; SpawnChildProcess forks, so call it
// before the test starts threads that hold locks the child could need (it calls only
// async-signal-safe functions after fork).
#ifndef FAILOVER_CORE_TESTING_CHILD_PROCESS_H_
#define FAILOVER_CORE_TESTING_CHILD_PROCESS_H_

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace failover {

// A TCP port on 127.0.0.1 that was free a moment ago (bound, read and released): another process
// may take it before the child binds it, so callers start again on a new port when it fails.
absl::StatusOr<int> FreeLoopbackPort();

struct ChildProcessOptions {
  // The child's stdout and stderr are appended here (created 0600 if missing); stdin is
  // /dev/null.
  std::string log_path;
  // The child's whole environment.
  std::vector<std::string> env = {"PATH=/usr/bin:/bin"};
  // The child's working directory; "" = the parent's.
  std::string working_dir;
  // SIGKILL the child when the test process dies, however it ends.
  bool die_with_parent = false;
  // Run as this user and group (no supplementary groups); unset = as the parent.
  struct RunAs {
    uid_t uid = 0;
    gid_t gid = 0;
  };
  std::optional<RunAs> run_as;
};

// Starts args[0] (an absolute path; no PATH search) with args. The child exits 126 when its
// set-up fails and 127 when the program cannot be executed, which the log does not say.
absl::StatusOr<pid_t> SpawnChildProcess(const std::vector<std::string>& args,
                                        const ChildProcessOptions& options);

// Waits for the child `pid` to exit (retrying on EINTR); its wait status.
int WaitForChild(pid_t pid);

// Sends `signal` to the child `pid` and waits for it; its wait status.
int SignalAndReap(pid_t pid, int signal);

// The last `max_bytes` bytes of the file at `path` (all of it if shorter; "" if unreadable).
std::string FileTail(const std::string& path, size_t max_bytes = 2000);

}  // namespace failover

#endif  // FAILOVER_CORE_TESTING_CHILD_PROCESS_H_
