#include "dashboard/security/internal/pbkdf2_hash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "dashboard/security/password_hash.h"

namespace failover {
namespace dashboard {
namespace security_internal {
namespace {

constexpr absl::string_view kScheme = "pbkdf2-sha256";

absl::Status Malformed(absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("password hash: ", what, " (expected ", kScheme,
                   "$<iterations>$<salt base64>$<hash base64>, as printed by `failoverctl "
                   "dashboard hash-password`)"));
}

// Standard base64 with padding, as HashPassword writes it; anything else (other alphabets,
// missing padding, stray characters) is refused rather than guessed at.
bool DecodeCanonicalBase64(absl::string_view text, std::string* out) {
  if (text.empty() || !absl::Base64Unescape(text, out)) return false;
  return absl::Base64Escape(*out) == text;
}

}  // namespace

absl::StatusOr<Pbkdf2Hash> ParsePbkdf2Hash(absl::string_view encoded) {
  const std::vector<absl::string_view> parts = absl::StrSplit(encoded, '$');
  if (parts[0] != kScheme) {
    return Malformed(absl::StrCat("scheme must be '", kScheme, "'"));
  }
  if (parts.size() != 4) {
    return Malformed(absl::StrCat("has ", parts.size(), " '$'-separated parts, not 4"));
  }
  Pbkdf2Hash hash;
  const bool digits =
      !parts[1].empty() && std::all_of(parts[1].begin(), parts[1].end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      });
  if (!digits) return Malformed("iterations must be a number");
  uint64_t iterations = 0;
  if (!absl::SimpleAtoi(parts[1], &iterations) || iterations > kMaxPbkdf2Iterations) {
    return Malformed(
        absl::StrCat("iterations ", parts[1], " is above the maximum ", kMaxPbkdf2Iterations));
  }
  if (iterations < kMinPbkdf2Iterations) {
    return Malformed(
        absl::StrCat("iterations ", parts[1], " is below the minimum ", kMinPbkdf2Iterations));
  }
  hash.iterations = static_cast<int>(iterations);
  if (!DecodeCanonicalBase64(parts[2], &hash.salt)) {
    return Malformed("salt is not valid base64");
  }
  if (hash.salt.size() < kPbkdf2SaltBytes) {
    return Malformed(absl::StrCat("salt is ", hash.salt.size(), " bytes, at least ",
                                  kPbkdf2SaltBytes, " required"));
  }
  if (!DecodeCanonicalBase64(parts[3], &hash.hash)) {
    return Malformed("hash is not valid base64");
  }
  if (hash.hash.size() != kPbkdf2HashBytes) {
    return Malformed(absl::StrCat("hash is ", hash.hash.size(), " bytes, not ", kPbkdf2HashBytes));
  }
  return hash;
}

std::string FormatPbkdf2Hash(const Pbkdf2Hash& hash) {
  return absl::StrCat(kScheme, "$", hash.iterations, "$", absl::Base64Escape(hash.salt), "$",
                      absl::Base64Escape(hash.hash));
}

std::string DerivePbkdf2(absl::string_view password, absl::string_view salt, int iterations) {
  std::string out(kPbkdf2HashBytes, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(out.size()),
                        reinterpret_cast<unsigned char*>(out.data())) != 1) {
    // OpenSSL fails here only when it cannot allocate memory; like a failed operator new, there
    // is nothing sensible to continue with.
    std::abort();
  }
  return out;
}

bool MatchesPassword(const Pbkdf2Hash& hash, absl::string_view password) {
  const std::string derived = DerivePbkdf2(password, hash.salt, hash.iterations);
  return derived.size() == hash.hash.size() &&
         CRYPTO_memcmp(derived.data(), hash.hash.data(), derived.size()) == 0;
}

}  // namespace security_internal
}  // namespace dashboard
}  // namespace failover
