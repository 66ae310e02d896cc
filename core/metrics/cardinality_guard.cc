#include "core/metrics/cardinality_guard.h"

#include <algorithm>
#include <optional>

#include "absl/strings/match.h"

namespace failover {

CardinalityGuard::CardinalityGuard(const CardinalityOptions& options)
    : enabled_(options.enabled), max_names_(static_cast<size_t>(std::max(options.max_apis, 0))) {}

bool CardinalityGuard::Guards(absl::string_view metric_name) {
  return absl::StartsWith(metric_name, "failover.") &&
         !absl::StartsWith(metric_name, "failover.metrics.");
}

bool CardinalityGuard::Admit(absl::string_view metric_name, const Tags& tags) {
  if (!enabled_ || !Guards(metric_name)) return true;
  const std::optional<absl::string_view> name = tags.Find("name");
  if (!name.has_value()) return true;
  MutexLock lock(&mu_);
  auto it = names_.find(*name);
  if (it != names_.end()) {
    ++it->second;
    return true;
  }
  if (names_.size() >= max_names_) return false;
  names_.emplace(*name, 1);
  return true;
}

void CardinalityGuard::Release(absl::string_view metric_name, const Tags& tags) {
  if (!enabled_ || !Guards(metric_name)) return;
  const std::optional<absl::string_view> name = tags.Find("name");
  if (!name.has_value()) return;
  MutexLock lock(&mu_);
  auto it = names_.find(*name);
  if (it == names_.end()) return;
  if (--it->second == 0) names_.erase(it);
}

size_t CardinalityGuard::admitted_names() const {
  MutexLock lock(&mu_);
  return names_.size();
}

}  // namespace failover
