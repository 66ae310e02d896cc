// One thing wrong with a configuration (or worth a warning), located as precisely as the loader
// knows: the dotted property path, the offending value, what was expected, and the YAML line or
// the environment variable it came from.
//
//   ConfigProblem p{"failover.store.jdbc.table-prefix", "A;B",
//                   "may contain only letters, digits, underscores and dots", 12, 21};
//   p.ToString();  // "failover.store.jdbc.table-prefix: 'A;B' may contain only letters, digits,
//                  //  underscores and dots (line 12, column 21)"
#ifndef FAILOVER_CORE_CONFIG_CONFIG_PROBLEM_H_
#define FAILOVER_CORE_CONFIG_CONFIG_PROBLEM_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace failover {

// A plain value; thread-compatible.
struct ConfigProblem {
  // Dotted property path, e.g. "failover.scatter.timeout"; empty for document-level problems
  // (YAML syntax errors).
  std::string path;
  // The offending value as written; nullopt when there is none (an unknown key holding a map, a
  // missing value). Secret properties show "****".
  std::optional<std::string> value;
  // What is wrong, phrased to follow the value: "is not a duration (expected e.g. 500ms, 10s, 7d
  // or PT10S)", "unknown property; did you mean failover.store.type?".
  std::string expected;
  // 1-based position in the YAML text; 0 when unknown or when the value came from the environment.
  int line = 0;
  int column = 0;
  // The environment variable the value came from; empty when it came from the file.
  std::string env_var;

  // "path: 'value' expected", without the location; path and value pass through EscapeForMessage.
  std::string Message() const;
  // Message() plus " (line L, column C)" or " (from environment variable NAME)" when known.
  std::string ToString() const;
};

// `text` with control characters and bytes that are not valid UTF-8 written as escapes ("\r",
// "\n", "\t", "\0", "\x7F"), so a message stays on one line and shows what the value holds.
std::string EscapeForMessage(absl::string_view text);

// Every problem's ToString(), one per line.
std::string JoinProblems(const std::vector<ConfigProblem>& problems);

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_CONFIG_PROBLEM_H_
