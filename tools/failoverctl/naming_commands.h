// `failoverctl naming ...`: operating the Nacos failover directory a naming client reads
// ({snapshot path}/nacos/naming/{namespace}/failover, see docs/naming-client.md) from the command
// line, with the library's own reader, writer and reactor, so what it prints is what a client
// does.
//
//   failoverctl naming switch on --dir /home/app/nacos/naming/public/failover
//   failoverctl naming lookup --dir DIR --service DEFAULT_GROUP@@orders --clusters c1
//   [{"instanceId":"10.0.0.1#8080#c1#DEFAULT_GROUP@@orders","ip":"10.0.0.1","port":8080,...}]
//   failoverctl naming validate --dir DIR
//   OK 00-00---000-VIPSRV_FAILOVER_SWITCH-000---00-00 (on)
//   BAD DEFAULT_GROUP%40%40pay: bad_content: line 3, column 1: Unexpected end of string...
//   failoverctl naming dump --dir DIR --from-cache /home/app/nacos/naming/public
//   WROTE DEFAULT_GROUP%40%40orders (DEFAULT_GROUP@@orders, 2 hosts)
//   failoverctl naming dump --dir DIR --from-nacos http://10.0.0.1:8848 --service orders
//   WROTE DEFAULT_GROUP%40%40orders (DEFAULT_GROUP@@orders, 2 hosts)
//
// Exit codes: 0 success; 1 a bad file, a directory that is missing or unreadable, or a dump that
// did not write everything; 2 usage error; 3 (lookup) no failover answer for the service.
#ifndef FAILOVER_TOOLS_FAILOVERCTL_NAMING_COMMANDS_H_
#define FAILOVER_TOOLS_FAILOVERCTL_NAMING_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace failover {

// `naming lookup` found nothing a client would serve from failover data: the switch is off or
// unknown, the service has no usable data, or no instance is left after the filters.
inline constexpr int kExitNoFailoverData = 3;

// The naming commands' part of failoverctl's usage text: indented lines, each command and what
// it does.
absl::string_view NamingUsage();

// Runs `failoverctl naming ARGS...`; `args` excludes "naming". Results go to `out` (lookup: the
// JSON only), reasons, errors and usage to `err`. Reads and writes only the directories named.
// Thread-compatible.
int RunNamingCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace failover

#endif  // FAILOVER_TOOLS_FAILOVERCTL_NAMING_COMMANDS_H_
