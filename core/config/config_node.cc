#include "core/config/config_node.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"

namespace failover {

ConfigNode ConfigNode::Scalar(std::string text, SourceMark mark) {
  ConfigNode node;
  node.kind = Kind::kScalar;
  node.scalar = std::move(text);
  node.mark = mark;
  return node;
}

ConfigNode ConfigNode::Map(SourceMark mark) {
  ConfigNode node;
  node.kind = Kind::kMap;
  node.mark = mark;
  return node;
}

absl::string_view KindName(ConfigNode::Kind kind) {
  switch (kind) {
    case ConfigNode::Kind::kNull:
      return "nothing";
    case ConfigNode::Kind::kScalar:
      return "a scalar";
    case ConfigNode::Kind::kSequence:
      return "a list";
    case ConfigNode::Kind::kMap:
      return "a map";
  }
  return "unknown";
}

std::vector<std::string> SplitKeyPath(absl::string_view key) {
  std::vector<std::string> segments;
  std::string current;
  bool in_brackets = false;
  for (char c : key) {
    if (in_brackets) {
      if (c == ']') {
        in_brackets = false;
      } else {
        current.push_back(c);
      }
    } else if (c == '[') {
      if (!current.empty()) segments.push_back(std::move(current));
      current.clear();
      in_brackets = true;
    } else if (c == '.') {
      if (!current.empty()) segments.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty() || segments.empty()) segments.push_back(std::move(current));
  return segments;
}

namespace {

// Where same-named map entries of one entry list are, so merging a dotted key finds its partner
// by lookup instead of scanning its siblings (thousands of flat keys stay linear). Entries are
// only ever appended, so positions stay valid.
class MergeIndex {
 public:
  explicit MergeIndex(std::vector<ConfigMapEntry>* entries) : entries_(entries) {
    for (size_t i = 0; i < entries_->size(); ++i) Record(i);
  }

  // Adds `entry`. When it or an existing same-named map entry came from a dotted key, their
  // children are merged; plain duplicates stay, so the binder can report them.
  void Merge(ConfigMapEntry entry) {
    if (entry.value.kind == ConfigNode::Kind::kMap) {
      auto it = slots_.find(entry.key);
      if (it != slots_.end()) {
        const size_t at =
            entry.from_dotted_key ? it->second.first_map : it->second.first_dotted_map;
        if (at != kNone) {
          MergeIndex& child = Child(at);
          for (ConfigMapEntry& grandchild : entry.value.entries) child.Merge(std::move(grandchild));
          return;
        }
      }
    }
    entries_->push_back(std::move(entry));
    Record(entries_->size() - 1);
  }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);
  struct Slot {
    size_t first_map = kNone;         // the first map entry with the key
    size_t first_dotted_map = kNone;  // the first such entry that came from a dotted key
  };

  void Record(size_t i) {
    const ConfigMapEntry& entry = (*entries_)[i];
    if (entry.value.kind != ConfigNode::Kind::kMap) return;
    Slot& slot = slots_[entry.key];
    if (slot.first_map == kNone) slot.first_map = i;
    if (entry.from_dotted_key && slot.first_dotted_map == kNone) slot.first_dotted_map = i;
  }

  // The index of entry `i`'s children. Re-pointed on each use: appending here may have moved them.
  MergeIndex& Child(size_t i) {
    std::vector<ConfigMapEntry>* entries = &(*entries_)[i].value.entries;
    auto it = children_.find(i);
    if (it == children_.end()) {
      it = children_.emplace(i, std::make_unique<MergeIndex>(entries)).first;
    }
    it->second->entries_ = entries;
    return *it->second;
  }

  std::vector<ConfigMapEntry>* entries_;
  std::unordered_map<std::string, Slot> slots_;
  std::unordered_map<size_t, std::unique_ptr<MergeIndex>> children_;
};

bool NeedsSplitting(absl::string_view key) {
  return key.find('.') != absl::string_view::npos || key.find('[') != absl::string_view::npos;
}

// Whether SplitKeyPath would silently skip an empty segment: "a..b", ".a", "a.", "a[]".
bool HasEmptySegment(absl::string_view key) {
  bool in_brackets = false;
  bool after_brackets = false;  // "a[b].c": the '.' after ']' ends no empty segment
  size_t length = 0;            // of the current segment
  for (char c : key) {
    if (in_brackets) {
      if (c != ']') {
        ++length;
        continue;
      }
      if (length == 0) return true;
      in_brackets = false;
      after_brackets = true;
      length = 0;
    } else if (c == '[') {
      in_brackets = true;
      length = 0;
    } else if (c == '.') {
      if (length == 0 && !after_brackets) return true;
      after_brackets = false;
      length = 0;
    } else {
      ++length;
      after_brackets = false;
    }
  }
  return !in_brackets && length == 0 && !after_brackets;
}

void Expand(ConfigNode* node, const std::string& path, std::vector<ConfigProblem>* problems) {
  for (ConfigNode& item : node->items) Expand(&item, path, problems);
  if (node->kind != ConfigNode::Kind::kMap) return;
  std::vector<ConfigMapEntry> expanded;
  MergeIndex index(&expanded);
  for (ConfigMapEntry& entry : node->entries) {
    const std::string entry_path = path.empty() ? entry.key : absl::StrCat(path, ".", entry.key);
    Expand(&entry.value, entry_path, problems);
    if (!NeedsSplitting(entry.key)) {
      index.Merge(std::move(entry));
      continue;
    }
    if (HasEmptySegment(entry.key)) {
      problems->push_back(ConfigProblem{entry_path, std::nullopt,
                                        "has an empty name segment (\"..\", or a leading or "
                                        "trailing '.'); the key is ignored",
                                        entry.key_mark.line, entry.key_mark.column, ""});
      continue;
    }
    std::vector<std::string> segments = SplitKeyPath(entry.key);
    // Build from the innermost key outwards: a.b.c: v  ->  a: {b: {c: v}}.
    ConfigMapEntry nested{std::move(segments.back()), entry.key_mark, std::move(entry.value), true};
    for (size_t i = segments.size() - 1; i-- > 0;) {
      ConfigNode parent = ConfigNode::Map(entry.key_mark);
      parent.entries.push_back(std::move(nested));
      nested = ConfigMapEntry{std::move(segments[i]), entry.key_mark, std::move(parent), true};
    }
    index.Merge(std::move(nested));
  }
  node->entries = std::move(expanded);
}

}  // namespace

void ExpandDottedKeys(ConfigNode* node, std::vector<ConfigProblem>* problems) {
  Expand(node, "", problems);
}

}  // namespace failover
