// RedisReply: one reply from a Redis server, as a value. A reply error (WRONGTYPE, ERR ...) is a
// reply, not a failed call: the server answered, so it says nothing about the server's health
// and never counts against an endpoint's circuit breaker. Connection failures and timeouts are
// absl::Status errors instead.
//
//   absl::StatusOr<RedisReply> r = connection->Command({"GET", "k"});
//   if (!r.ok()) ...                      // could not talk to the server
//   if (r->is_error()) ...                // the server refused the command: r->text()
//   if (r->is_nil()) ...                  // no such key
//   std::string value = r->text();
#ifndef FAILOVER_REDIS_FAILOVER_REDIS_REPLY_H_
#define FAILOVER_REDIS_FAILOVER_REDIS_REPLY_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace failover {
namespace redis {

// Plain value type; copy freely.
class RedisReply {
 public:
  enum class Kind { kNil, kStatus, kError, kInteger, kString, kArray };

  static RedisReply Nil() { return RedisReply(Kind::kNil); }
  static RedisReply Status(std::string text) { return RedisReply(Kind::kStatus, std::move(text)); }
  static RedisReply Error(std::string text) { return RedisReply(Kind::kError, std::move(text)); }
  static RedisReply String(std::string bytes) {
    return RedisReply(Kind::kString, std::move(bytes));
  }
  static RedisReply Integer(int64_t value);
  static RedisReply Array(std::vector<RedisReply> elements);

  Kind kind() const { return kind_; }
  bool is_nil() const { return kind_ == Kind::kNil; }
  bool is_error() const { return kind_ == Kind::kError; }
  // Status text ("OK"), error text ("WRONGTYPE ..."), or the bytes of a bulk string.
  const std::string& text() const { return text_; }
  int64_t integer() const { return integer_; }
  const std::vector<RedisReply>& elements() const { return elements_; }

  // As redis-cli prints it: "OK", "(nil)", "(integer) 3", "\"v\"", "(error) ERR ...",
  // arrays one element per line ("1) ...").
  std::string DebugString() const;
  // OK, or FAILED_PRECONDITION carrying the error text when this is an error reply; for callers
  // that treat a refused command as an error.
  absl::Status ErrorAsStatus() const;

  friend bool operator==(const RedisReply& a, const RedisReply& b);

 private:
  explicit RedisReply(Kind kind, std::string text = "") : kind_(kind), text_(std::move(text)) {}

  Kind kind_;
  std::string text_;
  int64_t integer_ = 0;
  std::vector<RedisReply> elements_;
};

}  // namespace redis
}  // namespace failover

#endif  // FAILOVER_REDIS_FAILOVER_REDIS_REPLY_H_
