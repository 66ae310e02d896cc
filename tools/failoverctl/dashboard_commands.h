// `failoverctl dashboard ...`: failoverd (the dashboard server) from the command line.
//
//   echo -n 's3cret' | failoverctl dashboard hash-password [--iterations 600000]
//   pbkdf2-sha256$600000$...$...      (for failover.dashboard.security.users[].password-hash)
//   failoverctl dashboard switch on|off|status --url http://dash:8080/failover-dashboard
//       [--namespace NS] [--reason R] [--user U --password-env VAR]
//   failoverctl dashboard service put|get|delete --url BASE --key GROUP@@SERVICE
//       [--file ServiceInfo.json] [--namespace NS] [--user U --password-env VAR]
//
// switch and service call failoverd's naming admin API ({url}/api/naming/switch and
// {url}/api/naming/services/{key}, the `naming` endpoint, which must be in
// failover.dashboard.exposure.include) and print its JSON answer. The password is read from the
// environment variable --password-env names, never from the command line (where `ps` shows it).
// hash-password reads the password from stdin (its first line, without the line break).
//
// Exit codes: 0 success; 1 failure (HTTP error, unreachable server, unreadable or invalid file);
// 2 usage error; 3 (service get/delete) no such service.
#ifndef FAILOVER_TOOLS_FAILOVERCTL_DASHBOARD_COMMANDS_H_
#define FAILOVER_TOOLS_FAILOVERCTL_DASHBOARD_COMMANDS_H_

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/config/environment.h"
#include "core/random.h"

namespace failover {

// `dashboard service get|delete` found no such service.
inline constexpr int kExitNoSuchService = 3;

// The dashboard commands' part of failoverctl's usage text.
absl::string_view DashboardUsage();

// Runs `failoverctl dashboard ARGS...`; `args` excludes "dashboard". `in` feeds hash-password,
// `random` its salt. Thread-compatible.
int RunDashboardCommand(const std::vector<std::string>& args, const Environment& env,
                        std::istream& in, std::ostream& out, std::ostream& err,
                        RandomSource& random);

}  // namespace failover

#endif  // FAILOVER_TOOLS_FAILOVERCTL_DASHBOARD_COMMANDS_H_
