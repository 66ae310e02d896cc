#include "core/config/config_schema.h"

#include "absl/strings/ascii.h"

namespace failover {
namespace config_internal {
namespace {

bool IsKebabCase(absl::string_view key) {
  if (key.empty() || key.front() == '-' || key.back() == '-') return false;
  for (char c : key) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
  }
  return true;
}

}  // namespace

void CheckDeclaredKey(absl::string_view key, SectionSpec* spec) {
  if (!IsKebabCase(key)) {
    spec->declaration_errors.push_back(
        absl::StrCat("key '", key, "' must be kebab-case: lowercase letters, digits and '-'"));
    return;
  }
  const std::string canonical = CanonicalKey(key);
  auto clashes = [&](const std::string& other) { return CanonicalKey(other) == canonical; };
  bool duplicate = false;
  for (const PropertySpec& p : spec->properties) duplicate |= clashes(p.key);
  for (const ChildSectionSpec& s : spec->sections) duplicate |= clashes(s.key);
  for (const SectionMapSpec& m : spec->maps) duplicate |= clashes(m.key);
  for (const SectionListSpec& l : spec->lists) duplicate |= clashes(l.key);
  if (duplicate) {
    spec->declaration_errors.push_back(absl::StrCat("key '", key, "' is declared twice"));
  }
}

}  // namespace config_internal
}  // namespace failover
