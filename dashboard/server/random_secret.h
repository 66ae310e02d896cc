// RandomSecret: unguessable text for generated passwords and tokens, from OpenSSL's CSPRNG
// (core's RandomSource is for jitter and sampling, not for secrets).
//
//   absl::StatusOr<std::string> password = RandomSecret(18);  // 24 URL-safe characters
#ifndef FAILOVER_DASHBOARD_SERVER_RANDOM_SECRET_H_
#define FAILOVER_DASHBOARD_SERVER_RANDOM_SECRET_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace failover {
namespace dashboard {

// `bytes` random bytes as unpadded base64url (A-Z a-z 0-9 - _). Internal when the CSPRNG fails.
// Thread-safe.
absl::StatusOr<std::string> RandomSecret(size_t bytes);

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_SERVER_RANDOM_SECRET_H_
