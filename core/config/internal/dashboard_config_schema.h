// failover.dashboard.* declared for FailoverConfigSchema(); split out to keep files small.
#ifndef FAILOVER_CORE_CONFIG_INTERNAL_DASHBOARD_CONFIG_SCHEMA_H_
#define FAILOVER_CORE_CONFIG_INTERNAL_DASHBOARD_CONFIG_SCHEMA_H_

#include "core/config/config_schema.h"
#include "core/config/dashboard_config.h"

namespace failover {
namespace config_internal {

ConfigSchema<DashboardConfig> DashboardConfigSchema();

}  // namespace config_internal
}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_INTERNAL_DASHBOARD_CONFIG_SCHEMA_H_
