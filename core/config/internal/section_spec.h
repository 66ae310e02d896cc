// The type-erased form of a ConfigSchema<T>: what the binder, the environment overlay and the
// property listing walk. ConfigSchema<T> (config_schema.h) builds it from member pointers; nothing
// outside core/config should need it.
#ifndef FAILOVER_CORE_CONFIG_INTERNAL_SECTION_SPEC_H_
#define FAILOVER_CORE_CONFIG_INTERNAL_SECTION_SPEC_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/config/config_node.h"

namespace failover {

class CheckReporter;

namespace config_internal {

// One thing wrong with a property's value.
struct ValueIssue {
  std::optional<std::string> value;  // the offending text; nullopt when there is none
  std::string expected;              // phrase following the value
  int element = -1;                  // index within a list value, or -1 for the whole value
};
using ValueIssues = std::vector<ValueIssue>;

// Objects are passed as void* / const void* pointing at the section struct the spec describes.
struct PropertySpec {
  std::string key;           // canonical kebab-case key, e.g. "table-prefix"
  std::string doc;           // one line
  std::string type_name;     // "int", "Duration", "List<String>", "StoreType"
  std::string allowed;       // enum names "A | B"; empty otherwise
  std::string default_text;  // the struct's default member initializer, formatted
  bool is_list = false;      // accepts YAML lists, comma strings, indexed environment variables
  bool secret = false;       // never echoed in messages
  // When set (and not secret), how the value is shown in messages and docs, e.g. a URI with its
  // password masked.
  std::function<std::string(absl::string_view value)> redact;
  // Reads `node` into the property's member of `section`; records what was wrong.
  std::function<void(const ConfigNode& node, void* section, ValueIssues* issues)> assign;
  // The member's current value, as a user would write it.
  std::function<std::string(const void* section)> format;
  // Run after assignment on every value (set or default).
  std::vector<std::function<void(const void* section, ValueIssues* issues)>> validators;
};

struct SectionSpec;

struct ChildSectionSpec {
  std::string key;
  std::string doc;
  std::shared_ptr<const SectionSpec> spec;
  std::function<void*(void* parent)> access;
  std::function<const void*(const void* parent)> access_const;
};

// A map from verbatim string keys (tenant ids) to sections of one schema.
struct SectionMapSpec {
  std::string key;
  std::string doc;
  std::string key_name;  // placeholder shown in docs, e.g. "tenant-id"
  std::shared_ptr<const SectionSpec> value_spec;
  // Returns the value for `map_key`, default-constructed on first use.
  std::function<void*(void* parent, const std::string& map_key)> emplace;
  // Every entry of the map, by key.
  std::function<std::vector<std::pair<std::string, const void*>>(const void* parent)> entries;
};

// A list of sections of one schema, bound from a YAML list of maps (endpoints: [{name: a}, ...]).
struct SectionListSpec {
  std::string key;
  std::string doc;
  std::string default_text;  // "[]", or "[N elements]" when the struct's default list has some
  std::shared_ptr<const SectionSpec> element_spec;
  // Replaces the list with `count` default-constructed elements.
  std::function<void(void* parent, size_t count)> reset;
  std::function<size_t(const void* parent)> size;
  std::function<void*(void* parent, size_t index)> element;
  std::function<const void*(const void* parent, size_t index)> element_const;
};

struct SectionSpec {
  std::vector<PropertySpec> properties;
  std::vector<ChildSectionSpec> sections;
  std::vector<SectionMapSpec> maps;
  std::vector<SectionListSpec> lists;
  // Cross-field checks, run when the section's own properties bound without problems.
  std::vector<std::function<void(const void* section, CheckReporter& reporter)>> checks;
  // Mistakes in the declaration itself (duplicate or malformed keys); reported by
  // ConfigLoader::AddSection.
  std::vector<std::string> declaration_errors;
};

}  // namespace config_internal
}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_INTERNAL_SECTION_SPEC_H_
