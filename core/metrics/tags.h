// Tags: the key/value pairs that, with a metric name, identify one time series. Kept sorted by
// key with unique keys, so two Tags built from the same pairs in any order compare and hash
// equal. A repeated key keeps its last value (as Micrometer's Tags.and does).
//
//   failover::Tags tags{{"name", "quotes"}, {"domain", "orders"}};
//   tags.items()[0].key;                    // "domain"
//   tags == failover::Tags{{"domain", "orders"}, {"name", "quotes"}};  // true
//   failover::Tags more = tags.With("result", "success");
#ifndef FAILOVER_CORE_METRICS_TAGS_H_
#define FAILOVER_CORE_METRICS_TAGS_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace failover {

struct Tag {
  std::string key;
  std::string value;

  friend bool operator==(const Tag& a, const Tag& b) {
    return a.key == b.key && a.value == b.value;
  }
  friend bool operator!=(const Tag& a, const Tag& b) { return !(a == b); }
  template <typename H>
  friend H AbslHashValue(H h, const Tag& tag) {
    return H::combine(std::move(h), tag.key, tag.value);
  }
};

// An immutable, canonical (sorted by key, unique keys) set of tags. Thread-compatible: a const
// Tags may be read from any number of threads.
class Tags {
 public:
  Tags() = default;
  Tags(std::initializer_list<std::pair<absl::string_view, absl::string_view>> pairs);
  explicit Tags(std::vector<Tag> tags);

  // A copy with `key` set to `value` (replacing an existing value for `key`).
  Tags With(absl::string_view key, absl::string_view value) const;
  // The value for `key`, if present. Binary search; the view points into this object.
  std::optional<absl::string_view> Find(absl::string_view key) const;

  const std::vector<Tag>& items() const { return tags_; }
  bool empty() const { return tags_.empty(); }
  size_t size() const { return tags_.size(); }

  friend bool operator==(const Tags& a, const Tags& b) { return a.tags_ == b.tags_; }
  friend bool operator!=(const Tags& a, const Tags& b) { return !(a == b); }
  friend bool operator<(const Tags& a, const Tags& b);
  template <typename H>
  friend H AbslHashValue(H h, const Tags& tags) {
    return H::combine(std::move(h), tags.tags_);
  }

 private:
  // Sorts by key; of equal keys, keeps the one given last.
  void Canonicalize();

  std::vector<Tag> tags_;
};

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_TAGS_H_
