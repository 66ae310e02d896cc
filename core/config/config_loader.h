// Loads configuration for any number of registered sections from one YAML text plus environment
// overrides, in one pass, collecting every problem. The framework registers its root section
// ("failover", see failover_config_loader.h); modules register theirs ("failover.redis") on the
// same loader, so unknown keys are judged against all of them together.
//
//   ConfigLoader loader;
//   absl::StatusOr<SectionHandle<FailoverConfig>> root = AddFailoverSection(loader);
//   absl::StatusOr<SectionHandle<RedisConfig>> redis =
//       loader.AddSection("failover.redis", RedisConfigSchema());
//   ConfigLoadResult result = loader.Load(yaml_text, ProcessEnvironment());
//   if (!result.ok()) return result.status();  // every problem, one per line
//   const RedisConfig& redis_config = result.Get(*redis);
//
// Precedence, highest first: environment variables, the YAML text, the structs' defaults.
#ifndef FAILOVER_CORE_CONFIG_CONFIG_LOADER_H_
#define FAILOVER_CORE_CONFIG_CONFIG_LOADER_H_

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/config/config_problem.h"
#include "core/config/config_schema.h"
#include "core/config/environment.h"
#include "core/config/internal/section_spec.h"
#include "core/config/property_description.h"

namespace failover {

// Names a section registered with one ConfigLoader; pass it to that loader's results' Get().
template <typename T>
class SectionHandle {
 private:
  friend class ConfigLoader;
  friend class ConfigLoadResult;
  SectionHandle(uint64_t loader_id, size_t index) : loader_id_(loader_id), index_(index) {}
  uint64_t loader_id_;
  size_t index_;
};

// The outcome of ConfigLoader::Load(). Immutable once returned; safe to read from many threads.
class ConfigLoadResult {
 public:
  // True when there are no problems (warnings allowed).
  bool ok() const { return problems_.empty(); }
  // OK, or InvalidArgument whose message lists every problem, one per line.
  absl::Status status() const;

  // Errors: the configuration must not be used. Ordered by line, then those from environment
  // variables, then those without a location.
  const std::vector<ConfigProblem>& problems() const { return problems_; }
  // Worth reading but not fatal: unused FAILOVER_* look-alike variables, odd combinations.
  const std::vector<ConfigProblem>& warnings() const { return warnings_; }
  // Environment variables that overrode a property, in the order applied.
  const std::vector<std::string>& applied_env_vars() const { return applied_env_vars_; }
  // Properties given a value by the file or the environment.
  int properties_set() const { return properties_set_; }

  // The bound section. When !ok() it holds what could be bound, defaults elsewhere. `handle`
  // must come from the loader that produced this result (checked; aborts otherwise).
  template <typename T>
  const T& Get(SectionHandle<T> handle) const {
    if (handle.loader_id_ != loader_id_ || handle.index_ >= sections_.size()) {
      AbortForeignHandle();
    }
    return *static_cast<const T*>(sections_[handle.index_].get());
  }

 private:
  friend class ConfigLoader;
  [[noreturn]] static void AbortForeignHandle();

  uint64_t loader_id_ = 0;
  std::vector<std::shared_ptr<const void>> sections_;
  std::vector<ConfigProblem> problems_;
  std::vector<ConfigProblem> warnings_;
  std::vector<std::string> applied_env_vars_;
  int properties_set_ = 0;
};

// Registration is not thread-safe; once sections are registered, Load() and LoadFile() may be
// called from many threads at once (they only read the loader).
class ConfigLoader {
 public:
  ConfigLoader();

  // Registers `schema` at dotted `path` (e.g. "failover.redis"). Fails when the path is malformed
  // or taken, when it collides with a key another registered section declares, or when the
  // schema's declaration has mistakes.
  template <typename T>
  absl::StatusOr<SectionHandle<T>> AddSection(absl::string_view path,
                                              const ConfigSchema<T>& schema) {
    absl::Status status = AddSectionSpec(
        path, schema.CopySpec(), [] { return std::shared_ptr<void>(std::make_shared<T>()); });
    if (!status.ok()) return status;
    return SectionHandle<T>(id_, sections_.size() - 1);
  }

  // Binds every registered section from `yaml_text` and `env`.
  ConfigLoadResult Load(absl::string_view yaml_text, const Environment& env) const;
  // The same for a file; NotFound / PermissionDenied etc. when it cannot be read,
  // FailedPrecondition when it is not a regular file or is larger than 16 MiB.
  absl::StatusOr<ConfigLoadResult> LoadFile(const std::string& path, const Environment& env) const;

  // Every property of every registered section, in declaration order.
  std::vector<PropertyDescription> DescribeProperties() const;

 private:
  struct Registered {
    std::string path;
    std::shared_ptr<const config_internal::SectionSpec> spec;
    std::function<std::shared_ptr<void>()> make;
  };

  absl::Status AddSectionSpec(absl::string_view path,
                              std::shared_ptr<const config_internal::SectionSpec> spec,
                              std::function<std::shared_ptr<void>()> make);

  uint64_t id_;
  std::vector<Registered> sections_;
};

}  // namespace failover

#endif  // FAILOVER_CORE_CONFIG_CONFIG_LOADER_H_
