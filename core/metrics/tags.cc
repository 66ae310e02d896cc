#include "core/metrics/tags.h"

#include <algorithm>
#include <tuple>

namespace failover {

Tags::Tags(std::initializer_list<std::pair<absl::string_view, absl::string_view>> pairs) {
  tags_.reserve(pairs.size());
  for (const auto& [key, value] : pairs) tags_.push_back(Tag{std::string(key), std::string(value)});
  Canonicalize();
}

Tags::Tags(std::vector<Tag> tags) : tags_(std::move(tags)) { Canonicalize(); }

void Tags::Canonicalize() {
  if (tags_.size() < 2) return;
  // Stable, so among equal keys the original order survives and the last one can be kept.
  std::stable_sort(tags_.begin(), tags_.end(),
                   [](const Tag& a, const Tag& b) { return a.key < b.key; });
  std::vector<Tag> unique;
  unique.reserve(tags_.size());
  for (Tag& tag : tags_) {
    if (!unique.empty() && unique.back().key == tag.key) {
      unique.back() = std::move(tag);
    } else {
      unique.push_back(std::move(tag));
    }
  }
  tags_ = std::move(unique);
}

Tags Tags::With(absl::string_view key, absl::string_view value) const {
  std::vector<Tag> copy = tags_;
  copy.push_back(Tag{std::string(key), std::string(value)});
  return Tags(std::move(copy));
}

std::optional<absl::string_view> Tags::Find(absl::string_view key) const {
  auto it = std::lower_bound(tags_.begin(), tags_.end(), key,
                             [](const Tag& tag, absl::string_view k) { return tag.key < k; });
  if (it == tags_.end() || it->key != key) return std::nullopt;
  return absl::string_view(it->value);
}

bool operator<(const Tags& a, const Tags& b) {
  return std::lexicographical_compare(a.tags_.begin(), a.tags_.end(), b.tags_.begin(),
                                      b.tags_.end(), [](const Tag& x, const Tag& y) {
                                        return std::tie(x.key, x.value) < std::tie(y.key, y.value);
                                      });
}

}  // namespace failover
