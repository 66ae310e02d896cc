#include "core/config/config_node.h"

#include <utility>

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

// Adds `entry` to `entries`. When it or an existing same-named map entry came from a dotted key,
// their children are merged; plain duplicates stay, so the binder can report them.
void MergeEntry(std::vector<ConfigMapEntry>& entries, ConfigMapEntry entry) {
  if (entry.value.kind == ConfigNode::Kind::kMap) {
    for (ConfigMapEntry& existing : entries) {
      if (existing.key == entry.key && existing.value.kind == ConfigNode::Kind::kMap &&
          (existing.from_dotted_key || entry.from_dotted_key)) {
        for (ConfigMapEntry& child : entry.value.entries) {
          MergeEntry(existing.value.entries, std::move(child));
        }
        return;
      }
    }
  }
  entries.push_back(std::move(entry));
}

bool NeedsSplitting(absl::string_view key) {
  return key.find('.') != absl::string_view::npos || key.find('[') != absl::string_view::npos;
}

}  // namespace

void ExpandDottedKeys(ConfigNode* node) {
  for (ConfigNode& item : node->items) ExpandDottedKeys(&item);
  if (node->kind != ConfigNode::Kind::kMap) return;
  std::vector<ConfigMapEntry> expanded;
  for (ConfigMapEntry& entry : node->entries) {
    ExpandDottedKeys(&entry.value);
    if (!NeedsSplitting(entry.key)) {
      MergeEntry(expanded, std::move(entry));
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
    MergeEntry(expanded, std::move(nested));
  }
  node->entries = std::move(expanded);
}

}  // namespace failover
