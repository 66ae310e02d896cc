// VerifiedLoginCache: logins whose password was verified recently, so a polling UI does not pay
// for PBKDF2 on every request. Holds keyed digests (KeyedHasher) of user name and password, never
// the password. Entries expire `ttl` after they were verified; at `capacity` the expired ones
// and then the oldest are dropped. Thread-compatible: the Authenticator guards it.
#ifndef FAILOVER_DASHBOARD_SECURITY_INTERNAL_VERIFIED_LOGIN_CACHE_H_
#define FAILOVER_DASHBOARD_SECURITY_INTERNAL_VERIFIED_LOGIN_CACHE_H_

#include <cstddef>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/clock.h"

namespace failover {
namespace dashboard {
namespace security_internal {

class VerifiedLoginCache {
 public:
  VerifiedLoginCache(absl::Duration ttl, size_t capacity) : ttl_(ttl), capacity_(capacity) {}

  // Whether `digest` was verified less than `ttl` before `now`. Lookups hash the digest, whose
  // bits are uniformly random: timing reveals nothing about the password.
  bool Contains(const std::string& digest, MonotonicTime now) const;

  void Insert(const std::string& digest, MonotonicTime now);

  size_t size() const { return expiry_.size(); }

 private:
  const absl::Duration ttl_;
  const size_t capacity_;
  absl::flat_hash_map<std::string, MonotonicTime> expiry_;
};

}  // namespace security_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_SECURITY_INTERNAL_VERIFIED_LOGIN_CACHE_H_
