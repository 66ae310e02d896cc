// failoverctl: the operator's command-line tool. This library holds all of it; main.cc only
// wires the process's arguments, environment and streams in.
//
//   failoverctl config check [--no-env] FILE   validate FILE (+ environment overrides)
//   failoverctl config properties              every failover.* property as a Markdown table
//   failoverctl redis drill --config FILE [--duration 30s] [--threads 4] [--keys 1000]
//   failoverctl naming switch|lookup|validate|dump ...   (naming_commands.h)
//   failoverctl store key|put|get|list|delete|clean ...   (store_commands.h)
//   failoverctl dashboard hash-password|switch|service ...   (dashboard_commands.h)
//   failoverctl metrics --config FILE [--user U --password-env VAR]   (metrics_command.h)
//   failoverctl --help
//
// Exit codes: 0 success, 1 invalid configuration or unreadable file, 2 usage error, 3 naming
// lookup found no failover data (kExitNoFailoverData), store get found no live entry
// (kExitNoStoredEntry) or dashboard service get/delete found no service (kExitNoSuchService).
#ifndef FAILOVER_TOOLS_FAILOVERCTL_FAILOVERCTL_H_
#define FAILOVER_TOOLS_FAILOVERCTL_FAILOVERCTL_H_

#include <atomic>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "core/config/environment.h"

namespace failover {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;
inline constexpr int kExitUsage = 2;

// Runs one command. `args` excludes the program name. Results go to `out`, usage errors and
// warnings to `err`. Thread-compatible: it touches nothing but its arguments and the named file.
int RunFailoverctl(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
                   std::ostream& err);
// The same; long-running commands (redis drill) stop early, cleanly, once `stop` is true.
int RunFailoverctl(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
                   std::ostream& err, const std::atomic<bool>& stop);
// The same, with `in` as the command's stdin (dashboard hash-password reads the password from
// it); the overloads above give an empty stdin.
int RunFailoverctl(const std::vector<std::string>& args, const Environment& env, std::istream& in,
                   std::ostream& out, std::ostream& err, const std::atomic<bool>& stop);

}  // namespace failover

#endif  // FAILOVER_TOOLS_FAILOVERCTL_FAILOVERCTL_H_
