#include "dashboard/security/password_hash.h"

#include <algorithm>

#include "dashboard/security/internal/pbkdf2_hash.h"

namespace failover {
namespace dashboard {

using security_internal::Pbkdf2Hash;

std::string HashPassword(absl::string_view password, RandomSource& random, int iterations) {
  Pbkdf2Hash hash;
  hash.iterations = std::clamp(iterations, kMinPbkdf2Iterations, kMaxPbkdf2Iterations);
  hash.salt.resize(security_internal::kPbkdf2SaltBytes);
  for (char& byte : hash.salt) {
    // Uniform01() carries at least 8 random high-order bits.
    byte = static_cast<char>(std::min(255, static_cast<int>(random.Uniform01() * 256)));
  }
  hash.hash = security_internal::DerivePbkdf2(password, hash.salt, hash.iterations);
  return security_internal::FormatPbkdf2Hash(hash);
}

absl::StatusOr<bool> VerifyPassword(absl::string_view encoded, absl::string_view password) {
  absl::StatusOr<Pbkdf2Hash> hash = security_internal::ParsePbkdf2Hash(encoded);
  if (!hash.ok()) return hash.status();
  return security_internal::MatchesPassword(*hash, password);
}

absl::Status ValidatePasswordHash(absl::string_view encoded) {
  return security_internal::ParsePbkdf2Hash(encoded).status();
}

}  // namespace dashboard
}  // namespace failover
