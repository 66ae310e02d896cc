// "Did you mean ...?" for unknown keys and environment variables.
#ifndef FAILOVER_CORE_CONFIG_INTERNAL_SUGGEST_H_
#define FAILOVER_CORE_CONFIG_INTERNAL_SUGGEST_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace failover {
namespace config_internal {

// Levenshtein distance (insertions, deletions, substitutions).
int EditDistance(absl::string_view a, absl::string_view b);

// The largest distance still worth suggesting for a name of `length` characters.
int SuggestionThreshold(size_t length);

// The known dotted path closest to `path`, compared in canonical form (case, '-' and '_'
// ignored), when it is close enough; otherwise a known path with the same last segment (the key
// was put in the wrong section). Segments of `known` written "<name>" are placeholders for map
// keys and match the corresponding segment of `path`.
std::optional<std::string> SuggestPath(absl::string_view path,
                                       const std::vector<std::string>& known);

// The closest of `known` to `name` (plain text comparison) when close enough.
std::optional<std::string> SuggestName(absl::string_view name,
                                       const std::vector<std::string>& known);

}  // namespace config_internal
}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_INTERNAL_SUGGEST_H_
