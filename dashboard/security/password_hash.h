// Password hashes for the dashboard's HTTP Basic users (failover.dashboard.security.users[]):
// PBKDF2-HMAC-SHA256 with a random 16-byte salt, written as
//   pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>
// (standard base64 with padding; the hash is 32 bytes). Plain passwords are never stored.
//
//   std::string encoded = HashPassword("s3cret", SystemRandom());   // 600000 iterations
//   absl::StatusOr<bool> ok = VerifyPassword(encoded, "s3cret");     // true
//   absl::Status valid = ValidatePasswordHash(config_text);          // names the bad part
//
// One verification at the default cost takes about 0.2 s of CPU: callers that check the same
// credentials repeatedly cache successes (authenticator.h does). Pure functions; thread-safe.
#ifndef FAILOVER_DASHBOARD_SECURITY_PASSWORD_HASH_H_
#define FAILOVER_DASHBOARD_SECURITY_PASSWORD_HASH_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/random.h"

namespace failover {
namespace dashboard {

// OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
inline constexpr int kDefaultPbkdf2Iterations = 600000;
// Hashes with fewer iterations are refused: they are too cheap to brute-force.
inline constexpr int kMinPbkdf2Iterations = 100000;
// Hashes with more are refused too: one login would hold a server thread for minutes.
inline constexpr int kMaxPbkdf2Iterations = 10000000;

// Hashes `password` with a fresh salt drawn from `random`. `iterations` is clamped into
// [kMinPbkdf2Iterations, kMaxPbkdf2Iterations], so the result always passes
// ValidatePasswordHash().
std::string HashPassword(absl::string_view password, RandomSource& random,
                         int iterations = kDefaultPbkdf2Iterations);

// Whether `password` matches `encoded` (compared in constant time). InvalidArgument, as
// ValidatePasswordHash() words it, when `encoded` is malformed.
absl::StatusOr<bool> VerifyPassword(absl::string_view encoded, absl::string_view password);

// OK when `encoded` is a well-formed hash; otherwise InvalidArgument naming the bad part:
// "scheme ...", "iterations ...", "salt ...", "hash ...".
absl::Status ValidatePasswordHash(absl::string_view encoded);

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_SECURITY_PASSWORD_HASH_H_
