// The slice of RESP2 (the Redis wire protocol) that RedisServer::Command() needs: encoding a
// command as an array of bulk strings, and turning one reply into text.
//
//   std::string wire = EncodeCommand({"SET", "k", "v"});  // "*3\r\n$3\r\nSET\r\n..."
//   RespReply reply;
//   absl::StatusOr<size_t> used = ParseReply(buffer, &reply);
//   // *used == 0: incomplete, read more; *used > 0: `reply` holds the first reply.
//
// Text rendering (as RedisServer::Command() documents it): simple and bulk strings as they are,
// integers as digits, nil as "(nil)", errors with their leading "-", arrays as their elements
// joined by "\n" (nested arrays flattened), an empty array as "(empty array)".
// Free functions on values; thread-safe.
#ifndef FAILOVER_REDIS_FAILOVER_TESTING_INTERNAL_RESP_H_
#define FAILOVER_REDIS_FAILOVER_TESTING_INTERNAL_RESP_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace failover {
namespace redis_testing {
namespace internal {

struct RespReply {
  std::string text;       // Rendered as described above.
  bool is_error = false;  // The top-level reply is an error ("-...").
};

std::string EncodeCommand(const std::vector<std::string>& args);

// Parses the first reply in `data`. Returns the bytes it occupies and fills `*reply`, returns
// 0 when `data` holds only a prefix of a reply, or an InvalidArgument error when `data` is not
// RESP2 (unknown type byte, bad length, arrays nested deeper than 32).
absl::StatusOr<size_t> ParseReply(absl::string_view data, RespReply* reply);

}  // namespace internal
}  // namespace redis_testing
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_TESTING_INTERNAL_RESP_H_
