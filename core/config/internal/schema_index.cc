#include "core/config/internal/schema_index.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace failover {
namespace config_internal {
namespace {

void AddUnique(std::string value, std::vector<std::string>* values) {
  if (std::find(values->begin(), values->end(), value) == values->end()) {
    values->push_back(std::move(value));
  }
}

void AddEnvPrefixes(const std::string& env_name, SchemaIndex* index) {
  const std::vector<std::string> tokens = absl::StrSplit(env_name, '_');
  if (tokens.size() < 2) return;
  AddUnique(tokens[0], &index->env_roots);
  AddUnique(absl::StrCat(tokens[0], "_", tokens[1]), &index->env_prefixes);
}

void Walk(const SectionSpec& spec, const std::string& path, bool in_map, SchemaIndex* index) {
  for (const PropertySpec& property : spec.properties) {
    const std::string full = absl::StrCat(path, ".", property.key);
    PropertyDescription row{full,
                            EnvName(full),
                            property.type_name,
                            property.allowed,
                            property.secret ? "" : property.default_text,
                            property.doc};
    AddEnvPrefixes(row.env_var, index);
    if (!in_map) index->env_names.push_back(row.env_var);
    index->known_paths.push_back(full);
    index->properties.push_back(std::move(row));
  }
  for (const ChildSectionSpec& child : spec.sections) {
    const std::string full = absl::StrCat(path, ".", child.key);
    index->known_paths.push_back(full);
    Walk(*child.spec, full, in_map, index);
  }
  for (const SectionMapSpec& map : spec.maps) {
    const std::string full = absl::StrCat(path, ".", map.key);
    index->known_paths.push_back(full);
    index->properties.push_back(PropertyDescription{
        full, "", absl::StrCat("Map<", map.key_name, ", section>"), "", "{}", map.doc});
    Walk(*map.value_spec, absl::StrCat(full, ".<", map.key_name, ">"), true, index);
  }
}

}  // namespace

namespace {

std::string EnvNameKeepingDashesAs(absl::string_view path, bool dash_as_underscore) {
  std::string out;
  for (absl::string_view segment : absl::StrSplit(path, '.')) {
    if (!out.empty()) out.push_back('_');
    const bool placeholder = !segment.empty() && segment[0] == '<';
    for (char c : segment) {
      if (c == '-' && !placeholder) {
        if (dash_as_underscore) out.push_back('_');
        continue;
      }
      out.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

}  // namespace

std::string EnvName(absl::string_view path) { return EnvNameKeepingDashesAs(path, false); }

std::string LegacyEnvName(absl::string_view path) { return EnvNameKeepingDashesAs(path, true); }

void IndexSection(const SectionSpec& spec, const std::string& path, SchemaIndex* index) {
  Walk(spec, path, false, index);
}

}  // namespace config_internal
}  // namespace failover
