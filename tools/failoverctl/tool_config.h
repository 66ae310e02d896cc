// The configuration sections failoverctl knows (the framework's failover.* and the modules'
// failover.redis and failover.naming), shared by its commands so that every command accepts the
// same application.yml.
#ifndef FAILOVER_TOOLS_FAILOVERCTL_TOOL_CONFIG_H_
#define FAILOVER_TOOLS_FAILOVERCTL_TOOL_CONFIG_H_

#include <optional>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/config/config_loader.h"
#include "core/config/config_problem.h"
#include "core/config/environment.h"
#include "core/config/failover_config.h"
#include "redis-failover/redis_config.h"

namespace failover {

// Registers every section on `loader`; the naming section's handle is not kept (no command
// summarizes it).
absl::Status AddSections(ConfigLoader& loader, std::optional<SectionHandle<FailoverConfig>>* root,
                         std::optional<SectionHandle<redis::RedisConfig>>* redis);

// "FILE:LINE:COLUMN: message" (or "env VAR: message") for a problem found in `file`.
std::string Located(const std::string& file, const ConfigProblem& problem);

// Loads failover.* from `file` (with `env` overrides), accepting the modules' sections next to
// it. Problems go to `err`, one per line, each located; the status says the file is invalid.
absl::StatusOr<FailoverConfig> LoadToolFailoverConfig(const std::string& file,
                                                      const Environment& env, std::ostream& err);

}  // namespace failover

#endif  // FAILOVER_TOOLS_FAILOVERCTL_TOOL_CONFIG_H_
