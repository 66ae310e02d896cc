#include "core/config/internal/suggest.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/config/config_value.h"

namespace failover {
namespace config_internal {
namespace {

bool IsPlaceholder(absl::string_view segment) { return !segment.empty() && segment[0] == '<'; }

// A list element's index ("[2]", or "[]" in a known path) is split off its segment; paths are
// compared without indexes, and a suggestion keeps the index the unknown path had.
std::pair<absl::string_view, absl::string_view> SplitIndex(absl::string_view segment) {
  const size_t open = segment.find('[');
  if (open == absl::string_view::npos || segment.back() != ']') return {segment, {}};
  return {segment.substr(0, open), segment.substr(open)};
}

}  // namespace

int EditDistance(absl::string_view a, absl::string_view b, int limit) {
  const int length_difference =
      static_cast<int>(a.size() > b.size() ? a.size() - b.size() : b.size() - a.size());
  if (limit < 0 || length_difference > limit) return limit + 1;
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    int row_min = row[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      const int above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
      row_min = std::min(row_min, row[j]);
    }
    if (row_min > limit) return limit + 1;  // every later row only grows
  }
  return std::min(row[b.size()], limit + 1);
}

int SuggestionThreshold(size_t length) {
  return std::min<int>(3, std::max<int>(1, static_cast<int>(length) / 8));
}

PathSuggester::PathSuggester(const std::vector<std::string>& known) {
  known_.reserve(known.size());
  for (const std::string& path : known) {
    Known entry;
    entry.segments = absl::StrSplit(path, '.');
    for (const std::string& segment : entry.segments) {
      const auto [base, index] = SplitIndex(segment);
      entry.canonical_segments.push_back(CanonicalKey(base));
      entry.indexes.emplace_back(index);
      entry.bases.emplace_back(base);
      entry.has_placeholder = entry.has_placeholder || IsPlaceholder(segment);
    }
    entry.canonical = absl::StrJoin(entry.canonical_segments, ".");
    known_.push_back(std::move(entry));
  }
}

std::optional<std::string> PathSuggester::Suggest(absl::string_view path) const {
  const std::vector<std::string> segments = absl::StrSplit(path, '.');
  std::vector<std::string> canonical_segments;
  std::vector<absl::string_view> indexes;
  for (const std::string& segment : segments) {
    const auto [base, index] = SplitIndex(segment);
    canonical_segments.push_back(CanonicalKey(base));
    indexes.push_back(index);
  }
  const std::string canonical = absl::StrJoin(canonical_segments, ".");
  const std::string& last = canonical_segments.back();
  // The known path as printed, its placeholders taking the path's segments at their positions.
  auto instantiate = [&](const Known& known) {
    std::vector<std::string> out;
    for (size_t i = 0; i < known.segments.size(); ++i) {
      if (IsPlaceholder(known.segments[i]) && i < segments.size()) {
        out.push_back(segments[i]);
      } else if (!known.indexes[i].empty()) {
        const bool has_index = i < indexes.size() && !indexes[i].empty();
        out.push_back(absl::StrCat(known.bases[i], has_index ? indexes[i] : known.indexes[i]));
      } else {
        out.push_back(known.segments[i]);
      }
    }
    return absl::StrJoin(out, ".");
  };

  const Known* best = nullptr;
  int best_distance = SuggestionThreshold(canonical.size()) + 1;
  const Known* same_leaf = nullptr;
  int same_leaf_distance = std::numeric_limits<int>::max();
  std::string instantiated;
  for (const Known& known : known_) {
    const std::string* candidate = &known.canonical;
    if (known.has_placeholder) {
      std::vector<std::string> parts;
      for (size_t i = 0; i < known.segments.size(); ++i) {
        parts.push_back(IsPlaceholder(known.segments[i]) && i < canonical_segments.size()
                            ? canonical_segments[i]
                            : known.canonical_segments[i]);
      }
      instantiated = absl::StrJoin(parts, ".");
      candidate = &instantiated;
    }
    const size_t dot = candidate->rfind('.');
    const bool leaf_matches =
        absl::string_view(*candidate).substr(dot == std::string::npos ? 0 : dot + 1) == last;
    // Only a same-leaf candidate needs its exact distance; the others only matter when closer
    // than the best so far.
    const int distance =
        EditDistance(canonical, *candidate,
                     leaf_matches ? std::numeric_limits<int>::max() - 1 : best_distance - 1);
    if (distance < best_distance) {
      best_distance = distance;
      best = &known;
    }
    if (leaf_matches && distance < same_leaf_distance) {
      same_leaf_distance = distance;
      same_leaf = &known;
    }
  }
  if (best != nullptr && best_distance > 0) return instantiate(*best);
  if (same_leaf != nullptr && same_leaf_distance > 0) return instantiate(*same_leaf);
  return std::nullopt;
}

std::optional<std::string> SuggestName(absl::string_view name,
                                       const std::vector<std::string>& known) {
  std::optional<std::string> best;
  int best_distance = SuggestionThreshold(name.size()) + 1;
  for (const std::string& candidate : known) {
    const int distance = EditDistance(name, candidate, best_distance - 1);
    if (distance > 0 && distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

}  // namespace config_internal
}  // namespace failover
