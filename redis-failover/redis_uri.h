// Redis endpoint addresses and the `redis://` URIs that name them.
//
//   absl::StatusOr<failover::redis::RedisAddress> a =
//       failover::redis::ParseRedisUri("redis://app:s3cret@10.0.0.7:6380/2");
//   // a->host == "10.0.0.7", a->port == 6380, a->user == "app", a->password == "s3cret",
//   // a->db == 2
//
// Accepted form (as redis-py and Jedis): redis://[[user][:password]@]host[:port][/db], host a
// name, an IPv4 address or a bracketed IPv6 address; user and password percent-decoded. Errors
// name the URI (with the password masked) and what is wrong.
#ifndef FAILOVER_REDIS_FAILOVER_REDIS_URI_H_
#define FAILOVER_REDIS_FAILOVER_REDIS_URI_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace failover {
namespace redis {

// Where one Redis server is and how to log in. Plain value type.
struct RedisAddress {
  std::string host;
  int port = 6379;
  std::string user;      // Empty: AUTH with the password only (or no AUTH).
  std::string password;  // Empty: no AUTH.
  int db = 0;            // SELECTed after connecting when not 0.

  // "redis://user:****@host:port/db": never shows the password.
  std::string ToString() const;
};

absl::StatusOr<RedisAddress> ParseRedisUri(absl::string_view uri);

// `text` (a URI, well-formed or not) as it may appear in a message: everything before its last
// '@' that may hold a password becomes ****; a user name before the first ':' is kept. Covers
// malformed forms too ("redis:/:pw@h", "redis://pw@h", a password with an unescaped '/').
std::string RedactRedisUri(absl::string_view text);

}  // namespace redis
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_REDIS_URI_H_
