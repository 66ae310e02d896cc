// The loader's own document tree: what a YAML file (or an environment override) says, before any
// typing. The YAML adapter (yaml_parser.h) produces it; schemas bind it into config structs. Keys
// and scalars are kept as written; positions are 1-based.
//
//   ConfigNode root = ParseYaml("failover.store.type: jdbc").root;
//   ExpandDottedKeys(&root, &problems);  // failover -> store -> type: "jdbc"
#ifndef FAILOVER_CORE_CONFIG_CONFIG_NODE_H_
#define FAILOVER_CORE_CONFIG_CONFIG_NODE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/config/config_problem.h"

namespace failover {

// A position in the YAML text. 0 means unknown.
struct SourceMark {
  int line = 0;    // 1-based
  int column = 0;  // 1-based
};

struct ConfigMapEntry;

// One node of the tree. A plain value; thread-compatible.
struct ConfigNode {
  enum class Kind { kNull, kScalar, kSequence, kMap };

  static ConfigNode Scalar(std::string text, SourceMark mark = {});
  static ConfigNode Map(SourceMark mark = {});

  Kind kind = Kind::kNull;              // kNull: the key is present with no value ("key:", "~")
  std::string scalar;                   // kScalar: the text as written, quotes removed
  std::vector<ConfigNode> items;        // kSequence: the elements in order
  std::vector<ConfigMapEntry> entries;  // kMap: the entries in document order, duplicates kept
  SourceMark mark;                      // where the value starts
  std::string env_var;                  // set when the value came from an environment variable
};

struct ConfigMapEntry {
  std::string key;      // as written
  SourceMark key_mark;  // where the key starts
  ConfigNode value;
  // Set by ExpandDottedKeys on entries it created; those merge with same-named sibling maps
  // instead of counting as duplicate keys.
  bool from_dotted_key = false;
};

// "nothing", "a scalar", "a list" or "a map", for messages.
absl::string_view KindName(ConfigNode::Kind kind);

// Splits a key the way Spring reads property names: on '.', with "[...]" kept verbatim
// ("tenants[acme.eu]" -> {"tenants", "acme.eu"}, "[a.b]" -> {"a.b"}).
std::vector<std::string> SplitKeyPath(absl::string_view key);

// Rewrites every map key that is a dotted path ("failover.store.type: x") into nested maps, merging
// with maps already present under the same key, so flat and nested YAML bind alike. A key with an
// empty segment ("store..type", ".type", "type.", "a[]") is dropped and reported to `problems`.
void ExpandDottedKeys(ConfigNode* node, std::vector<ConfigProblem>* problems);

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_CONFIG_NODE_H_
