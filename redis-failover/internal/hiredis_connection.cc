// RedisConnection over hiredis. The only file that includes hiredis: its error codes and reply
// structs are mapped to absl::Status and RedisReply here and go no further.
#include <hiredis/hiredis.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "redis-failover/redis_connection.h"

namespace failover {
namespace redis {
namespace {

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

timeval TimevalFor(absl::Duration d) {
  // hiredis treats a zero timeval as "no timeout" for sockets; a very long one is close enough
  // to infinite for the connect.
  if (d == absl::InfiniteDuration()) d = absl::Hours(24 * 365);
  return absl::ToTimeval(std::max(d, absl::Milliseconds(1)));
}

RedisReply Convert(const redisReply& r) {
  switch (r.type) {
    case REDIS_REPLY_STRING:
      return RedisReply::String(std::string(r.str, r.len));
    case REDIS_REPLY_STATUS:
      return RedisReply::Status(std::string(r.str, r.len));
    case REDIS_REPLY_ERROR:
      return RedisReply::Error(std::string(r.str, r.len));
    case REDIS_REPLY_INTEGER:
      return RedisReply::Integer(r.integer);
    case REDIS_REPLY_ARRAY: {
      std::vector<RedisReply> elements;
      elements.reserve(r.elements);
      for (size_t i = 0; i < r.elements; ++i) elements.push_back(Convert(*r.element[i]));
      return RedisReply::Array(std::move(elements));
    }
    default:
      return RedisReply::Nil();
  }
}

// Maps a context error to a status naming the server and what happened.
absl::Status ContextError(const redisContext& c, const RedisAddress& address,
                          absl::string_view doing, absl::Duration timeout) {
  const std::string where = absl::StrCat("redis ", address.ToString(), ": ", doing, ": ");
  const absl::string_view detail = c.errstr;
  if (c.err == REDIS_ERR_IO &&
      (absl::StrContains(detail, "temporarily unavailable") ||
       absl::StrContains(detail, "timed out") || absl::StrContains(detail, "would block"))) {
    return absl::DeadlineExceededError(
        absl::StrCat(where, "no answer within ", absl::FormatDuration(timeout)));
  }
  if (c.err == REDIS_ERR_EOF) {
    return absl::UnavailableError(absl::StrCat(where, "connection closed"));
  }
  return absl::UnavailableError(absl::StrCat(where, detail));
}

// Thread-compatible, except Interrupt() (any thread). See redis_connection.h.
class HiredisConnection final : public RedisConnection {
 public:
  HiredisConnection(ContextPtr context, RedisAddress address, RedisConnectionOptions options)
      : context_(std::move(context)),
        fd_(context_->fd),
        address_(std::move(address)),
        options_(std::move(options)) {}

  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& argv) override {
    if (absl::Status s = Usable(argv.empty()); !s.ok()) return s;
    std::vector<const char*> args;
    std::vector<size_t> lengths;
    Flatten(argv, &args, &lengths);
    ReplyPtr reply(static_cast<redisReply*>(redisCommandArgv(
        context_.get(), static_cast<int>(args.size()), args.data(), lengths.data())));
    if (reply == nullptr) return Fail(absl::StrCat("sending ", argv[0]));
    return Convert(*reply);
  }

  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands) override {
    for (const auto& argv : commands) {
      if (absl::Status s = Usable(argv.empty()); !s.ok()) return s;
    }
    std::vector<const char*> args;
    std::vector<size_t> lengths;
    for (const auto& argv : commands) {
      Flatten(argv, &args, &lengths);
      if (redisAppendCommandArgv(context_.get(), static_cast<int>(args.size()), args.data(),
                                 lengths.data()) != REDIS_OK) {
        return Fail("queueing a pipeline");
      }
    }
    std::vector<RedisReply> replies;
    replies.reserve(commands.size());
    for (size_t i = 0; i < commands.size(); ++i) {
      void* raw = nullptr;
      if (redisGetReply(context_.get(), &raw) != REDIS_OK) {
        return Fail(absl::StrCat("reading pipeline reply ", i + 1, " of ", commands.size()));
      }
      ReplyPtr reply(static_cast<redisReply*>(raw));
      replies.push_back(Convert(*reply));
    }
    return replies;
  }

  absl::Status Send(const std::vector<std::string>& argv) override {
    if (absl::Status s = Usable(argv.empty()); !s.ok()) return s;
    std::vector<const char*> args;
    std::vector<size_t> lengths;
    Flatten(argv, &args, &lengths);
    if (redisAppendCommandArgv(context_.get(), static_cast<int>(args.size()), args.data(),
                               lengths.data()) != REDIS_OK) {
      return Fail(absl::StrCat("queueing ", argv[0]));
    }
    int done = 0;
    while (done == 0) {
      if (redisBufferWrite(context_.get(), &done) != REDIS_OK) {
        return Fail(absl::StrCat("sending ", argv[0]));
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<RedisReply> Receive() override {
    if (absl::Status s = Usable(false); !s.ok()) return s;
    void* raw = nullptr;
    if (redisGetReply(context_.get(), &raw) != REDIS_OK) return Fail("reading a reply");
    ReplyPtr reply(static_cast<redisReply*>(raw));
    return Convert(*reply);
  }

  absl::Status SetSocketTimeout(absl::Duration timeout) override {
    if (absl::Status s = Usable(false); !s.ok()) return s;
    // A zero timeval means "no timeout" to hiredis.
    const timeval tv = timeout == absl::InfiniteDuration() ? timeval{0, 0} : TimevalFor(timeout);
    if (redisSetTimeout(context_.get(), tv) != REDIS_OK) {
      return Fail("setting the socket timeout");
    }
    timeout_ = timeout;
    return absl::OkStatus();
  }

  void Interrupt() override {
    interrupted_.store(true, std::memory_order_release);
    ::shutdown(fd_, SHUT_RDWR);
  }

  bool broken() const override { return broken_ || interrupted_.load(std::memory_order_acquire); }
  const RedisAddress& address() const override { return address_; }

 private:
  static void Flatten(const std::vector<std::string>& argv, std::vector<const char*>* args,
                      std::vector<size_t>* lengths) {
    args->clear();
    lengths->clear();
    for (const std::string& a : argv) {
      args->push_back(a.data());
      lengths->push_back(a.size());
    }
  }

  absl::Status Usable(bool empty_command) const {
    if (empty_command) return absl::InvalidArgumentError("redis command must not be empty");
    if (interrupted_.load(std::memory_order_acquire)) {
      return absl::UnavailableError(
          absl::StrCat("redis ", address_.ToString(), ": connection was interrupted"));
    }
    if (broken_) {
      return absl::UnavailableError(
          absl::StrCat("redis ", address_.ToString(), ": connection is broken"));
    }
    return absl::OkStatus();
  }

  absl::Status Fail(absl::string_view doing) {
    broken_ = true;
    if (interrupted_.load(std::memory_order_acquire)) {
      return absl::UnavailableError(
          absl::StrCat("redis ", address_.ToString(), ": ", doing, ": interrupted (failover)"));
    }
    return ContextError(*context_, address_, doing, timeout_);
  }

  const ContextPtr context_;
  const int fd_;
  const RedisAddress address_;
  const RedisConnectionOptions options_;
  absl::Duration timeout_ = options_.socket_timeout;  // Reported in DEADLINE_EXCEEDED errors.
  bool broken_ = false;
  std::atomic<bool> interrupted_{false};
};

// Runs a set-up command; a reply error becomes `code` with the server's text.
absl::Status SetUp(RedisConnection& c, const std::vector<std::string>& argv, absl::StatusCode code,
                   absl::string_view what) {
  absl::StatusOr<RedisReply> reply = c.Command(argv);
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) {
    return absl::Status(code, absl::StrCat("redis ", c.address().ToString(), ": ", what,
                                           " refused: ", reply->text()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisConnection>> ConnectRedis(
    const RedisAddress& address, const RedisConnectionOptions& options) {
  ContextPtr context(redisConnectWithTimeout(address.host.c_str(), address.port,
                                             TimevalFor(options.connect_timeout)));
  if (context == nullptr) {
    return absl::ResourceExhaustedError(
        absl::StrCat("redis ", address.ToString(), ": cannot allocate a connection"));
  }
  if (context->err != 0) {
    return ContextError(*context, address, "connecting", options.connect_timeout);
  }
  if (options.socket_timeout != absl::InfiniteDuration() &&
      redisSetTimeout(context.get(), TimevalFor(options.socket_timeout)) != REDIS_OK) {
    return ContextError(*context, address, "setting the socket timeout", options.socket_timeout);
  }
  auto connection = std::make_unique<HiredisConnection>(std::move(context), address, options);
  if (!address.password.empty()) {
    std::vector<std::string> auth = {"AUTH"};
    if (!address.user.empty()) auth.push_back(address.user);
    auth.push_back(address.password);
    if (absl::Status s = SetUp(*connection, auth, absl::StatusCode::kUnauthenticated, "AUTH");
        !s.ok()) {
      return s;
    }
  }
  if (address.db != 0) {
    if (absl::Status s = SetUp(*connection, {"SELECT", absl::StrCat(address.db)},
                               absl::StatusCode::kInvalidArgument, "SELECT");
        !s.ok()) {
      return s;
    }
  }
  if (!options.client_name.empty()) {
    if (absl::Status s = SetUp(*connection, {"CLIENT", "SETNAME", options.client_name},
                               absl::StatusCode::kInvalidArgument, "CLIENT SETNAME");
        !s.ok()) {
      return s;
    }
  }
  return std::unique_ptr<RedisConnection>(std::move(connection));
}

}  // namespace redis
}  // namespace failover
