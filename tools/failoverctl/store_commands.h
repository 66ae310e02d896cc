// `failoverctl store ...`: the failover payload store (failover.store.*, docs/store-jdbc.md) from
// the command line, through the same store stack an application builds with NewFailoverStore,
// so allowlist, encryption and tenants apply exactly as they do in the application.
//
//   failoverctl store key --name quotes EUR 2024-01-02
//   1b4e28ba-2fa1-3d2b-8a3b-...            (the Java framework's key for ("EUR", "2024-01-02"))
//   failoverctl store put --config app.yml --name quotes --args EUR --payload '{"px":1.1}'
//       --type com.acme.Quote [--expiry 1h] [--tenant acme]           (one command line)
//   failoverctl store get --config app.yml --name quotes --args EUR      (payload on stdout)
//   failoverctl store list --config app.yml --name quotes
//   failoverctl store delete --config app.yml --name quotes --args EUR   (or --key UUID)
//   failoverctl store clean --config app.yml
//
// --args is repeated once per call argument, in order (none = the NO-ARG key); --domain names
// the storage namespace when the failover has one. Writes are synchronous here (async is turned
// off), so a command that returned 0 has reached the store.
//
// Exit codes: 0 success; 1 invalid configuration or a store error; 2 usage error; 3 (get) no
// live entry (missing or expired).
#ifndef FAILOVER_TOOLS_FAILOVERCTL_STORE_COMMANDS_H_
#define FAILOVER_TOOLS_FAILOVERCTL_STORE_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/config/environment.h"

namespace failover {

// `store get` found no live entry.
inline constexpr int kExitNoStoredEntry = 3;

// The store commands' part of failoverctl's usage text.
absl::string_view StoreUsage();

// Runs `failoverctl store ARGS...`; `args` excludes "store". Thread-compatible.
int RunStoreCommand(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
                    std::ostream& err);

}  // namespace failover

#endif  // FAILOVER_TOOLS_FAILOVERCTL_STORE_COMMANDS_H_
