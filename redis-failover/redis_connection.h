// RedisConnection: one TCP connection to one Redis server, with connect and socket timeouts,
// AUTH and SELECT done at connect time. The failover client keeps a pool of these per endpoint;
// application code normally goes through the client, not through a bare connection.
//
//   failover::redis::RedisConnectionOptions options;
//   options.connect_timeout = absl::Milliseconds(200);
//   options.socket_timeout = absl::Milliseconds(200);
//   auto connection = failover::redis::ConnectRedis(*ParseRedisUri(uri), options);
//   if (!connection.ok()) return connection.status();   // UNAVAILABLE, DEADLINE_EXCEEDED, ...
//   absl::StatusOr<RedisReply> r = (*connection)->Command({"SET", "k", "v"});
//
// Errors: UNAVAILABLE when the server cannot be reached or closed the connection,
// DEADLINE_EXCEEDED when connecting or a reply took longer than its timeout, UNAUTHENTICATED when
// AUTH is refused, INVALID_ARGUMENT for an empty command. After any of these the connection is
// broken() and every later call fails at once; reply errors (WRONGTYPE ...) are replies and
// leave it usable.
//
// Thread-safety: a connection serves one thread at a time (the pool hands it out), except
// Interrupt(), which any thread may call at any time to make a blocked command return at once
// (fast failover).
#ifndef FAILOVER_REDIS_FAILOVER_REDIS_CONNECTION_H_
#define FAILOVER_REDIS_FAILOVER_REDIS_CONNECTION_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "redis-failover/redis_reply.h"
#include "redis-failover/redis_uri.h"

namespace failover {
namespace redis {

struct RedisConnectionOptions {
  // Time allowed to establish the TCP connection (Jedis: 2 s).
  absl::Duration connect_timeout = absl::Seconds(2);
  // Time allowed for each reply once connected (Jedis: 2 s). InfiniteDuration = wait forever.
  absl::Duration socket_timeout = absl::Seconds(2);
  // Sent with CLIENT SETNAME so operators see who is connected; empty = not sent.
  std::string client_name;
};

class RedisConnection {
 public:
  virtual ~RedisConnection() = default;

  // Sends one command (argv, binary-safe) and waits for its reply.
  virtual absl::StatusOr<RedisReply> Command(const std::vector<std::string>& argv) = 0;
  // Sends all commands in one write and reads their replies in order. Fails as a whole if the
  // connection fails at any point (no partial results).
  virtual absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands) = 0;
  // For pub/sub: Send() writes one command without reading a reply; Receive() reads the next
  // reply or pushed message, waiting up to the socket timeout.
  virtual absl::Status Send(const std::vector<std::string>& argv) = 0;
  virtual absl::StatusOr<RedisReply> Receive() = 0;
  // Changes the socket timeout for the following calls (e.g. around a blocking BLPOP).
  // InfiniteDuration = wait forever.
  virtual absl::Status SetSocketTimeout(absl::Duration timeout) = 0;
  // Shuts the socket down so a command blocked in another thread returns UNAVAILABLE now.
  virtual void Interrupt() = 0;
  // True after a connection-level failure or Interrupt(); the connection must be discarded.
  virtual bool broken() const = 0;
  virtual const RedisAddress& address() const = 0;
};

// Connects, authenticates (AUTH user password, or AUTH password) and selects the database.
absl::StatusOr<std::unique_ptr<RedisConnection>> ConnectRedis(
    const RedisAddress& address, const RedisConnectionOptions& options);

}  // namespace redis
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_REDIS_CONNECTION_H_
