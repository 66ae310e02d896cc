#include "tools/failoverctl/store_commands.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/config/duration_text.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "store-jdbc/call/key_generator.h"
#include "store-jdbc/routing/tenant_routing_store.h"
#include "store-jdbc/store_factory.h"
#include "tools/failoverctl/command_args.h"
#include "tools/failoverctl/tool_config.h"

namespace failover {
namespace {

constexpr int kOk = 0;
constexpr int kInvalid = 1;

constexpr absl::string_view kUsageText =
    "  failoverctl store key --name NAME [--domain D] [ARG ...]\n"
    "      Print the stored key of a call with these arguments: the Java framework's name-based\n"
    "      UUID of '<domain or name>:<raw key>' (no ARG = the NO-ARG key).\n"
    "  failoverctl store put|get|list|delete|clean --config FILE [--name NAME] [--domain D]\n"
    "      [--args A]... [--key UUID] [--payload JSON --type TYPE [--expiry 1h]] [--tenant T]\n"
    "      Operate the store failover.store.* describes (writes are synchronous). get prints the\n"
    "      payload and exits 3 when the entry is missing or expired.\n";

int Usage(std::ostream& err, absl::string_view message) {
  return CommandUsageError(err, "store", message, kUsageText);
}

struct StoreFlags {
  std::string subcommand;
  std::string config;
  std::string name;
  std::string domain;
  std::vector<std::string> args;
  bool has_args = false;
  std::string key;
  std::optional<std::string> payload;
  std::string type;
  absl::Duration expiry = absl::Hours(1);
  std::optional<std::string> tenant;
  std::vector<std::string> positional;  // `key` only: the call's arguments
};

// One option of ParseFlags(); an error message or "".
std::string ParseFlag(const std::string& flag, const std::string& value, StoreFlags* flags) {
  if (flag == "--config") {
    flags->config = value;
  } else if (flag == "--name") {
    flags->name = value;
  } else if (flag == "--domain") {
    flags->domain = value;
  } else if (flag == "--args") {
    flags->args.push_back(value);
    flags->has_args = true;
  } else if (flag == "--key") {
    flags->key = value;
  } else if (flag == "--payload") {
    flags->payload = value;
  } else if (flag == "--type") {
    flags->type = value;
  } else if (flag == "--tenant") {
    flags->tenant = value;
  } else if (flag == "--expiry") {
    absl::StatusOr<absl::Duration> expiry = ParseConfigDuration(value);
    if (!expiry.ok() || *expiry <= absl::ZeroDuration()) {
      return absl::StrCat("--expiry: '", value, "' is not a positive duration (e.g. 30m, 1h)");
    }
    flags->expiry = *expiry;
  } else {
    return absl::StrCat("unknown option '", flag, "'");
  }
  return "";
}

// Parses "--flag value" / "--flag=value"; returns an error message or "".
std::string ParseFlags(const std::vector<std::string>& args, StoreFlags* flags) {
  return WalkCommandArgs(
      args, 1,
      [flags](const std::string& flag, const std::string& value) {
        return ParseFlag(flag, value, flags);
      },
      [flags](const std::string& arg) -> std::string {
        if (flags->subcommand != "key") return RefusePositional(arg);
        flags->positional.push_back(arg);
        return "";
      });
}

std::string Namespace(const StoreFlags& flags) {
  return flags.domain.empty() ? flags.name : flags.domain;
}

KeyArgs ToKeyArgs(const std::vector<std::string>& texts) {
  KeyArgs args;
  for (const std::string& text : texts) args.emplace_back(text);
  return args;
}

// The entry's key: --key verbatim, else the generated key of --args.
std::string EntryKey(const StoreFlags& flags) {
  if (!flags.key.empty()) return flags.key;
  return DefaultFailoverKey(Namespace(flags), ToKeyArgs(flags.args));
}

std::string Timestamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
}

std::string Describe(const FailoverStoreEntry& entry, absl::Time now) {
  return absl::StrCat(entry.key, " as-of=", Timestamp(entry.as_of),
                      " expire-on=", Timestamp(entry.expire_on), " type=", entry.payload_type,
                      entry.ExpiredAt(now) ? " EXPIRED" : "");
}

int Put(ConfiguredFailoverStore& store, const StoreFlags& flags, std::ostream& out,
        std::ostream& err) {
  if (!flags.payload.has_value() || flags.type.empty()) {
    return Usage(err, "put needs --payload JSON and --type TYPE");
  }
  google::protobuf::Value parsed;
  if (!google::protobuf::util::JsonStringToMessage(*flags.payload, &parsed).ok()) {
    err << "ERROR: --payload is not valid JSON: " << *flags.payload << "\n";
    return kInvalid;
  }
  const absl::Time now = absl::Now();
  FailoverStoreEntry entry{Namespace(flags),   EntryKey(flags), now,
                           now + flags.expiry, *flags.payload,  flags.type};
  if (absl::Status s = store.Store(entry); !s.ok()) {
    err << "ERROR: " << s.message() << "\n";
    return kInvalid;
  }
  out << "STORED " << entry.name << " " << Describe(entry, now) << "\n";
  return kOk;
}

int Get(ConfiguredFailoverStore& store, const StoreFlags& flags, std::ostream& out,
        std::ostream& err) {
  const std::string key = EntryKey(flags);
  absl::StatusOr<std::optional<FailoverStoreEntry>> found = store.Find(Namespace(flags), key);
  if (!found.ok()) {
    err << "ERROR: " << found.status().message() << "\n";
    return kInvalid;
  }
  const absl::Time now = absl::Now();
  if (!found->has_value()) {
    err << "MISSING " << Namespace(flags) << " " << key << "\n";
    return kExitNoStoredEntry;
  }
  err << (**found).name << " " << Describe(**found, now) << "\n";
  if ((**found).ExpiredAt(now)) return kExitNoStoredEntry;
  out << (**found).payload << "\n";
  return kOk;
}

int List(ConfiguredFailoverStore& store, const StoreFlags& flags, std::ostream& out,
         std::ostream& err) {
  absl::StatusOr<std::vector<FailoverStoreEntry>> all = store.FindAll(Namespace(flags));
  if (!all.ok()) {
    err << "ERROR: " << all.status().message() << "\n";
    return kInvalid;
  }
  const absl::Time now = absl::Now();
  for (const FailoverStoreEntry& entry : *all) out << Describe(entry, now) << "\n";
  err << all->size() << (all->size() == 1 ? " entry" : " entries") << " in '" << Namespace(flags)
      << "'\n";
  return kOk;
}

int RunOnStore(ConfiguredFailoverStore& store, const StoreFlags& flags, std::ostream& out,
               std::ostream& err) {
  const std::string& command = flags.subcommand;
  if (command == "clean") {
    absl::StatusOr<int64_t> removed = store.CleanByExpiry(absl::Now());
    if (!removed.ok()) {
      err << "ERROR: " << removed.status().message() << "\n";
      return kInvalid;
    }
    out << "REMOVED " << *removed << " expired entries\n";
    return kOk;
  }
  if (flags.name.empty() && flags.domain.empty()) {
    return Usage(err, absl::StrCat(command, " needs --name (or --domain)"));
  }
  if (command == "put") return Put(store, flags, out, err);
  if (command == "get") return Get(store, flags, out, err);
  if (command == "list") return List(store, flags, out, err);
  const std::string key = EntryKey(flags);
  if (absl::Status s = store.Delete(Namespace(flags), key); !s.ok()) {
    err << "ERROR: " << s.message() << "\n";
    return kInvalid;
  }
  out << "DELETED " << Namespace(flags) << " " << key << "\n";
  return kOk;
}

int RunWithConfig(const StoreFlags& flags, const Environment& env, std::ostream& out,
                  std::ostream& err) {
  if (flags.config.empty()) return Usage(err, absl::StrCat(flags.subcommand, " needs --config"));
  if (!flags.key.empty() && flags.has_args) return Usage(err, "give --key or --args, not both");
  absl::StatusOr<FailoverConfig> config = LoadToolFailoverConfig(flags.config, env, err);
  if (!config.ok()) return kInvalid;
  StoreConfig store_config = config->store;
  store_config.async = false;  // A command's write has reached the store when it returns.
  FailoverStoreDeps deps;
  deps.environment = env;
  deps.warnings = [&err](absl::string_view message) { err << "warning: " << message << "\n"; };
  absl::StatusOr<std::unique_ptr<ConfiguredFailoverStore>> store =
      NewFailoverStore(store_config, std::move(deps));
  if (!store.ok()) {
    err << "ERROR: " << store.status().message() << "\n";
    return kInvalid;
  }
  std::optional<ScopedTenant> tenant;
  if (flags.tenant.has_value()) tenant.emplace(*flags.tenant);
  return RunOnStore(**store, flags, out, err);
}

}  // namespace

absl::string_view StoreUsage() { return kUsageText; }

int RunStoreCommand(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
                    std::ostream& err) {
  if (args.empty()) return Usage(err, "missing subcommand");
  StoreFlags flags;
  flags.subcommand = args[0];
  const std::string& command = flags.subcommand;
  if (command != "key" && command != "put" && command != "get" && command != "list" &&
      command != "delete" && command != "clean") {
    return Usage(err, absl::StrCat("unknown subcommand '", command, "'"));
  }
  if (std::string problem = ParseFlags(args, &flags); !problem.empty()) {
    return Usage(err, problem);
  }
  if (command == "key") {
    if (flags.name.empty() && flags.domain.empty()) return Usage(err, "key needs --name");
    out << DefaultFailoverKey(Namespace(flags), ToKeyArgs(flags.positional)) << "\n";
    return kOk;
  }
  return RunWithConfig(flags, env, out, err);
}

}  // namespace failover
