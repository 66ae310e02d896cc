#include "core/config/config_problem.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace failover {

std::string ConfigProblem::Message() const {
  std::string out;
  if (!path.empty()) absl::StrAppend(&out, path, ": ");
  if (value.has_value()) absl::StrAppend(&out, "'", *value, "' ");
  absl::StrAppend(&out, expected);
  return out;
}

std::string ConfigProblem::ToString() const {
  std::string out = Message();
  if (!env_var.empty()) {
    if (env_var != path) absl::StrAppend(&out, " (from environment variable ", env_var, ")");
  } else if (line > 0) {
    absl::StrAppend(&out, " (line ", line);
    if (column > 0) absl::StrAppend(&out, ", column ", column);
    absl::StrAppend(&out, ")");
  }
  return out;
}

std::string JoinProblems(const std::vector<ConfigProblem>& problems) {
  return absl::StrJoin(problems, "\n", [](std::string* out, const ConfigProblem& problem) {
    out->append(problem.ToString());
  });
}

}  // namespace failover
