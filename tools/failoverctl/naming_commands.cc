#include "tools/failoverctl/naming_commands.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "core/clock.h"
#include "core/random.h"
#include "naming-client/disk_failover_data_source.h"
#include "naming-client/disk_failover_writer.h"
#include "naming-client/httplib_client.h"
#include "naming-client/nacos_http_upstream.h"
#include "naming-client/service_info_json.h"
#include "naming-client/service_key.h"
#include "naming-client/snapshot_path.h"
#include "tools/failoverctl/naming_dump.h"
#include "tools/failoverctl/naming_lookup.h"
#include "tools/failoverctl/naming_nacos_input.h"

namespace failover {
namespace {

using naming::DiskFailoverDataSource;
using naming::FailoverData;
using naming::FailoverSwitch;
using naming::ServiceKey;

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

constexpr char kNamingUsage[] =
    "  failoverctl naming switch on|off|status --dir DIR\n"
    "      Turn naming failover on or off by writing the switch file of the Nacos failover\n"
    "      directory DIR ({snapshot path}/nacos/naming/{namespace}/failover; it must exist),\n"
    "      atomically; or print whether it is on, and why.\n"
    "  failoverctl naming lookup --dir DIR --service [GROUP@@]NAME [--clusters C1,C2]\n"
    "                            [--healthy-only]\n"
    "      Print, as a JSON array of Nacos instances, what a client's failover reactor serves\n"
    "      from DIR for the service (group DEFAULT_GROUP when none is given). When it serves\n"
    "      nothing (switch off, no usable data, no instance left), print why on stderr, exit 3.\n"
    "      --healthy-only  only instances that are healthy and enabled\n"
    "  failoverctl naming validate --dir DIR\n"
    "      Check every file in DIR, the switch file included: one line each, \"OK FILE (...)\"\n"
    "      or \"BAD FILE: problem\". Exits 1 when any file is bad.\n"
    "  failoverctl naming dump --dir DIR --from-cache CACHE_DIR [--service [GROUP@@]NAME]...\n"
    "                          [--force]\n"
    "  failoverctl naming dump --dir DIR --from-nacos URL --service [GROUP@@]NAME...\n"
    "                          [--namespace NS] [--api-version v1|v2] [--timeout 5s] [--force]\n"
    "      Write failover files into DIR (created if missing) from the services in the Nacos\n"
    "      cache directory CACHE_DIR ({snapshot path}/nacos/naming/{namespace}), or from what\n"
    "      the Nacos server at URL (http://host:8848, context path /nacos unless the URL has\n"
    "      one) answers now for each --service (namespace public and v1 by default; --timeout\n"
    "      per service, retries included). Each file atomically, one line per file: WROTE,\n"
    "      KEPT, SKIP, MISSING (no such service, or no instances) or FAILED. An existing\n"
    "      failover file is kept unless --force (the others are still written, and the exit code\n"
    "      is 1). --service limits the dump to those services. Never writes the switch file.\n";

// `message` starts with the subcommand: "lookup: --dir DIR is required".
int UsageError(std::ostream& err, absl::string_view message) {
  err << "failoverctl: naming " << message << "\n"
      << "Usage:\n"
      << kNamingUsage;
  return kUsage;
}

int Failure(std::ostream& err, absl::string_view command, absl::string_view message) {
  err << "failoverctl: naming " << command << ": " << message << "\n";
  return kFailed;
}

// The flags of one command: values by name (repeatable ones keep every value), and positional
// arguments.
struct Flags {
  std::map<std::string, std::vector<std::string>> values;
  std::set<std::string> switches;
  std::vector<std::string> positional;

  std::string Value(const std::string& name) const {
    const auto it = values.find(name);
    return it == values.end() ? "" : it->second.front();
  }
  bool Has(const std::string& name) const { return values.count(name) > 0; }
};

struct FlagSpec {
  std::set<std::string> with_value;  // "--dir"
  std::set<std::string> repeatable;  // a subset of with_value
  std::set<std::string> booleans;    // "--force"
};

// Parses "--name value", "--name=value" and boolean "--name"; everything not starting with "--"
// is positional. The error names the flag.
absl::StatusOr<Flags> ParseFlags(const std::vector<std::string>& args, const FlagSpec& spec) {
  Flags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!absl::StartsWith(arg, "-") || arg == "-") {
      flags.positional.push_back(arg);
      continue;
    }
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    if (spec.booleans.count(name) > 0) {
      if (equals != std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat(name, " takes no value"));
      }
      flags.switches.insert(name);
      continue;
    }
    if (spec.with_value.count(name) == 0) {
      return absl::InvalidArgumentError(absl::StrCat("unknown option '", arg, "'"));
    }
    std::string value;
    if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat(name, " needs a value"));
    }
    if (value.empty()) return absl::InvalidArgumentError(absl::StrCat(name, " needs a value"));
    std::vector<std::string>& slot = flags.values[name];
    if (!slot.empty() && spec.repeatable.count(name) == 0) {
      return absl::InvalidArgumentError(absl::StrCat(name, " given more than once"));
    }
    slot.push_back(std::move(value));
  }
  return flags;
}

// `dir` without trailing slashes ("/" stays).
std::string TrimDirectory(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

// OK when `dir` is an existing directory; otherwise the error names `flag` and the path.
absl::Status CheckDirectory(absl::string_view flag, const std::string& dir) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(dir, error);
  if (status.type() == std::filesystem::file_type::not_found) {
    return absl::NotFoundError(absl::StrCat(flag, " '", dir, "': no such directory"));
  }
  if (error) {
    return absl::FailedPreconditionError(absl::StrCat(flag, " '", dir, "': ", error.message()));
  }
  if (status.type() != std::filesystem::file_type::directory) {
    return absl::FailedPreconditionError(absl::StrCat(flag, " '", dir, "': not a directory"));
  }
  return absl::OkStatus();
}

std::unique_ptr<DiskFailoverDataSource> DiskSource(const std::string& dir) {
  naming::DiskFailoverOptions options;
  options.directory = dir;
  // Create() fails only for an empty directory, which flag parsing rules out.
  return *DiskFailoverDataSource::Create(std::move(options));
}

// ---- switch ----

int Switch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  absl::StatusOr<Flags> flags = ParseFlags(args, {{"--dir"}, {}, {}});
  if (!flags.ok()) return UsageError(err, absl::StrCat("switch: ", flags.status().message()));
  if (flags->positional.size() != 1) {
    return UsageError(err, "switch: expected exactly one of on, off or status");
  }
  const std::string action = flags->positional[0];
  if (action != "on" && action != "off" && action != "status") {
    return UsageError(err, absl::StrCat("switch: '", action, "' is not on, off or status"));
  }
  if (!flags->Has("--dir")) return UsageError(err, "switch: --dir DIR is required");
  const std::string dir = TrimDirectory(flags->Value("--dir"));
  // A mistyped DIR must not create a switch that no client reads.
  if (absl::Status s = CheckDirectory("--dir", dir); !s.ok()) {
    return Failure(err, "switch", s.message());
  }
  if (action != "status") {
    absl::Status written = naming::DiskFailoverWriter(dir).WriteSwitch(action == "on");
    if (!written.ok()) return Failure(err, "switch", written.message());
  }
  absl::StatusOr<FailoverSwitch> state = DiskSource(dir)->GetSwitch();
  if (!state.ok()) {
    // Only status can get here (on and off just wrote a file that reads back): a switch file
    // that says neither 0 nor 1, so clients keep whatever state they had.
    out << "unknown: " << state.status().message() << "\n";
    return kFailed;
  }
  out << (state->enabled ? "on: " : "off: ") << state->reason << "\n";
  return kOk;
}

// ---- lookup ----

// `[GROUP@@]NAME` as given to --service; a name without a group is in DEFAULT_GROUP.
absl::StatusOr<ServiceKey> ParseServiceFlag(const std::string& text) {
  ServiceKey key;
  if (!absl::StrContains(text, naming::kKeySeparator)) {
    key = {std::string(naming::kDefaultGroup), text, ""};
  } else {
    absl::StatusOr<ServiceKey> parsed = naming::ParseServiceKey(text);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--service '", text, "': ", parsed.status().message()));
    }
    key = *std::move(parsed);
  }
  if (!key.clusters.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--service '", text, "': names clusters; give them with --clusters"));
  }
  if (absl::StripAsciiWhitespace(key.service).empty()) {
    return absl::InvalidArgumentError(absl::StrCat("--service '", text, "': no service name"));
  }
  return key;
}

int Lookup(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  absl::StatusOr<Flags> flags =
      ParseFlags(args, {{"--dir", "--service", "--clusters"}, {}, {"--healthy-only"}});
  if (!flags.ok()) return UsageError(err, absl::StrCat("lookup: ", flags.status().message()));
  if (!flags->positional.empty()) {
    return UsageError(err,
                      absl::StrCat("lookup: unexpected argument '", flags->positional[0], "'"));
  }
  if (!flags->Has("--dir")) return UsageError(err, "lookup: --dir DIR is required");
  if (!flags->Has("--service")) return UsageError(err, "lookup: --service NAME is required");
  absl::StatusOr<ServiceKey> key = ParseServiceFlag(flags->Value("--service"));
  if (!key.ok()) return UsageError(err, absl::StrCat("lookup: ", key.status().message()));
  if (flags->Has("--clusters")) {
    key->clusters = naming::JoinClusters(naming::SplitClusters(flags->Value("--clusters")));
    if (key->clusters.empty()) {
      return UsageError(err, "lookup: --clusters names no cluster");
    }
  }
  const std::string dir = TrimDirectory(flags->Value("--dir"));
  if (absl::Status s = CheckDirectory("--dir", dir); !s.ok()) {
    return Failure(err, "lookup", s.message());
  }

  absl::StatusOr<FailoverLookup> answer = LookupFailover(dir, *key);
  if (!answer.ok()) return Failure(err, "lookup", answer.status().message());
  std::shared_ptr<const v1::ServiceInfo> info = answer->info;
  if (info == nullptr) {
    err << answer->why_not << "\n";
    return kExitNoFailoverData;
  }
  if (flags->switches.count("--healthy-only") > 0) {
    auto usable = std::make_shared<v1::ServiceInfo>(*info);
    usable->clear_hosts();
    for (const v1::Instance& host : info->hosts()) {
      if (host.healthy() && host.enabled()) *usable->add_hosts() = host;
    }
    if (usable->hosts_size() == 0) {
      err << "none of the " << info->hosts_size() << " failover instances of " << key->ToString()
          << " is healthy and enabled\n";
      return kExitNoFailoverData;
    }
    info = std::move(usable);
  }
  absl::StatusOr<std::string> json = naming::SerializeInstancesJson(*info);
  if (!json.ok()) return Failure(err, "lookup", json.status().message());
  out << *json << "\n";
  return kOk;
}

// ---- validate ----

int Validate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  absl::StatusOr<Flags> flags = ParseFlags(args, {{"--dir"}, {}, {}});
  if (!flags.ok()) return UsageError(err, absl::StrCat("validate: ", flags.status().message()));
  if (!flags->positional.empty()) {
    return UsageError(err,
                      absl::StrCat("validate: unexpected argument '", flags->positional[0], "'"));
  }
  if (!flags->Has("--dir")) return UsageError(err, "validate: --dir DIR is required");
  const std::string dir = TrimDirectory(flags->Value("--dir"));
  if (absl::Status s = CheckDirectory("--dir", dir); !s.ok()) {
    return Failure(err, "validate", s.message());
  }
  std::unique_ptr<DiskFailoverDataSource> source = DiskSource(dir);
  absl::StatusOr<FailoverData> data = source->GetData();
  if (!data.ok()) return Failure(err, "validate", data.status().message());

  std::map<std::string, std::string> lines;  // By file name.
  bool bad = false;
  const std::string switch_name(naming::kFailoverSwitchFileName);
  std::error_code error;
  if (std::filesystem::exists(absl::StrCat(dir, "/", switch_name), error)) {
    absl::StatusOr<FailoverSwitch> state = source->GetSwitch();
    if (state.ok()) {
      lines[switch_name] = absl::StrCat("OK ", switch_name, state->enabled ? " (on)" : " (off)");
    } else {
      bad = true;
      lines[switch_name] = absl::StrCat("BAD ", switch_name, ": ", state.status().message());
    }
  } else {
    lines[switch_name] = absl::StrCat("OK ", switch_name, " (absent: failover off)");
  }
  for (const auto& [key, service] : data->services) {
    const int hosts = service.info->hosts_size();
    lines[service.origin] =
        absl::StrCat("OK ", service.origin, " (", key, ", ",
                     hosts == 0 ? "no hosts: clients fall through"
                                : absl::StrCat(hosts, hosts == 1 ? " host" : " hosts"),
                     ")");
  }
  for (const naming::FailoverFileProblem& problem : data->problems) {
    bad = true;
    lines[problem.origin] =
        absl::StrCat("BAD ", problem.origin, ": ", DescribeFileProblem(problem));
  }
  for (const auto& [name, line] : lines) out << line << "\n";
  return bad ? kFailed : kOk;
}

// ---- dump ----

// --from-nacos: each --service as the server answers it now.
int DumpFromNacos(const Flags& flags, const DumpRequest& request,
                  const std::vector<ServiceKey>& services, std::ostream& out, std::ostream& err) {
  if (services.empty()) return UsageError(err, "dump: --from-nacos needs at least one --service");
  absl::StatusOr<naming::NacosHttpUpstreamOptions> options =
      NacosDumpOptions({flags.Value("--from-nacos"), flags.Value("--namespace"),
                        flags.Value("--api-version"), flags.Value("--timeout")});
  if (!options.ok()) return UsageError(err, absl::StrCat("dump: ", options.status().message()));
  absl::StatusOr<std::unique_ptr<naming::NacosHttpUpstream>> upstream =
      naming::NacosHttpUpstream::Create(*std::move(options), naming::NewHttplibClient(),
                                        SystemClock(), SystemRandom());
  if (!upstream.ok()) {
    return UsageError(err, absl::StrCat("dump: --from-nacos '", flags.Value("--from-nacos"),
                                        "': ", upstream.status().message()));
  }
  const std::string source = DescribeNacosSource(**upstream);
  const FailoverData input = QueryServicesForDump(**upstream, services, source);
  absl::Status dumped = WriteDump(request, input, source, out);
  if (!dumped.ok()) return Failure(err, "dump", dumped.message());
  return kOk;
}

int Dump(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  absl::StatusOr<Flags> flags =
      ParseFlags(args, {{"--dir", "--from-cache", "--from-nacos", "--service", "--namespace",
                         "--api-version", "--timeout"},
                        {"--service"},
                        {"--force"}});
  if (!flags.ok()) return UsageError(err, absl::StrCat("dump: ", flags.status().message()));
  if (!flags->positional.empty()) {
    return UsageError(err, absl::StrCat("dump: unexpected argument '", flags->positional[0], "'"));
  }
  if (!flags->Has("--dir")) return UsageError(err, "dump: --dir DIR is required");
  const bool from_nacos = flags->Has("--from-nacos");
  if (flags->Has("--from-cache") == from_nacos) {
    return UsageError(err, from_nacos ? "dump: --from-cache and --from-nacos exclude each other"
                                      : "dump: --from-cache CACHE_DIR or --from-nacos URL is "
                                        "required");
  }
  for (const char* nacos_only : {"--namespace", "--api-version", "--timeout"}) {
    if (!from_nacos && flags->Has(nacos_only)) {
      return UsageError(err, absl::StrCat("dump: ", nacos_only, " is only for --from-nacos"));
    }
  }
  DumpRequest request;
  request.directory = TrimDirectory(flags->Value("--dir"));
  request.force = flags->switches.count("--force") > 0;
  std::vector<ServiceKey> services;  // As given, each once.
  const auto service_flags = flags->values.find("--service");
  if (service_flags != flags->values.end()) {
    for (const std::string& text : service_flags->second) {
      absl::StatusOr<ServiceKey> key = ParseServiceFlag(text);
      if (!key.ok()) return UsageError(err, absl::StrCat("dump: ", key.status().message()));
      if (request.services.insert(key->GroupedName()).second) services.push_back(*key);
    }
  }
  if (from_nacos) return DumpFromNacos(*flags, request, services, out, err);

  const std::string cache = TrimDirectory(flags->Value("--from-cache"));
  if (absl::Status s = CheckDirectory("--from-cache", cache); !s.ok()) {
    return Failure(err, "dump", s.message());
  }
  std::error_code error;
  if (std::filesystem::equivalent(cache, request.directory, error)) {
    return UsageError(err, "dump: --dir and --from-cache are the same directory");
  }
  absl::StatusOr<FailoverData> input = DiskSource(cache)->GetData();
  if (!input.ok()) return Failure(err, "dump", input.status().message());
  absl::Status dumped = WriteDump(request, *input, cache, out);
  if (!dumped.ok()) return Failure(err, "dump", dumped.message());
  return kOk;
}

}  // namespace

absl::string_view NamingUsage() { return kNamingUsage; }

int RunNamingCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) return UsageError(err, "needs a subcommand: switch, lookup, validate or dump");
  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-h" ||
      std::find(rest.begin(), rest.end(), "--help") != rest.end()) {
    out << "Usage:\n" << kNamingUsage;
    return kOk;
  }
  if (command == "switch") return Switch(rest, out, err);
  if (command == "lookup") return Lookup(rest, out, err);
  if (command == "validate") return Validate(rest, out, err);
  if (command == "dump") return Dump(rest, out, err);
  return UsageError(err, absl::StrCat("has no subcommand '", command, "'"));
}

}  // namespace failover
