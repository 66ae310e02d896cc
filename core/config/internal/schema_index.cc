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

// `path` names the rows and known paths ("a.list[].key"); `env_path` is what their variable names
// are made of ("a.list.<index>.key"), empty where the environment cannot reach (lists inside maps
// or lists). `in_template`: below a map or list, where names hold placeholders.
void Walk(const SectionSpec& spec, const std::string& path, const std::string& env_path,
          bool in_template, SchemaIndex* index) {
  auto env_child = [&](absl::string_view key) {
    return env_path.empty() ? std::string() : absl::StrCat(env_path, ".", key);
  };
  for (const PropertySpec& property : spec.properties) {
    const std::string full = absl::StrCat(path, ".", property.key);
    const std::string env_full = env_child(property.key);
    std::string default_text = property.default_text;
    if (property.secret) {
      default_text.clear();
    } else if (property.redact) {
      default_text = property.redact(default_text);
    }
    PropertyDescription row{full,
                            env_full.empty() ? "" : EnvName(env_full),
                            property.type_name,
                            property.allowed,
                            std::move(default_text),
                            property.doc};
    if (!row.env_var.empty()) AddEnvPrefixes(row.env_var, index);
    if (!in_template) index->env_names.push_back(row.env_var);
    index->known_paths.push_back(full);
    index->properties.push_back(std::move(row));
  }
  // A list of sections is usually what its section is about (endpoints), so it comes right after
  // the plain properties.
  for (const SectionListSpec& list : spec.lists) {
    const std::string full = absl::StrCat(path, ".", list.key);
    index->known_paths.push_back(full);
    index->properties.push_back(
        PropertyDescription{full, "", "List<section>", "", list.default_text, list.doc});
    const std::string env_list = in_template ? "" : env_child(list.key);
    Walk(*list.element_spec, absl::StrCat(full, "[]"),
         env_list.empty() ? "" : absl::StrCat(env_list, ".<index>"), true, index);
  }
  for (const ChildSectionSpec& child : spec.sections) {
    const std::string full = absl::StrCat(path, ".", child.key);
    index->known_paths.push_back(full);
    Walk(*child.spec, full, env_child(child.key), in_template, index);
  }
  for (const SectionMapSpec& map : spec.maps) {
    const std::string full = absl::StrCat(path, ".", map.key);
    index->known_paths.push_back(full);
    index->properties.push_back(PropertyDescription{
        full, "", absl::StrCat("Map<", map.key_name, ", section>"), "", "{}", map.doc});
    const std::string env_map = env_child(map.key);
    Walk(*map.value_spec, absl::StrCat(full, ".<", map.key_name, ">"),
         env_map.empty() ? "" : absl::StrCat(env_map, ".<", map.key_name, ">"), true, index);
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
  Walk(spec, path, path, false, index);
}

}  // namespace config_internal
}  // namespace failover
