#include "dashboard/server/random_secret.h"

#include <openssl/rand.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"

namespace failover {
namespace dashboard {

absl::StatusOr<std::string> RandomSecret(size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (bytes > 0 && RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1) {
    return absl::InternalError("OpenSSL's random generator failed (RAND_bytes)");
  }
  return absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(buffer.data()), buffer.size()));
}

}  // namespace dashboard
}  // namespace failover
