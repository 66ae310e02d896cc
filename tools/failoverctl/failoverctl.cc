#include "tools/failoverctl/failoverctl.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "core/config/config_loader.h"
#include "core/config/failover_config.h"
#include "core/config/failover_config_loader.h"
#include "redis-failover/redis_config.h"

namespace failover {
namespace {

constexpr char kUsage[] =
    "Usage:\n"
    "  failoverctl config check [--no-env] FILE\n"
    "      Validate the failover.* properties of FILE (a Spring-style application.yml), the\n"
    "      framework's and failover.redis, with environment overrides such as\n"
    "      FAILOVER_STORE_TYPE=jdbc applied. Prints a summary and exits 0 when valid; lists\n"
    "      every problem and exits 1 when not.\n"
    "      --no-env  ignore the environment\n"
    "  failoverctl config properties\n"
    "      Print every failover.* property (type, default, environment variable) as Markdown.\n"
    "  failoverctl --help\n"
    "Exit codes: 0 ok, 1 invalid configuration or unreadable file, 2 usage error.\n";

int UsageError(std::ostream& err, absl::string_view message) {
  err << "failoverctl: " << message << "\n" << kUsage;
  return kExitUsage;
}

// "FILE:12:5: failover.store.type: 'x' is not ..." or "FILE: env FAILOVER_X: ...".
std::string Located(const std::string& file, const ConfigProblem& problem) {
  if (!problem.env_var.empty()) {
    if (problem.env_var == problem.path) return absl::StrCat("env ", problem.Message());
    return absl::StrCat("env ", EscapeForMessage(problem.env_var), ": ", problem.Message());
  }
  if (problem.line > 0) {
    return absl::StrCat(file, ":", problem.line, ":", problem.column, ": ", problem.Message());
  }
  return absl::StrCat(file, ": ", problem.Message());
}

std::string Summary(const std::string& file, const ConfigLoadResult& result,
                    const FailoverConfig& config, const redis::RedisConfig& redis) {
  std::string line = absl::StrCat("OK: ", file, ": ", result.properties_set(),
                                  result.properties_set() == 1 ? " property" : " properties",
                                  " set, store=", ConfigEnumName(config.store.type),
                                  ", type=", ConfigEnumName(config.type), ", dashboard ");
  absl::StrAppend(&line, config.dashboard.enabled
                             ? absl::StrCat("enabled at ", config.dashboard.base_path)
                             : "disabled");
  if (!redis.endpoints.empty()) {
    absl::StrAppend(&line, ", redis endpoints: ",
                    absl::StrJoin(redis.endpoints, ", ",
                                  [](std::string* out, const redis::RedisEndpointConfig& e) {
                                    out->append(e.name);
                                  }));
  }
  if (!result.applied_env_vars().empty()) {
    absl::StrAppend(&line,
                    ", environment overrides: ", absl::StrJoin(result.applied_env_vars(), ", "));
  }
  return line;
}

// Every section failoverctl knows: the framework's and the modules'.
absl::Status AddSections(ConfigLoader& loader, std::optional<SectionHandle<FailoverConfig>>* root,
                         std::optional<SectionHandle<redis::RedisConfig>>* redis) {
  absl::StatusOr<SectionHandle<FailoverConfig>> root_handle = AddFailoverSection(loader);
  if (!root_handle.ok()) return root_handle.status();
  root->emplace(*root_handle);
  absl::StatusOr<SectionHandle<redis::RedisConfig>> redis_handle = redis::AddRedisSection(loader);
  if (!redis_handle.ok()) return redis_handle.status();
  redis->emplace(*redis_handle);
  return absl::OkStatus();
}

int Check(const std::string& file, const Environment& env, std::ostream& out, std::ostream& err) {
  ConfigLoader loader;
  std::optional<SectionHandle<FailoverConfig>> handle;
  std::optional<SectionHandle<redis::RedisConfig>> redis;
  if (absl::Status s = AddSections(loader, &handle, &redis); !s.ok()) {
    err << "failoverctl: " << s.message() << "\n";
    return kExitInvalid;
  }
  absl::StatusOr<ConfigLoadResult> result = loader.LoadFile(file, env);
  if (!result.ok()) {
    out << "ERROR: " << result.status().message() << "\n";
    return kExitInvalid;
  }
  for (const ConfigProblem& warning : result->warnings()) {
    err << "warning: " << Located(file, warning) << "\n";
  }
  if (!result->ok()) {
    for (const ConfigProblem& problem : result->problems()) out << Located(file, problem) << "\n";
    const size_t count = result->problems().size();
    out << "INVALID: " << file << ": " << count << (count == 1 ? " problem" : " problems") << "\n";
    return kExitInvalid;
  }
  out << Summary(file, *result, result->Get(*handle), result->Get(*redis)) << "\n";
  return kExitOk;
}

std::string Cell(absl::string_view text) { return absl::StrReplaceAll(text, {{"|", "\\|"}}); }

int Properties(std::ostream& out) {
  ConfigLoader loader;
  std::optional<SectionHandle<FailoverConfig>> root;
  std::optional<SectionHandle<redis::RedisConfig>> redis;
  if (!AddSections(loader, &root, &redis).ok()) return kExitInvalid;
  out << "| Property | Type | Default | Environment variable | Description |\n"
      << "|---|---|---|---|---|\n";
  for (const PropertyDescription& row : loader.DescribeProperties()) {
    const std::string type =
        row.allowed.empty() ? row.type : absl::StrCat(row.type, " (", row.allowed, ")");
    const std::string value = row.default_value.empty() ? "\"\"" : row.default_value;
    const std::string env = row.env_var.empty() ? "" : absl::StrCat("`", row.env_var, "`");
    out << "| `" << row.path << "` | " << Cell(type) << " | `" << value << "` | " << env << " | "
        << Cell(row.doc) << " |\n";
  }
  return kExitOk;
}

int Config(std::vector<std::string> args, const Environment& env, std::ostream& out,
           std::ostream& err) {
  if (args.empty()) return UsageError(err, "config: missing subcommand (check or properties)");
  const std::string subcommand = args[0];
  args.erase(args.begin());
  if (subcommand == "properties") {
    if (!args.empty()) return UsageError(err, "config properties takes no arguments");
    return Properties(out);
  }
  if (subcommand != "check") {
    return UsageError(err, absl::StrCat("config: unknown subcommand '", subcommand, "'"));
  }
  bool use_env = true;
  std::vector<std::string> files;
  for (const std::string& arg : args) {
    if (arg == "--no-env") {
      use_env = false;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return UsageError(err, absl::StrCat("config check: unknown option '", arg, "'"));
    } else {
      files.push_back(arg);
    }
  }
  if (files.size() != 1) return UsageError(err, "config check: expected exactly one FILE");
  return Check(files[0], use_env ? env : Environment(), out, err);
}

}  // namespace

int RunFailoverctl(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
                   std::ostream& err) {
  if (args.empty()) return UsageError(err, "missing command");
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    out << kUsage;
    return kExitOk;
  }
  if (args[0] == "config") {
    for (const std::string& arg : args) {
      if (arg == "--help" || arg == "-h") {
        out << kUsage;
        return kExitOk;
      }
    }
    return Config(std::vector<std::string>(args.begin() + 1, args.end()), env, out, err);
  }
  return UsageError(err, absl::StrCat("unknown command '", args[0], "'"));
}

}  // namespace failover
