// KeyedHasher: HMAC-SHA256 under a random key drawn once per process (per Authenticator), so
// digests of passwords and tokens kept in memory are useless outside this process and cannot be
// looked up in precomputed tables. Thread-safe (immutable after Create).
#ifndef FAILOVER_DASHBOARD_SECURITY_INTERNAL_KEYED_HASHER_H_
#define FAILOVER_DASHBOARD_SECURITY_INTERNAL_KEYED_HASHER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace failover {
namespace dashboard {
namespace security_internal {

class KeyedHasher {
 public:
  // Draws the key from OpenSSL's CSPRNG (RAND_bytes): a secret key needs unpredictable bytes,
  // which RandomSource does not promise. Internal when none are available.
  static absl::StatusOr<std::unique_ptr<KeyedHasher>> Create();

  // 32 bytes. Distinct (first, second) pairs never collide by concatenation.
  std::string Digest(absl::string_view first, absl::string_view second = "") const;

  // Constant-time equality of two digests.
  static bool Equal(absl::string_view a, absl::string_view b);

 private:
  explicit KeyedHasher(std::string key) : key_(std::move(key)) {}
  const std::string key_;
};

}  // namespace security_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_SECURITY_INTERNAL_KEYED_HASHER_H_
