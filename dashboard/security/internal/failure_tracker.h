// FailureTracker: failed logins in a row per key (a user name or a client address) and the
// lockouts they start. Bounded: at `capacity` keys, keys that are not locked out are forgotten
// first, and a new key is not tracked while every tracked key is locked out.
// Thread-compatible: the Authenticator guards it with its mutex.
#ifndef FAILOVER_DASHBOARD_SECURITY_INTERNAL_FAILURE_TRACKER_H_
#define FAILOVER_DASHBOARD_SECURITY_INTERNAL_FAILURE_TRACKER_H_

#include <cstddef>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/clock.h"

namespace failover {
namespace dashboard {
namespace security_internal {

class FailureTracker {
 public:
  FailureTracker(int max_failures, absl::Duration lockout, size_t capacity)
      : max_failures_(max_failures), lockout_(lockout), capacity_(capacity) {}

  // How long `key` stays locked out after `now`; zero when it is not locked out.
  absl::Duration LockedFor(absl::string_view key, MonotonicTime now) const;

  // Counts a failure of `key`. True when it starts a lockout (the count then starts over).
  bool RecordFailure(absl::string_view key, MonotonicTime now);

  // A success: the count of `key` starts over.
  void Reset(absl::string_view key, MonotonicTime now);

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    int failures = 0;
    MonotonicTime locked_until = MonotonicTime::InfinitePast();
  };

  const int max_failures_;
  const absl::Duration lockout_;
  const size_t capacity_;
  absl::flat_hash_map<std::string, Entry> entries_;
};

}  // namespace security_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_SECURITY_INTERNAL_FAILURE_TRACKER_H_
