#include "tools/failoverctl/failoverctl.h"

#include <atomic>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "core/config/config_loader.h"
#include "core/config/duration_text.h"
#include "core/config/failover_config.h"
#include "core/config/failover_config_loader.h"
#include "core/random.h"
#include "naming-client/naming_config.h"
#include "redis-failover/redis_config.h"
#include "tools/failoverctl/dashboard_commands.h"
#include "tools/failoverctl/metrics_command.h"
#include "tools/failoverctl/naming_commands.h"
#include "tools/failoverctl/redis_drill.h"
#include "tools/failoverctl/store_commands.h"
#include "tools/failoverctl/tool_config.h"

namespace failover {
namespace {

constexpr char kUsage[] =
    "Usage:\n"
    "  failoverctl config check [--no-env] FILE\n"
    "      Validate the failover.* properties of FILE (a Spring-style application.yml), the\n"
    "      framework's, failover.redis and failover.naming, with environment overrides such as\n"
    "      FAILOVER_STORE_TYPE=jdbc applied. Prints a summary and exits 0 when valid; lists\n"
    "      every problem and exits 1 when not.\n"
    "      --no-env  ignore the environment\n"
    "  failoverctl config properties\n"
    "      Print every failover.* property (type, default, environment variable) as Markdown.\n"
    "  failoverctl redis drill --config FILE [--duration 30s] [--threads 4] [--keys 1000]\n"
    "                          [--no-env]\n"
    "      Run a SET/GET load through the failover client configured by failover.redis in\n"
    "      FILE; print one line per second (ops, errors, active endpoint, switches) and a\n"
    "      JSON summary at the end. Kill or pause a server meanwhile to rehearse a failover.\n"
    "      Ctrl-C stops it early, still printing the summary.\n";
constexpr char kUsageEnd[] =
    "  failoverctl --help\n"
    "Exit codes: 0 ok, 1 invalid configuration, unreadable or bad file, client start-up failure,\n"
    "incomplete dump or failed failoverd call (metrics: unreachable, 401, ...), 2 usage error,\n"
    "3 naming lookup: no failover answer, store get: no live entry, or dashboard service\n"
    "get/delete: no such service.\n";

void PrintUsage(std::ostream& out) {
  out << kUsage << NamingUsage() << StoreUsage() << DashboardUsage() << MetricsUsage() << kUsageEnd;
}

int UsageError(std::ostream& err, absl::string_view message) {
  err << "failoverctl: " << message << "\n";
  PrintUsage(err);
  return kExitUsage;
}

// "FILE:12:5: failover.store.type: 'x' is not ..." or "FILE: env FAILOVER_X: ...".

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

// Reads "--name value" or "--name=value" at args[*i]; advances *i past what it used.
bool FlagValue(const std::vector<std::string>& args, size_t* i, absl::string_view name,
               std::string* value) {
  const std::string& arg = args[*i];
  if (arg == name && *i + 1 < args.size()) {
    *value = args[++*i];
    return true;
  }
  if (absl::StartsWith(arg, absl::StrCat(name, "="))) {
    *value = arg.substr(name.size() + 1);
    return true;
  }
  return false;
}

bool ParseCount(const std::string& text, int* out) { return absl::SimpleAtoi(text, out); }

int RedisDrill(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
               std::ostream& err, const std::atomic<bool>& stop) {
  RedisDrillOptions options;
  std::string file;
  bool use_env = true;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string value;
    if (args[i] == "--no-env") {
      use_env = false;
    } else if (FlagValue(args, &i, "--config", &value)) {
      file = value;
    } else if (FlagValue(args, &i, "--duration", &value)) {
      absl::StatusOr<absl::Duration> d = ParseConfigDuration(value);
      if (!d.ok())
        return UsageError(err, absl::StrCat("redis drill: --duration: ", d.status().message()));
      options.duration = *d;
    } else if (FlagValue(args, &i, "--threads", &value)) {
      if (!ParseCount(value, &options.threads)) {
        return UsageError(err,
                          absl::StrCat("redis drill: --threads: '", value, "' is not a number"));
      }
    } else if (FlagValue(args, &i, "--keys", &value)) {
      if (!ParseCount(value, &options.keys)) {
        return UsageError(err, absl::StrCat("redis drill: --keys: '", value, "' is not a number"));
      }
    } else {
      return UsageError(err,
                        absl::StrCat("redis drill: unknown or incomplete option '", args[i], "'"));
    }
  }
  if (file.empty()) return UsageError(err, "redis drill: --config FILE is required");
  if (absl::Status s = options.Validate(); !s.ok()) {
    return UsageError(err, absl::StrCat("redis drill: ", s.message()));
  }
  ConfigLoader loader;
  std::optional<SectionHandle<FailoverConfig>> root;
  std::optional<SectionHandle<redis::RedisConfig>> redis_handle;
  if (absl::Status s = AddSections(loader, &root, &redis_handle); !s.ok()) {
    err << "failoverctl: " << s.message() << "\n";
    return kExitInvalid;
  }
  absl::StatusOr<ConfigLoadResult> result = loader.LoadFile(file, use_env ? env : Environment());
  if (!result.ok()) {
    err << "ERROR: " << result.status().message() << "\n";
    return kExitInvalid;
  }
  if (!result->ok()) {
    for (const ConfigProblem& problem : result->problems()) err << Located(file, problem) << "\n";
    const size_t count = result->problems().size();
    err << "INVALID: " << file << ": " << count << (count == 1 ? " problem" : " problems") << "\n";
    return kExitInvalid;
  }
  absl::StatusOr<redis::RedisClientOptions> client_options =
      redis::ToClientOptions(result->Get(*redis_handle));
  if (!client_options.ok()) {
    err << "ERROR: " << file << ": " << client_options.status().message() << "\n";
    return kExitInvalid;
  }
  absl::StatusOr<DrillSummary> summary =
      RunRedisDrill(options, *std::move(client_options), out, stop);
  if (!summary.ok()) {
    err << "ERROR: the redis client did not start: " << summary.status().message() << "\n";
    return kExitInvalid;
  }
  return kExitOk;
}

int Redis(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
          std::ostream& err, const std::atomic<bool>& stop) {
  if (args.empty()) return UsageError(err, "redis: missing subcommand (drill)");
  if (args[0] != "drill") {
    return UsageError(err, absl::StrCat("redis: unknown subcommand '", args[0], "'"));
  }
  return RedisDrill(std::vector<std::string>(args.begin() + 1, args.end()), env, out, err, stop);
}

}  // namespace

int RunFailoverctl(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
                   std::ostream& err) {
  static const std::atomic<bool> kNeverStop{false};
  return RunFailoverctl(args, env, out, err, kNeverStop);
}

int RunFailoverctl(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
                   std::ostream& err, const std::atomic<bool>& stop) {
  std::istringstream no_input;
  return RunFailoverctl(args, env, no_input, out, err, stop);
}

int RunFailoverctl(const std::vector<std::string>& args, const Environment& env, std::istream& in,
                   std::ostream& out, std::ostream& err, const std::atomic<bool>& stop) {
  if (args.empty()) return UsageError(err, "missing command");
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage(out);
    return kExitOk;
  }
  if (args[0] == "config") {
    for (const std::string& arg : args) {
      if (arg == "--help" || arg == "-h") {
        PrintUsage(out);
        return kExitOk;
      }
    }
    return Config(std::vector<std::string>(args.begin() + 1, args.end()), env, out, err);
  }
  if (args[0] == "redis") {
    return Redis(std::vector<std::string>(args.begin() + 1, args.end()), env, out, err, stop);
  }
  if (args[0] == "naming") {
    return RunNamingCommand(std::vector<std::string>(args.begin() + 1, args.end()), out, err);
  }
  if (args[0] == "store") {
    return RunStoreCommand(std::vector<std::string>(args.begin() + 1, args.end()), env, out, err);
  }
  if (args[0] == "metrics") {
    return RunMetricsCommand(std::vector<std::string>(args.begin() + 1, args.end()), env, out, err);
  }
  if (args[0] == "dashboard") {
    return RunDashboardCommand(std::vector<std::string>(args.begin() + 1, args.end()), env, in, out,
                               err, SystemRandom());
  }
  return UsageError(err, absl::StrCat("unknown command '", args[0], "'"));
}

}  // namespace failover
