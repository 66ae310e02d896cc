#include "dashboard/security/internal/failure_tracker.h"

namespace failover {
namespace dashboard {
namespace security_internal {

absl::Duration FailureTracker::LockedFor(absl::string_view key, MonotonicTime now) const {
  const auto it = entries_.find(key);
  if (it == entries_.end() || it->second.locked_until <= now) return absl::ZeroDuration();
  return it->second.locked_until - now;
}

bool FailureTracker::RecordFailure(absl::string_view key, MonotonicTime now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= capacity_) {
      for (auto stale = entries_.begin(); stale != entries_.end();) {
        // flat_hash_map::erase(iterator) invalidates only the erased element.
        if (stale->second.locked_until <= now) {
          entries_.erase(stale++);
        } else {
          ++stale;
        }
      }
      if (entries_.size() >= capacity_) return false;
    }
    it = entries_.emplace(std::string(key), Entry()).first;
  }
  Entry& entry = it->second;
  if (++entry.failures < max_failures_) return false;
  entry.failures = 0;
  if (lockout_ <= absl::ZeroDuration()) return false;
  entry.locked_until = now + lockout_;
  return true;
}

void FailureTracker::Reset(absl::string_view key, MonotonicTime now) {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return;
  if (it->second.locked_until <= now) {
    entries_.erase(it);
  } else {
    it->second.failures = 0;  // A lockout a concurrent failure just started stays.
  }
}

}  // namespace security_internal
}  // namespace dashboard
}  // namespace failover
