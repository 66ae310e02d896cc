// Loading the framework's configuration: the failover.* section of an application.yml, with
// environment overrides (which win over the file; the file wins over defaults).
//
//   absl::StatusOr<FailoverConfig> config =
//       LoadFailoverConfigFile("/etc/app/application.yml", ProcessEnvironment());
//   if (!config.ok()) { /* message lists every problem, one per line */ }
//
// For warnings, applied environment variables, or module sections next to the framework's, use a
// ConfigLoader (config_loader.h) with AddFailoverSection().
#ifndef FAILOVER_CORE_CONFIG_FAILOVER_CONFIG_LOADER_H_
#define FAILOVER_CORE_CONFIG_FAILOVER_CONFIG_LOADER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/config/config_loader.h"
#include "core/config/environment.h"
#include "core/config/failover_config.h"

namespace failover {

// Registers FailoverConfigSchema() at "failover" on `loader`.
absl::StatusOr<SectionHandle<FailoverConfig>> AddFailoverSection(ConfigLoader& loader);

// Parses, overrides from `env`, validates. InvalidArgument listing every problem when invalid.
absl::StatusOr<FailoverConfig> LoadFailoverConfig(absl::string_view yaml_text,
                                                  const Environment& env);

// The same for a file; the file's read error when it cannot be read.
absl::StatusOr<FailoverConfig> LoadFailoverConfigFile(const std::string& path,
                                                      const Environment& env);

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_FAILOVER_CONFIG_LOADER_H_
