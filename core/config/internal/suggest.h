// "Did you mean ...?" for unknown keys and environment variables.
#ifndef FAILOVER_CORE_CONFIG_INTERNAL_SUGGEST_H_
#define FAILOVER_CORE_CONFIG_INTERNAL_SUGGEST_H_

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace failover {
namespace config_internal {

// Levenshtein distance (insertions, deletions, substitutions). Stops early once the distance is
// known to exceed `limit` and then returns limit + 1.
int EditDistance(absl::string_view a, absl::string_view b,
                 int limit = std::numeric_limits<int>::max() - 1);

// The largest distance still worth suggesting for a name of `length` characters.
int SuggestionThreshold(size_t length);

// Suggests known dotted paths for unknown ones. The known paths are split and put in canonical
// form once, so suggesting for thousands of unknown keys stays cheap. Immutable after
// construction; safe to share between threads.
//
//   PathSuggester suggester({"failover.store.type", "failover.store.jdbc.table-prefix"});
//   suggester.Suggest("failover.stor.type");  // "failover.store.type"
class PathSuggester {
 public:
  explicit PathSuggester(const std::vector<std::string>& known);

  // The known path closest to `path`, compared in canonical form (case, '-' and '_' ignored),
  // when it is close enough; otherwise a known path with the same last segment (the key was put
  // in the wrong section). Segments of a known path written "<name>" are placeholders for map
  // keys and match the corresponding segment of `path`; list indexes ("endpoints[]" in a known
  // path, "endpoints[2]" in `path`) are ignored when comparing and kept from `path`.
  std::optional<std::string> Suggest(absl::string_view path) const;

 private:
  struct Known {
    std::vector<std::string> segments;            // as declared
    std::vector<std::string> bases;               // without a list index ("endpoints[]")
    std::vector<std::string> indexes;             // the index part ("[]"), or empty
    std::vector<std::string> canonical_segments;  // CanonicalKey of each base
    std::string canonical;                        // joined, when there is no placeholder
    bool has_placeholder = false;
  };
  std::vector<Known> known_;
};

// The closest of `known` to `name` (plain text comparison) when close enough.
std::optional<std::string> SuggestName(absl::string_view name,
                                       const std::vector<std::string>& known);

}  // namespace config_internal
}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_INTERNAL_SUGGEST_H_
