// The declaration of every failover.* property: FailoverConfigSchema() binds FailoverConfig
// (failover_config.h) through the same ConfigSchema mechanism modules use for their sections.
#ifndef FAILOVER_CORE_CONFIG_FAILOVER_CONFIG_SCHEMA_H_
#define FAILOVER_CORE_CONFIG_FAILOVER_CONFIG_SCHEMA_H_

#include "absl/strings/string_view.h"
#include "core/config/config_schema.h"
#include "core/config/failover_config.h"

namespace failover {

// Where the framework's root section is registered.
inline constexpr absl::string_view kFailoverConfigPath = "failover";

// Built once, never destroyed; safe to use from any thread.
const ConfigSchema<FailoverConfig>& FailoverConfigSchema();

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_FAILOVER_CONFIG_SCHEMA_H_
