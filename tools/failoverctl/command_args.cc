#include "tools/failoverctl/command_args.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace failover {

std::string WalkCommandArgs(
    const std::vector<std::string>& args, size_t first,
    absl::FunctionRef<std::string(const std::string& flag, const std::string& value)> option,
    absl::FunctionRef<std::string(const std::string& arg)> positional) {
  for (size_t i = first; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!absl::StartsWith(arg, "--")) {
      if (std::string error = positional(arg); !error.empty()) return error;
      continue;
    }
    std::string flag = arg;
    std::string value;
    if (const size_t eq = arg.find('='); eq != std::string::npos) {
      flag = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return absl::StrCat("option '", arg, "' needs a value");
    }
    if (std::string error = option(flag, value); !error.empty()) return error;
  }
  return "";
}

std::string RefusePositional(const std::string& arg) {
  return absl::StrCat("unexpected argument '", arg, "'");
}

int CommandUsageError(std::ostream& err, absl::string_view group, absl::string_view message,
                      absl::string_view usage) {
  err << "failoverctl " << group << ": " << message << "\n" << usage;
  return kExitUsage;
}

}  // namespace failover
