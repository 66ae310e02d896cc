// The parsed form of a password hash (password_hash.h), for the Authenticator, which parses each
// configured hash once and verifies against the parsed form on every login.
#ifndef FAILOVER_DASHBOARD_SECURITY_INTERNAL_PBKDF2_HASH_H_
#define FAILOVER_DASHBOARD_SECURITY_INTERNAL_PBKDF2_HASH_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace failover {
namespace dashboard {
namespace security_internal {

inline constexpr size_t kPbkdf2HashBytes = 32;  // SHA-256 output.
inline constexpr size_t kPbkdf2SaltBytes = 16;  // Written by HashPassword; the minimum accepted.

struct Pbkdf2Hash {
  int iterations = 0;
  std::string salt;  // Raw bytes.
  std::string hash;  // Raw bytes, kPbkdf2HashBytes long.
};

// InvalidArgument naming the malformed part.
absl::StatusOr<Pbkdf2Hash> ParsePbkdf2Hash(absl::string_view encoded);

// "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>".
std::string FormatPbkdf2Hash(const Pbkdf2Hash& hash);

// PBKDF2-HMAC-SHA256(password, salt, iterations), kPbkdf2HashBytes long.
std::string DerivePbkdf2(absl::string_view password, absl::string_view salt, int iterations);

// Runs the full derivation and compares in constant time.
bool MatchesPassword(const Pbkdf2Hash& hash, absl::string_view password);

}  // namespace security_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_SECURITY_INTERNAL_PBKDF2_HASH_H_
