#include "tools/failoverctl/metrics_command.h"

#include <httplib.h>

#include <chrono>
#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "core/config/failover_config.h"
#include "tools/failoverctl/command_args.h"
#include "tools/failoverctl/tool_config.h"

namespace failover {
namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr double kDefaultTimeoutSeconds = 10;
// Longest piece of an error body quoted in a message.
constexpr size_t kBodyHead = 200;

constexpr absl::string_view kUsageText =
    "  failoverctl metrics --config FILE [--user U --password-env VAR] [--timeout SECONDS]\n"
    "      Print the metrics of the failoverd that runs with FILE, as Prometheus text (GET\n"
    "      /metrics at failover.dashboard.listen; 0.0.0.0 and :: are reached on loopback).\n"
    "      The password comes from the environment variable VAR. Default timeout 10 s.\n";

struct MetricsFlags {
  std::string config;
  std::string user;
  std::string password_env;
  double timeout_seconds = kDefaultTimeoutSeconds;
};

int Usage(std::ostream& err, absl::string_view message) {
  return CommandUsageError(err, "metrics", message, kUsageText);
}

std::string ParseFlag(const std::string& flag, const std::string& value, MetricsFlags& flags) {
  if (flag == "--config") {
    flags.config = value;
  } else if (flag == "--user") {
    flags.user = value;
  } else if (flag == "--password-env") {
    flags.password_env = value;
  } else if (flag == "--timeout") {
    double seconds = 0;
    if (!absl::SimpleAtod(value, &seconds) || !std::isfinite(seconds) || seconds <= 0) {
      return absl::StrCat("--timeout: '", value, "' is not a positive number of seconds");
    }
    flags.timeout_seconds = seconds;
  } else if (flag == "--password") {
    return kPasswordFlagRefused;
  } else {
    return absl::StrCat("unknown option '", flag, "'");
  }
  return "";
}

// The Authorization header value ("" without --user), or a usage error message.
absl::StatusOr<std::string> Authorization(const MetricsFlags& flags, const Environment& env) {
  if (flags.user.empty() != flags.password_env.empty()) {
    return absl::InvalidArgumentError("--user and --password-env go together");
  }
  if (flags.user.empty()) return std::string();
  const auto it = env.find(flags.password_env);
  if (it == env.end() || it->second.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("--password-env: the environment variable ",
                                                   flags.password_env, " is not set"));
  }
  return absl::StrCat("Basic ", absl::Base64Escape(absl::StrCat(flags.user, ":", it->second)));
}

// What an HTTP refusal means for the operator.
std::string Refusal(const httplib::Response& response) {
  switch (response.status) {
    case 401:
      return "unauthorized: pass --user and --password-env (a user with "
             "failover.dashboard.security.role)";
    case 403:
      return "forbidden: the user lacks failover.dashboard.security.role";
    case 429:
      return absl::StrCat("locked out after repeated failed logins; retry after ",
                          response.get_header_value("Retry-After"), " s");
    default:
      break;
  }
  std::string message = absl::StrCat("HTTP ", response.status);
  const absl::string_view body = absl::StripAsciiWhitespace(response.body);
  if (!body.empty()) absl::StrAppend(&message, ": ", body.substr(0, kBodyHead));
  return message;
}

}  // namespace

absl::string_view MetricsUsage() { return kUsageText; }

absl::StatusOr<std::string> DashboardOrigin(absl::string_view listen) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == absl::string_view::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover.dashboard.listen: '", listen, "' is not host:port"));
  }
  if (port == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover.dashboard.listen: '", listen,
                     "' has port 0, which failoverd picks at start: set the port it printed "
                     "(e.g. FAILOVER_DASHBOARD_LISTEN=127.0.0.1:8080)"));
  }
  absl::string_view host = listen.substr(0, colon);
  if (absl::ConsumePrefix(&host, "[") && !absl::ConsumeSuffix(&host, "]")) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover.dashboard.listen: '", listen, "' has an unclosed '['"));
  }
  if (host.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover.dashboard.listen: '", listen, "' names no host"));
  }
  std::string connect_host(host);
  if (host == "0.0.0.0") connect_host = "127.0.0.1";
  if (host == "::") connect_host = "::1";
  if (absl::StrContains(connect_host, ':')) connect_host = absl::StrCat("[", connect_host, "]");
  return absl::StrCat("http://", connect_host, ":", port);
}

int RunMetricsCommand(const std::vector<std::string>& args, const Environment& env,
                      std::ostream& out, std::ostream& err) {
  MetricsFlags flags;
  const std::string error = WalkCommandArgs(
      args, 0,
      [&flags](const std::string& flag, const std::string& value) {
        return ParseFlag(flag, value, flags);
      },
      RefusePositional);
  if (!error.empty()) return Usage(err, error);
  if (flags.config.empty()) return Usage(err, "--config FILE is required");
  absl::StatusOr<std::string> authorization = Authorization(flags, env);
  if (!authorization.ok()) return Usage(err, authorization.status().message());

  absl::StatusOr<FailoverConfig> config = LoadToolFailoverConfig(flags.config, env, err);
  if (!config.ok()) {
    err << "failoverctl metrics: invalid configuration: " << config.status().message() << "\n";
    return kFailed;
  }
  absl::StatusOr<std::string> origin = DashboardOrigin(config->dashboard.listen);
  if (!origin.ok()) {
    err << "failoverctl metrics: " << flags.config << ": " << origin.status().message() << "\n";
    return kFailed;
  }
  const std::string url = absl::StrCat(*origin, "/metrics");

  httplib::Client client(*origin);
  const auto timeout = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::duration<double>(flags.timeout_seconds));
  client.set_connection_timeout(timeout);
  client.set_read_timeout(timeout);
  client.set_write_timeout(timeout);
  client.set_keep_alive(false);
  httplib::Headers headers;
  if (!authorization->empty()) headers.emplace("Authorization", *authorization);
  httplib::Result result = client.Get("/metrics", headers);
  if (!result) {
    err << "failoverctl metrics: GET " << url << ": " << httplib::to_string(result.error())
        << " error (is failoverd running with " << flags.config << "?)\n";
    return kFailed;
  }
  if (result->status != 200) {
    err << "failoverctl metrics: GET " << url << ": " << Refusal(*result) << "\n";
    return kFailed;
  }
  out << result->body << std::flush;
  return kOk;
}

}  // namespace failover
