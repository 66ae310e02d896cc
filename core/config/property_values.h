// The current value of every property of a bound configuration section, with secrets masked:
// what the dashboard's api/config/settings shows. The rows follow the declaration order of
// ConfigLoader::DescribeProperties(), but name concrete list elements and map entries
// ("failover.redis.endpoints[0].uri", "failover.store.multitenant.tenants.acme.table-prefix")
// instead of placeholders.
//
//   std::vector<failover::PropertyValue> rows =
//       failover::DescribePropertyValues("failover.redis", RedisConfigSchema(), redis_config);
//   for (const auto& row : rows) std::cout << row.path << " = " << row.value << "\n";
//
// Pure functions of their arguments: thread-safe for concurrent reads of one section.
#ifndef FAILOVER_CORE_CONFIG_PROPERTY_VALUES_H_
#define FAILOVER_CORE_CONFIG_PROPERTY_VALUES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/config/config_schema.h"
#include "core/config/internal/section_spec.h"

namespace failover {

// What a set Secret() property shows instead of its value.
inline constexpr absl::string_view kSecretValueMask = "****";

struct PropertyValue {
  std::string path;
  // As a user would write it. A Secret() property shows kSecretValueMask when set ("" or "[]"
  // when unset, so an operator can tell), a Redact() property its redacted form.
  std::string value;
  // The struct's default, masked the same way.
  std::string default_value;
  std::string type;  // "int", "Duration", "List<String>", ...
  bool secret = false;
};

namespace config_internal {
std::vector<PropertyValue> DescribeSectionValues(const SectionSpec& spec, absl::string_view path,
                                                 const void* section);
}  // namespace config_internal

// Every property of `section` (bound with `schema` at dotted `path`), nested sections, list
// elements and map entries included.
template <typename T>
std::vector<PropertyValue> DescribePropertyValues(absl::string_view path,
                                                  const ConfigSchema<T>& schema, const T& section) {
  return config_internal::DescribeSectionValues(*schema.CopySpec(), path, &section);
}

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_PROPERTY_VALUES_H_
