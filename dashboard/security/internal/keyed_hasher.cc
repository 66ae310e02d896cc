#include "dashboard/security/internal/keyed_hasher.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace failover {
namespace dashboard {
namespace security_internal {

absl::StatusOr<std::unique_ptr<KeyedHasher>> KeyedHasher::Create() {
  std::string key(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) {
    return absl::InternalError("dashboard security: no random bytes for the credential cache key");
  }
  return std::unique_ptr<KeyedHasher>(new KeyedHasher(std::move(key)));
}

std::string KeyedHasher::Digest(absl::string_view first, absl::string_view second) const {
  // The length prefix keeps ("ab", "c") and ("a", "bc") apart.
  const std::string message = absl::StrCat(first.size(), ":", first, second);
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(),
           reinterpret_cast<unsigned char*>(out.data()), &length) == nullptr) {
    // Fails only when OpenSSL cannot allocate memory.
    std::abort();
  }
  out.resize(length);
  return out;
}

bool KeyedHasher::Equal(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace security_internal
}  // namespace dashboard
}  // namespace failover
