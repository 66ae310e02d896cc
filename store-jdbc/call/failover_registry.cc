#include "store-jdbc/call/failover_registry.h"

#include "absl/strings/str_cat.h"

namespace failover {

FailoverRegistry::FailoverRegistry(MetricsRegistry& metrics)
    : metrics_(metrics), registered_(metrics.GetGauge(kRegisteredGauge)) {}

absl::Status FailoverRegistry::Register(absl::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("failover name: must not be empty");
  MutexLock lock(&mu_);
  if (!names_.emplace(name).second) {
    return absl::AlreadyExistsError(
        absl::StrCat("failover '", name, "' is already registered; failover names are unique"));
  }
  registered_.Set(static_cast<double>(names_.size()));
  return absl::OkStatus();
}

void FailoverRegistry::Unregister(absl::string_view name) {
  MutexLock lock(&mu_);
  auto it = names_.find(name);
  if (it == names_.end()) return;
  names_.erase(it);
  registered_.Set(static_cast<double>(names_.size()));
}

std::vector<std::string> FailoverRegistry::names() const {
  MutexLock lock(&mu_);
  return std::vector<std::string>(names_.begin(), names_.end());
}

}  // namespace failover
