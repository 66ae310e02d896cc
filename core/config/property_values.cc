#include "core/config/property_values.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace failover {
namespace config_internal {
namespace {

std::string Shown(const PropertySpec& property, std::string value) {
  if (property.secret) {
    const bool unset = value.empty() || (property.is_list && value == "[]");
    return unset ? value : std::string(kSecretValueMask);
  }
  if (property.redact) return property.redact(value);
  return value;
}

void Walk(const SectionSpec& spec, const std::string& path, const void* section,
          std::vector<PropertyValue>* rows) {
  for (const PropertySpec& property : spec.properties) {
    rows->push_back(PropertyValue{
        absl::StrCat(path, ".", property.key), Shown(property, property.format(section)),
        Shown(property, property.default_text), property.type_name, property.secret});
  }
  // The same order as the property listing (schema_index.cc): lists, sections, maps.
  for (const SectionListSpec& list : spec.lists) {
    const size_t size = list.size(section);
    for (size_t i = 0; i < size; ++i) {
      Walk(*list.element_spec, absl::StrCat(path, ".", list.key, "[", i, "]"),
           list.element_const(section, i), rows);
    }
  }
  for (const ChildSectionSpec& child : spec.sections) {
    Walk(*child.spec, absl::StrCat(path, ".", child.key), child.access_const(section), rows);
  }
  for (const SectionMapSpec& map : spec.maps) {
    for (const auto& [key, value] : map.entries(section)) {
      Walk(*map.value_spec, absl::StrCat(path, ".", map.key, ".", key), value, rows);
    }
  }
}

}  // namespace

std::vector<PropertyValue> DescribeSectionValues(const SectionSpec& spec, absl::string_view path,
                                                 const void* section) {
  std::vector<PropertyValue> rows;
  Walk(spec, std::string(path), section, &rows);
  return rows;
}

}  // namespace config_internal
}  // namespace failover
