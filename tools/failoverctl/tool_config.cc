#include "tools/failoverctl/tool_config.h"

#include "absl/strings/str_cat.h"
#include "core/config/failover_config_loader.h"
#include "naming-client/naming_config.h"

namespace failover {

absl::Status AddSections(ConfigLoader& loader, std::optional<SectionHandle<FailoverConfig>>* root,
                         std::optional<SectionHandle<redis::RedisConfig>>* redis) {
  absl::StatusOr<SectionHandle<FailoverConfig>> root_handle = AddFailoverSection(loader);
  if (!root_handle.ok()) return root_handle.status();
  root->emplace(*root_handle);
  absl::StatusOr<SectionHandle<redis::RedisConfig>> redis_handle = redis::AddRedisSection(loader);
  if (!redis_handle.ok()) return redis_handle.status();
  redis->emplace(*redis_handle);
  return naming::AddNamingSection(loader).status();
}

std::string Located(const std::string& file, const ConfigProblem& problem) {
  if (!problem.env_var.empty()) {
    if (problem.env_var == problem.path) return absl::StrCat("env ", problem.Message());
    return absl::StrCat("env ", EscapeForMessage(problem.env_var), ": ", problem.Message());
  }
  if (problem.line > 0) {
    return absl::StrCat(file, ":", problem.line, ":", problem.column, ": ", problem.Message());
  }
  return absl::StrCat(file, ": ", problem.Message());
}

absl::StatusOr<FailoverConfig> LoadToolFailoverConfig(const std::string& file,
                                                      const Environment& env, std::ostream& err) {
  ConfigLoader loader;
  std::optional<SectionHandle<FailoverConfig>> root;
  std::optional<SectionHandle<redis::RedisConfig>> redis;
  if (absl::Status s = AddSections(loader, &root, &redis); !s.ok()) return s;
  absl::StatusOr<ConfigLoadResult> result = loader.LoadFile(file, env);
  if (!result.ok()) {
    err << "ERROR: " << result.status().message() << "\n";
    return result.status();
  }
  for (const ConfigProblem& warning : result->warnings()) {
    err << "warning: " << Located(file, warning) << "\n";
  }
  if (!result->ok()) {
    for (const ConfigProblem& problem : result->problems()) err << Located(file, problem) << "\n";
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": ", result->problems().size(), " configuration problem(s)"));
  }
  return result->Get(*root);
}

}  // namespace failover
