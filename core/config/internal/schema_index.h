// Everything the loader needs to know about the registered schemas as flat lists: property rows
// for docs, every valid path for "did you mean", every environment variable name.
#ifndef FAILOVER_CORE_CONFIG_INTERNAL_SCHEMA_INDEX_H_
#define FAILOVER_CORE_CONFIG_INTERNAL_SCHEMA_INDEX_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/config/internal/section_spec.h"
#include "core/config/property_description.h"

namespace failover {
namespace config_internal {

// Spring's environment-variable form of a dotted path: uppercase, '.' -> '_', '-' removed
// ("failover.store.jdbc.table-prefix" -> "FAILOVER_STORE_JDBC_TABLEPREFIX"). Placeholder segments
// ("<tenant-id>") are uppercased and kept whole.
std::string EnvName(absl::string_view path);

// Spring's legacy form, which keeps a dashed word's dashes as underscores
// ("failover.store.jdbc.table-prefix" -> "FAILOVER_STORE_JDBC_TABLE_PREFIX"). Equal to EnvName()
// for paths without dashes.
std::string LegacyEnvName(absl::string_view path);

struct SchemaIndex {
  std::vector<PropertyDescription> properties;  // declaration order
  std::vector<std::string> known_paths;         // properties, sections and maps
  std::vector<std::string> env_names;           // concrete ones only (no map placeholders)
  std::vector<std::string> env_roots;           // first token of every name: "FAILOVER"
  std::vector<std::string> env_prefixes;        // first two tokens: "FAILOVER_STORE", ...
};

// Adds the section `spec` registered at `path` to `index`.
void IndexSection(const SectionSpec& spec, const std::string& path, SchemaIndex* index);

}  // namespace config_internal
}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_INTERNAL_SCHEMA_INDEX_H_
