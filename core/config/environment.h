// Environment variables as the config loader sees them: an explicit map, so tests and tools pass
// exactly the variables they mean. ProcessEnvironment() snapshots the real one.
//
//   ConfigLoadResult result = loader.Load(yaml, ProcessEnvironment());
//   ConfigLoadResult in_test = loader.Load(yaml, {{"FAILOVER_STORE_TYPE", "jdbc"}});
#ifndef FAILOVER_CORE_CONFIG_ENVIRONMENT_H_
#define FAILOVER_CORE_CONFIG_ENVIRONMENT_H_

#include <map>
#include <string>

namespace failover {

// Variable name -> value. Ordered, so anything derived from it is deterministic.
using Environment = std::map<std::string, std::string>;

// A copy of the process environment (`environ`). Not safe against a concurrent setenv().
Environment ProcessEnvironment();

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_ENVIRONMENT_H_
