#include "tools/failoverctl/dashboard_commands.h"

#include <httplib.h>

#include <chrono>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "core/percent_encoding.h"
#include "dashboard/security/password_hash.h"
#include "naming-client/service_info_json.h"
#include "naming-client/service_key.h"
#include "tools/failoverctl/command_args.h"

namespace failover {
namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr auto kTimeout = std::chrono::seconds(10);

constexpr absl::string_view kUsageText =
    "  failoverctl dashboard hash-password [--iterations N]\n"
    "      Read a password from stdin (first line) and print its PBKDF2 hash for\n"
    "      failover.dashboard.security.users[].password-hash.\n"
    "  failoverctl dashboard switch on|off|status --url BASE [--namespace NS] [--reason R]\n"
    "      [--user U --password-env VAR]\n"
    "  failoverctl dashboard service put|get|delete --url BASE --key GROUP@@SERVICE\n"
    "      [--file ServiceInfo.json] [--namespace NS] [--user U --password-env VAR]\n"
    "      Call failoverd's naming admin API (BASE = http://host:port/failover-dashboard) and\n"
    "      print its JSON answer; the password comes from the environment variable VAR.\n"
    "      service get/delete exit 3 when the service does not exist.\n";

int Usage(std::ostream& err, absl::string_view message) {
  return CommandUsageError(err, "dashboard", message, kUsageText);
}

struct DashboardFlags {
  std::string url;
  std::string nacos_namespace;
  std::optional<std::string> reason;
  std::string user;
  std::string password_env;
  std::string key;
  std::string file;
  std::optional<int> iterations;
};

// One option of ParseFlags(); an error message or "".
std::string ParseFlag(const std::string& flag, const std::string& value, DashboardFlags* flags) {
  if (flag == "--url") {
    flags->url = value;
  } else if (flag == "--namespace") {
    flags->nacos_namespace = value;
  } else if (flag == "--reason") {
    flags->reason = value;
  } else if (flag == "--user") {
    flags->user = value;
  } else if (flag == "--password-env") {
    flags->password_env = value;
  } else if (flag == "--key") {
    flags->key = value;
  } else if (flag == "--file") {
    flags->file = value;
  } else if (flag == "--iterations") {
    int n = 0;
    if (!absl::SimpleAtoi(value, &n)) {
      return absl::StrCat("--iterations: '", value, "' is not a number");
    }
    flags->iterations = n;
  } else if (flag == "--password") {
    return kPasswordFlagRefused;
  } else {
    return absl::StrCat("unknown option '", flag, "'");
  }
  return "";
}

// Parses "--flag value" / "--flag=value" from args[first...]; returns an error message or "".
std::string ParseFlags(const std::vector<std::string>& args, size_t first, DashboardFlags* flags) {
  return WalkCommandArgs(
      args, first,
      [flags](const std::string& flag, const std::string& value) {
        return ParseFlag(flag, value, flags);
      },
      RefusePositional);
}

int HashPasswordCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                        std::ostream& err, RandomSource& random) {
  DashboardFlags flags;
  if (std::string error = ParseFlags(args, 1, &flags); !error.empty()) {
    return Usage(err, absl::StrCat("hash-password: ", error));
  }
  if (!flags.url.empty() || !flags.key.empty() || !flags.user.empty() || flags.reason ||
      !flags.file.empty() || !flags.nacos_namespace.empty() || !flags.password_env.empty()) {
    return Usage(err, "hash-password takes only --iterations");
  }
  const int iterations = flags.iterations.value_or(dashboard::kDefaultPbkdf2Iterations);
  if (iterations < dashboard::kMinPbkdf2Iterations ||
      iterations > dashboard::kMaxPbkdf2Iterations) {
    return Usage(
        err, absl::StrCat("hash-password: --iterations ", iterations, " is outside ",
                          dashboard::kMinPbkdf2Iterations, "..", dashboard::kMaxPbkdf2Iterations));
  }
  std::string password;
  std::getline(in, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) {
    err << "failoverctl dashboard hash-password: no password on stdin\n";
    return kFailed;
  }
  out << dashboard::HashPassword(password, random, iterations) << "\n";
  return kOk;
}

// One call to failoverd's API.
struct ApiCall {
  std::string method;  // GET, PUT, DELETE
  std::string route;   // after the base URL, e.g. "/api/naming/switch"
  std::string body;    // JSON, for PUT
};

struct ApiAnswer {
  int status = 0;
  std::string body;
};

class ApiClient {
 public:
  // Returns a usage error message, or "" with the client ready.
  std::string Init(const DashboardFlags& flags, const Environment& env) {
    absl::string_view url = flags.url;
    if (url.empty())
      return "--url BASE is required (e.g. http://127.0.0.1:8080/failover-dashboard)";
    const bool https = absl::StartsWith(url, "https://");
    if (!https && !absl::StartsWith(url, "http://")) {
      return absl::StrCat("--url: '", url, "' must start with http:// or https://");
    }
    const size_t authority_start = https ? 8 : 7;
    const size_t slash = url.find('/', authority_start);
    if (slash == authority_start || authority_start >= url.size()) {
      return absl::StrCat("--url: '", url, "' has no host");
    }
    origin_ = std::string(url.substr(0, slash));
    base_path_ = slash == absl::string_view::npos ? "" : std::string(url.substr(slash));
    while (absl::EndsWith(base_path_, "/")) base_path_.pop_back();
    namespace_ = flags.nacos_namespace;
    if (flags.user.empty() != flags.password_env.empty()) {
      return "--user and --password-env go together";
    }
    if (!flags.user.empty()) {
      const auto it = env.find(flags.password_env);
      if (it == env.end() || it->second.empty()) {
        return absl::StrCat("--password-env: the environment variable ", flags.password_env,
                            " is not set");
      }
      authorization_ =
          absl::StrCat("Basic ", absl::Base64Escape(absl::StrCat(flags.user, ":", it->second)));
    }
    return "";
  }

  std::string Describe(const ApiCall& call) const {
    return absl::StrCat(call.method, " ", origin_, base_path_, call.route);
  }

  // The answer, or an error naming the request (never the password).
  absl::StatusOr<ApiAnswer> Send(const ApiCall& call) const {
    std::string target = absl::StrCat(base_path_, call.route);
    if (!namespace_.empty())
      absl::StrAppend(&target, "?namespace=", PercentEncodeComponent(namespace_));
    httplib::Client client(origin_);
    client.set_url_encode(false);
    client.set_keep_alive(false);
    client.set_connection_timeout(kTimeout);
    client.set_read_timeout(kTimeout);
    client.set_write_timeout(kTimeout);
    httplib::Headers headers;
    if (!authorization_.empty()) headers.emplace("Authorization", authorization_);
    httplib::Result result = call.method == "GET" ? client.Get(target, headers)
                             : call.method == "PUT"
                                 ? client.Put(target, headers, call.body, "application/json")
                                 : client.Delete(target, headers);
    if (!result) {
      return absl::UnavailableError(
          absl::StrCat(Describe(call), ": ", httplib::to_string(result.error()), " error"));
    }
    return ApiAnswer{result->status, result->body};
  }

 private:
  std::string origin_;     // http(s)://host:port
  std::string base_path_;  // "/failover-dashboard" or ""
  std::string namespace_;
  std::string authorization_;
};

// Runs `call`; prints the JSON answer on 2xx, else an error with the status. 404 gives
// `not_found_code`.
int Run(const ApiClient& client, const ApiCall& call, int not_found_code, std::ostream& out,
        std::ostream& err) {
  absl::StatusOr<ApiAnswer> answer = client.Send(call);
  if (!answer.ok()) {
    err << "failoverctl dashboard: " << answer.status().message() << "\n";
    return kFailed;
  }
  if (answer->status >= 200 && answer->status < 300) {
    out << answer->body;
    if (!answer->body.empty() && answer->body.back() != '\n') out << "\n";
    return kOk;
  }
  err << "failoverctl dashboard: " << client.Describe(call) << ": HTTP " << answer->status;
  const absl::string_view body = absl::StripAsciiWhitespace(answer->body);
  if (!body.empty()) err << ": " << body;
  if (answer->status == 401) err << " (check --user and the password in --password-env)";
  if (answer->status == 403) err << " (the user lacks the admin role)";
  err << "\n";
  return answer->status == 404 ? not_found_code : kFailed;
}

std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out.append({'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 0xf]});
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

int SwitchCommand(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
                  std::ostream& err) {
  if (args.size() < 2) return Usage(err, "switch: missing on, off or status");
  const std::string action = args[1];
  if (action != "on" && action != "off" && action != "status") {
    return Usage(err, absl::StrCat("switch: unknown action '", action, "' (on, off, status)"));
  }
  DashboardFlags flags;
  if (std::string error = ParseFlags(args, 2, &flags); !error.empty()) {
    return Usage(err, absl::StrCat("switch: ", error));
  }
  if (!flags.key.empty() || !flags.file.empty() || flags.iterations) {
    return Usage(err, "switch takes --url, --namespace, --reason, --user, --password-env");
  }
  if (action == "status" && flags.reason) return Usage(err, "switch status takes no --reason");
  ApiClient client;
  if (std::string error = client.Init(flags, env); !error.empty()) {
    return Usage(err, absl::StrCat("switch: ", error));
  }
  ApiCall call{"GET", "/api/naming/switch", ""};
  if (action != "status") {
    call.method = "PUT";
    call.body = absl::StrCat("{\"enabled\":", action == "on" ? "true" : "false");
    if (flags.reason) absl::StrAppend(&call.body, ",\"reason\":", JsonString(*flags.reason));
    call.body += "}";
  }
  return Run(client, call, kFailed, out, err);
}

int ServiceCommand(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
                   std::ostream& err) {
  if (args.size() < 2) return Usage(err, "service: missing put, get or delete");
  const std::string action = args[1];
  if (action != "put" && action != "get" && action != "delete") {
    return Usage(err, absl::StrCat("service: unknown action '", action, "' (put, get, delete)"));
  }
  DashboardFlags flags;
  if (std::string error = ParseFlags(args, 2, &flags); !error.empty()) {
    return Usage(err, absl::StrCat("service: ", error));
  }
  if (flags.reason || flags.iterations) {
    return Usage(err, "service takes --url, --key, --file, --namespace, --user, --password-env");
  }
  if (flags.key.empty()) return Usage(err, "service: --key GROUP@@SERVICE is required");
  absl::StatusOr<naming::ServiceKey> key = naming::ParseServiceKey(flags.key);
  if (!key.ok() || !key->clusters.empty()) {
    return Usage(err, absl::StrCat("service: --key '", flags.key,
                                   "' is not GROUP@@SERVICE (e.g. DEFAULT_GROUP@@orders)"));
  }
  if ((action == "put") != !flags.file.empty()) {
    return Usage(err, action == "put" ? "service put: --file ServiceInfo.json is required"
                                      : "service: --file is only for put");
  }
  ApiClient client;
  if (std::string error = client.Init(flags, env); !error.empty()) {
    return Usage(err, absl::StrCat("service: ", error));
  }
  ApiCall call{action == "get"   ? "GET"
               : action == "put" ? "PUT"
                                 : "DELETE",
               absl::StrCat("/api/naming/services/", PercentEncodeComponent(flags.key)), ""};
  if (action == "put") {
    std::ifstream file(flags.file, std::ios::binary);
    if (!file) {
      err << "failoverctl dashboard: service put: cannot read '" << flags.file << "'\n";
      return kFailed;
    }
    std::stringstream content;
    content << file.rdbuf();
    call.body = content.str();
    // Checked here too, so a bad file is reported with its name before anything is sent.
    if (absl::StatusOr<v1::ServiceInfo> info = naming::ParseServiceInfoJson(call.body);
        !info.ok()) {
      err << "failoverctl dashboard: service put: " << flags.file
          << ": not Nacos ServiceInfo JSON: " << info.status().message() << "\n";
      return kFailed;
    }
  }
  return Run(client, call, action == "put" ? kFailed : kExitNoSuchService, out, err);
}

}  // namespace

absl::string_view DashboardUsage() { return kUsageText; }

int RunDashboardCommand(const std::vector<std::string>& args, const Environment& env,
                        std::istream& in, std::ostream& out, std::ostream& err,
                        RandomSource& random) {
  if (args.empty()) return Usage(err, "missing subcommand (hash-password, switch or service)");
  if (args[0] == "hash-password") return HashPasswordCommand(args, in, out, err, random);
  if (args[0] == "switch") return SwitchCommand(args, env, out, err);
  if (args[0] == "service") return ServiceCommand(args, env, out, err);
  return Usage(err, absl::StrCat("unknown subcommand '", args[0], "'"));
}

}  // namespace failover
