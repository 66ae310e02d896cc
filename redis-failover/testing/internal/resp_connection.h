// A blocking RESP2 client connection over TCP/IPv4 in which every operation is bounded by an
// absolute deadline on the monotonic clock. RedisServer uses one per Command() so that checks
// made by a test never share state with the client under test.
//
//   auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
//   absl::StatusOr<std::unique_ptr<RespConnection>> c =
//       RespConnection::Connect("127.0.0.1", port, deadline);
//   absl::StatusOr<RespReply> pong = (*c)->Call({"PING"}, deadline);
//
// Errors: Unavailable (refused, reset, closed by the server), DeadlineExceeded (no complete
// reply or no connection in time), InvalidArgument (the peer does not speak RESP2).
// Thread-compatible.
#ifndef FAILOVER_REDIS_FAILOVER_TESTING_INTERNAL_RESP_CONNECTION_H_
#define FAILOVER_REDIS_FAILOVER_TESTING_INTERNAL_RESP_CONNECTION_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "redis-failover/testing/internal/resp.h"

namespace failover {
namespace redis_testing {
namespace internal {

class RespConnection {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  // `host` is a numeric IPv4 address.
  static absl::StatusOr<std::unique_ptr<RespConnection>> Connect(const std::string& host, int port,
                                                                 Deadline deadline);

  RespConnection(const RespConnection&) = delete;
  RespConnection& operator=(const RespConnection&) = delete;
  ~RespConnection();

  // Sends `args` as one command (an array of bulk strings) and waits for its reply. A reply
  // that is a Redis error ("-ERR ...") is a successful call with `is_error` set.
  absl::StatusOr<RespReply> Call(const std::vector<std::string>& args, Deadline deadline);

 private:
  explicit RespConnection(int fd) : fd_(fd) {}

  absl::Status SendAll(const std::string& bytes, Deadline deadline);
  absl::StatusOr<RespReply> ReadReply(Deadline deadline);

  const int fd_;        // Non-blocking socket, owned.
  std::string unread_;  // Bytes received but not yet parsed into a reply.
};

}  // namespace internal
}  // namespace redis_testing
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_TESTING_INTERNAL_RESP_CONNECTION_H_
