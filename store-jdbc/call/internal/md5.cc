#include "store-jdbc/call/internal/md5.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace failover {
namespace call_internal {

std::array<uint8_t, 16> Md5(absl::string_view bytes) {
  std::array<uint8_t, 16> digest{};
  unsigned int length = 0;
  // EVP_Digest fails only on allocation failure or a missing algorithm; neither is recoverable
  // and a wrong key would silently split the store, so stop.
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_md5(), nullptr) != 1 ||
      length != digest.size()) {
    std::abort();
  }
  return digest;
}

}  // namespace call_internal
}  // namespace failover
