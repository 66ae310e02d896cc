#include "core/config/failover_config_loader.h"

#include "core/config/failover_config_schema.h"

namespace failover {
namespace {

absl::StatusOr<FailoverConfig> Extract(const ConfigLoadResult& result,
                                       SectionHandle<FailoverConfig> handle) {
  if (!result.ok()) return result.status();
  return result.Get(handle);
}

}  // namespace

absl::StatusOr<SectionHandle<FailoverConfig>> AddFailoverSection(ConfigLoader& loader) {
  return loader.AddSection(kFailoverConfigPath, FailoverConfigSchema());
}

absl::StatusOr<FailoverConfig> LoadFailoverConfig(absl::string_view yaml_text,
                                                  const Environment& env) {
  ConfigLoader loader;
  absl::StatusOr<SectionHandle<FailoverConfig>> handle = AddFailoverSection(loader);
  if (!handle.ok()) return handle.status();
  return Extract(loader.Load(yaml_text, env), *handle);
}

absl::StatusOr<FailoverConfig> LoadFailoverConfigFile(const std::string& path,
                                                      const Environment& env) {
  ConfigLoader loader;
  absl::StatusOr<SectionHandle<FailoverConfig>> handle = AddFailoverSection(loader);
  if (!handle.ok()) return handle.status();
  absl::StatusOr<ConfigLoadResult> result = loader.LoadFile(path, env);
  if (!result.ok()) return result.status();
  return Extract(*result, *handle);
}

}  // namespace failover
