// The argument plumbing failoverctl's command groups share: walking "--flag value" /
// "--flag=value" options, and the usage error every group prints the same way. Each group keeps
// its own flags struct and its own messages for what a flag's value means.
//
//   std::string error = WalkCommandArgs(
//       args, 1,
//       [&](const std::string& flag, const std::string& value) -> std::string {
//         if (flag == "--url") { flags.url = value; return ""; }
//         return absl::StrCat("unknown option '", flag, "'");
//       },
//       RefusePositional);
//   if (!error.empty()) return CommandUsageError(err, "dashboard", error, kUsageText);
//
// Thread-safety: pure functions (the callbacks run on the calling thread).
#ifndef FAILOVER_TOOLS_FAILOVERCTL_COMMAND_ARGS_H_
#define FAILOVER_TOOLS_FAILOVERCTL_COMMAND_ARGS_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"

namespace failover {

// The exit code of a command line failoverctl cannot run: a bad subcommand, flag or value.
inline constexpr int kExitUsage = 2;

// Walks args[first...]: "--flag value" and "--flag=value" go to `option(flag, value)`, every
// argument not starting with "--" to `positional(arg)`. Each callback returns an error message or
// ""; the first error stops the walk and is returned, as is "option '--x' needs a value" for a
// last "--x" without "=". "" when every argument was taken.
std::string WalkCommandArgs(
    const std::vector<std::string>& args, size_t first,
    absl::FunctionRef<std::string(const std::string& flag, const std::string& value)> option,
    absl::FunctionRef<std::string(const std::string& arg)> positional);

// What an `option` callback answers to "--password": passwords go through --password-env only.
inline constexpr char kPasswordFlagRefused[] =
    "--password is not accepted (the command line is visible to other users): put the password "
    "in an environment variable and pass its name with --password-env";

// A `positional` callback for commands that take none: "unexpected argument 'ARG'".
std::string RefusePositional(const std::string& arg);

// Writes "failoverctl GROUP: MESSAGE" and the group's usage text to `err`; returns kExitUsage.
int CommandUsageError(std::ostream& err, absl::string_view group, absl::string_view message,
                      absl::string_view usage);

}  // namespace failover

#endif  // FAILOVER_TOOLS_FAILOVERCTL_COMMAND_ARGS_H_
