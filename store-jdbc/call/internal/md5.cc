#include "store-jdbc/call/internal/md5.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace failover {
namespace call_internal {
namespace {

// EVP_Digest with EVP_md5() looks the algorithm up and allocates a context on every call
// (OpenSSL 3), which was most of a key's cost. The algorithm is fetched once for the process
// and each thread keeps one context.
const EVP_MD* Md5Algorithm() {
  static const EVP_MD* const md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  return md5;
}

struct ThreadDigestContext {
  ThreadDigestContext() : ctx(EVP_MD_CTX_new()) {}
  ~ThreadDigestContext() { EVP_MD_CTX_free(ctx); }
  EVP_MD_CTX* const ctx;
};

}  // namespace

std::array<uint8_t, 16> Md5(absl::string_view bytes) {
  thread_local ThreadDigestContext context;
  std::array<uint8_t, 16> digest{};
  unsigned int length = 0;
  // These fail only on allocation failure or a missing algorithm; neither is recoverable and a
  // wrong key would silently split the store, so stop.
  const EVP_MD* md5 = Md5Algorithm();
  if (md5 == nullptr || context.ctx == nullptr ||
      EVP_DigestInit_ex2(context.ctx, md5, nullptr) != 1 ||
      EVP_DigestUpdate(context.ctx, bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(context.ctx, digest.data(), &length) != 1 || length != digest.size()) {
    std::abort();
  }
  return digest;
}

}  // namespace call_internal
}  // namespace failover
