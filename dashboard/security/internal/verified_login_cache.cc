#include "dashboard/security/internal/verified_login_cache.h"

namespace failover {
namespace dashboard {
namespace security_internal {

bool VerifiedLoginCache::Contains(const std::string& digest, MonotonicTime now) const {
  const auto it = expiry_.find(digest);
  return it != expiry_.end() && now < it->second;
}

void VerifiedLoginCache::Insert(const std::string& digest, MonotonicTime now) {
  if (expiry_.size() >= capacity_ && expiry_.find(digest) == expiry_.end()) {
    auto oldest = expiry_.end();
    for (auto it = expiry_.begin(); it != expiry_.end();) {
      if (it->second <= now) {
        expiry_.erase(it++);  // Invalidates only the erased element.
        continue;
      }
      if (oldest == expiry_.end() || it->second < oldest->second) oldest = it;
      ++it;
    }
    if (expiry_.size() >= capacity_ && oldest != expiry_.end()) expiry_.erase(oldest);
  }
  expiry_[digest] = now + ttl_;
}

}  // namespace security_internal
}  // namespace dashboard
}  // namespace failover
