// ConnectionPool: the connections to one Redis endpoint. Borrowing returns a Lease that gives
// the connection back when it goes out of scope (or drops it if it broke). When every
// connection is in use, Acquire() waits up to max_wait for one to come back, then fails with
// RESOURCE_EXHAUSTED instead of blocking forever (Jedis's default).
//
//   failover::redis::ConnectionPool pool(
//       [&] { return failover::redis::ConnectRedis(address, connection_options); }, options);
//   absl::StatusOr<failover::redis::ConnectionPool::Lease> lease = pool.Acquire();
//   if (!lease.ok()) return lease.status();
//   absl::StatusOr<RedisReply> r = (*lease)->Command({"GET", "k"});
//
// Fast failover: InterruptAll() makes commands blocked on borrowed connections return at once
// and drops the idle ones; the pool stays usable (new connections are made on demand).
//
// Thread-safety: thread-safe. The factory is called without the pool's lock held.
#ifndef FAILOVER_REDIS_FAILOVER_CONNECTION_POOL_H_
#define FAILOVER_REDIS_FAILOVER_CONNECTION_POOL_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/sync.h"
#include "redis-failover/redis_connection.h"

namespace failover {
namespace redis {

struct ConnectionPoolOptions {
  // Connections open at most, borrowed or idle (Jedis: 8). >= 1.
  int max_total = 8;
  // Idle connections kept; more are closed when returned (Jedis: 8). 0..max_total.
  int max_idle = 8;
  // Idle connections MaintainIdle() keeps ready (Jedis: 0). 0..max_idle.
  int min_idle = 0;
  // How long Acquire() waits when max_total are borrowed. Jedis waits forever by default; a
  // failover client must not, so ours gives up after 1 s. Zero = fail at once.
  absl::Duration max_wait = absl::Seconds(1);
  // MaintainIdle() PINGs idle connections and drops those that do not answer (Jedis's
  // testWhileIdle, default true).
  bool test_while_idle = true;

  // InvalidArgument naming the bad field.
  absl::Status Validate() const;
};

struct ConnectionPoolStats {
  int borrowed = 0;
  int idle = 0;
  uint64_t created = 0;
  uint64_t destroyed = 0;
  uint64_t exhausted = 0;  // Acquire() calls that gave up waiting.
};

class ConnectionPool {
 public:
  using Factory = std::function<absl::StatusOr<std::unique_ptr<RedisConnection>>()>;

  // A borrowed connection; returns it to the pool on destruction. Movable, not copyable.
  class Lease {
   public:
    Lease(Lease&& other) noexcept : pool_(other.pool_), connection_(std::move(other.connection_)) {
      other.pool_ = nullptr;
    }
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    RedisConnection* operator->() const { return connection_.get(); }
    RedisConnection& operator*() const { return *connection_; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<RedisConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    ConnectionPool* pool_;
    std::unique_ptr<RedisConnection> connection_;
  };

  // `options` must be valid (see Validate()). Leases must not outlive the pool.
  ConnectionPool(Factory factory, ConnectionPoolOptions options);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // An idle connection, or a new one, or (all borrowed) one returned within max_wait.
  // Errors: the factory's (UNAVAILABLE, DEADLINE_EXCEEDED, ...), RESOURCE_EXHAUSTED when the
  // wait ran out, FAILED_PRECONDITION after Close().
  absl::StatusOr<Lease> Acquire() ABSL_LOCKS_EXCLUDED(mu_);

  // Interrupts every borrowed connection (their blocked commands return UNAVAILABLE) and closes
  // the idle ones.
  void InterruptAll() ABSL_LOCKS_EXCLUDED(mu_);

  // Drops idle connections that are broken or (test_while_idle) do not answer PING, then opens
  // connections until min_idle are idle. Returns the first error met opening one, if any.
  absl::Status MaintainIdle() ABSL_LOCKS_EXCLUDED(mu_);

  // Closes idle connections now and borrowed ones as they come back; Acquire() fails afterwards.
  void Close() ABSL_LOCKS_EXCLUDED(mu_);

  ConnectionPoolStats stats() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Return(std::unique_ptr<RedisConnection> connection) ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<Lease> Create() ABSL_LOCKS_EXCLUDED(mu_);

  const Factory factory_;
  const ConnectionPoolOptions options_;

  mutable Mutex mu_;
  std::deque<std::unique_ptr<RedisConnection>> idle_ ABSL_GUARDED_BY(mu_);
  std::vector<RedisConnection*> borrowed_ ABSL_GUARDED_BY(mu_);
  int opening_ ABSL_GUARDED_BY(mu_) = 0;  // Factory calls in progress (count toward max_total).
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t created_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t destroyed_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t exhausted_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace redis
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_CONNECTION_POOL_H_
