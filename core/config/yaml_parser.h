// Reads YAML text into a ConfigNode tree. This is the only place that knows about yaml-cpp; its
// exceptions and types never leave yaml_parser.cc.
//
//   ParsedYaml parsed = ParseYaml("failover:\n  type: basic\n");
//   if (!parsed.problems.empty()) { ... }  // syntax errors, with line and column
//   const ConfigNode& root = parsed.root;
#ifndef FAILOVER_CORE_CONFIG_YAML_PARSER_H_
#define FAILOVER_CORE_CONFIG_YAML_PARSER_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "core/config/config_node.h"
#include "core/config/config_problem.h"

namespace failover {

struct ParsedYaml {
  // The document; kNull for an empty (or comment-only) text or after a syntax error.
  ConfigNode root;
  // Syntax errors and constructs the loader does not support (several documents, non-scalar
  // keys, alias cycles). Empty when the text parsed cleanly.
  std::vector<ConfigProblem> problems;
};

// Parses a single YAML document. Scalars keep their text; quoted and plain scalars are alike
// except that a plain "~", "null" or nothing is kNull. Thread-safe.
ParsedYaml ParseYaml(absl::string_view text);

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_YAML_PARSER_H_
