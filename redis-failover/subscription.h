// Subscription: a pub/sub subscription that follows the active endpoint. Its thread connects to
// the endpoint the client names, subscribes to the channels and patterns, and delivers messages
// to the handler; when the active endpoint changes or the connection is lost, it drops the
// connection and subscribes again on the (new) active endpoint. Jedis's pub/sub does not fail
// over at all.
//
//   auto sub = client->Subscribe({"orders"}, {"audit.*"}, [](const PubSubMessage& m) {
//     Handle(m.channel, m.payload);
//   });
//   if (!sub.ok()) return sub.status();
//   ...
//   sub->reset();  // Unsubscribes (closes its connection) and stops the thread.
//
// Redis pub/sub delivers at most once: messages published while a subscription moves between
// endpoints are not delivered. Messages published on a standby endpoint are not seen.
//
// Thread-safety: thread-safe. The handler runs on the subscription's own thread, one message at a
// time; it must not destroy the subscription.
#ifndef FAILOVER_REDIS_FAILOVER_SUBSCRIPTION_H_
#define FAILOVER_REDIS_FAILOVER_SUBSCRIPTION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/sync.h"
#include "redis-failover/redis_connection.h"

namespace failover {
namespace redis {

struct PubSubMessage {
  std::string channel;
  std::string pattern;  // The matching pattern for PSUBSCRIBE messages; empty otherwise.
  std::string payload;
  std::string endpoint;  // Where it was received.
};

class Subscription {
 public:
  using Handler = std::function<void(const PubSubMessage&)>;

  // A connection to the endpoint the subscription should be on now.
  struct Target {
    std::string endpoint;
    std::unique_ptr<RedisConnection> connection;
  };
  using Connector = std::function<absl::StatusOr<Target>()>;

  struct Options {
    std::vector<std::string> channels;
    std::vector<std::string> patterns;
    // Pause before connecting again after a failure.
    absl::Duration retry_pause = absl::Milliseconds(100);
    // Called once when the subscription closes (the client forgets it).
    std::function<void(Subscription*)> on_close;
  };

  // Subscribes once on the caller's thread, then starts the thread. INVALID_ARGUMENT without
  // channels and patterns; the connector's or the server's error when the first subscription
  // fails.
  static absl::StatusOr<std::unique_ptr<Subscription>> Start(Options options, Connector connector,
                                                             Handler handler);

  // Close()s.
  ~Subscription();
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  // Closes the connection (the server drops the subscription with it) and joins the thread.
  void Close() ABSL_LOCKS_EXCLUDED(mu_);

  // The active endpoint is now `endpoint` (empty: none usable). If subscribed elsewhere, the
  // connection is dropped and the subscription moves.
  void OnActiveChanged(const std::string& endpoint) ABSL_LOCKS_EXCLUDED(mu_);

  // The endpoint subscribed to now; empty while moving.
  std::string endpoint() const ABSL_LOCKS_EXCLUDED(mu_);
  // Completed subscriptions so far (1 + re-subscriptions).
  uint64_t subscribe_count() const ABSL_LOCKS_EXCLUDED(mu_);
  // Waits (real time, bounded) until subscribed on `endpoint`; false on timeout.
  bool WaitUntilSubscribedOn(const std::string& endpoint, absl::Duration timeout) const
      ABSL_LOCKS_EXCLUDED(mu_);
  // The last error met while moving; OK if none.
  absl::Status last_error() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  Subscription(Options options, Connector connector, Handler handler);

  // Connects and subscribes; on success the connection is current.
  absl::Status Subscribe() ABSL_LOCKS_EXCLUDED(mu_);
  void Loop();
  void Deliver(const RedisReply& reply, const std::string& endpoint);

  const Options options_;
  const Connector connector_;
  const Handler handler_;

  mutable Mutex mu_;
  std::unique_ptr<RedisConnection> connection_ ABSL_GUARDED_BY(mu_);
  std::string endpoint_ ABSL_GUARDED_BY(mu_);
  std::string wanted_ ABSL_GUARDED_BY(mu_);  // The active endpoint; empty = unknown or none.
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t subscribe_count_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status last_error_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace redis
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_SUBSCRIPTION_H_
