#include "core/config/internal/suggest.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/config/config_value.h"

namespace failover {
namespace config_internal {
namespace {

// `known` with its "<placeholder>" segments replaced by the corresponding segments of `path`.
std::string Instantiate(const std::string& known, const std::vector<std::string>& path_segments) {
  std::vector<std::string> segments = absl::StrSplit(known, '.');
  for (size_t i = 0; i < segments.size(); ++i) {
    if (!segments[i].empty() && segments[i][0] == '<' && i < path_segments.size()) {
      segments[i] = path_segments[i];
    }
  }
  return absl::StrJoin(segments, ".");
}

std::string LastSegment(absl::string_view path) {
  const size_t dot = path.rfind('.');
  return std::string(dot == absl::string_view::npos ? path : path.substr(dot + 1));
}

}  // namespace

int EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

int SuggestionThreshold(size_t length) {
  return std::min<int>(3, std::max<int>(1, static_cast<int>(length) / 8));
}

std::optional<std::string> SuggestPath(absl::string_view path,
                                       const std::vector<std::string>& known) {
  const std::vector<std::string> segments = absl::StrSplit(path, '.');
  const std::string canonical = CanonicalPath(path);
  const std::string last = CanonicalKey(LastSegment(path));
  std::optional<std::string> best;
  int best_distance = std::numeric_limits<int>::max();
  std::optional<std::string> same_leaf;
  int same_leaf_distance = std::numeric_limits<int>::max();
  for (const std::string& candidate_pattern : known) {
    const std::string candidate = Instantiate(candidate_pattern, segments);
    const int distance = EditDistance(canonical, CanonicalPath(candidate));
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
    if (CanonicalKey(LastSegment(candidate)) == last && distance < same_leaf_distance) {
      same_leaf_distance = distance;
      same_leaf = candidate;
    }
  }
  if (best.has_value() && best_distance > 0 &&
      best_distance <= SuggestionThreshold(canonical.size())) {
    return best;
  }
  if (same_leaf_distance > 0) return same_leaf;
  return std::nullopt;
}

std::optional<std::string> SuggestName(absl::string_view name,
                                       const std::vector<std::string>& known) {
  std::optional<std::string> best;
  int best_distance = SuggestionThreshold(name.size()) + 1;
  for (const std::string& candidate : known) {
    const int distance = EditDistance(name, candidate);
    if (distance > 0 && distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

}  // namespace config_internal
}  // namespace failover
