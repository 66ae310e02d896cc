// RedisFailoverClient: typed helpers over Command(), and Subscribe().
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "redis-failover/internal/client_endpoint.h"
#include "redis-failover/redis_client.h"

namespace failover {
namespace redis {
namespace {

using Kind = RedisReply::Kind;

absl::Status Unexpected(const std::vector<std::string>& argv, const RedisReply& reply,
                        absl::string_view expected) {
  return absl::InternalError(
      absl::StrCat("redis ", argv[0], " returned ", reply.DebugString(), ", expected ", expected));
}

absl::StatusOr<int64_t> AsInteger(const std::vector<std::string>& argv,
                                  const absl::StatusOr<RedisReply>& r) {
  if (!r.ok()) return r.status();
  if (r->kind() != Kind::kInteger) return Unexpected(argv, *r, "an integer");
  return r->integer();
}

absl::StatusOr<std::optional<std::string>> AsOptionalString(const std::vector<std::string>& argv,
                                                            const absl::StatusOr<RedisReply>& r) {
  if (!r.ok()) return r.status();
  if (r->is_nil()) return std::optional<std::string>();
  if (r->kind() != Kind::kString) return Unexpected(argv, *r, "a string or nil");
  return std::optional<std::string>(r->text());
}

std::string Millis(absl::Duration d) { return absl::StrCat(absl::ToInt64Milliseconds(d)); }

std::vector<std::string> KeyAnd(absl::string_view command, absl::string_view key,
                                const std::vector<std::string>& rest) {
  std::vector<std::string> argv = {std::string(command), std::string(key)};
  argv.insert(argv.end(), rest.begin(), rest.end());
  return argv;
}

}  // namespace

absl::StatusOr<RedisReply> RedisFailoverClient::Typed(const std::vector<std::string>& argv,
                                                      const CommandOptions& options) {
  absl::StatusOr<RedisReply> r = Command(argv, options);
  if (!r.ok()) return r.status();
  if (r->is_error()) {
    return absl::FailedPreconditionError(absl::StrCat("redis ", argv[0], ": ", r->text()));
  }
  return r;
}

absl::StatusOr<std::optional<std::string>> RedisFailoverClient::Get(absl::string_view key) {
  const std::vector<std::string> argv = {"GET", std::string(key)};
  return AsOptionalString(argv, Typed(argv));
}

absl::StatusOr<bool> RedisFailoverClient::Set(absl::string_view key, absl::string_view value,
                                              const SetOptions& options) {
  if (options.ttl < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("SET: ttl must not be negative");
  }
  if (options.keep_ttl && options.ttl > absl::ZeroDuration()) {
    return absl::InvalidArgumentError("SET: keep_ttl and ttl exclude each other");
  }
  std::vector<std::string> argv = {"SET", std::string(key), std::string(value)};
  if (options.ttl > absl::ZeroDuration()) {
    if (options.ttl % absl::Seconds(1) == absl::ZeroDuration()) {
      argv.insert(argv.end(), {"EX", absl::StrCat(absl::ToInt64Seconds(options.ttl))});
    } else {
      argv.insert(argv.end(), {"PX", Millis(std::max(options.ttl, absl::Milliseconds(1)))});
    }
  }
  if (options.keep_ttl) argv.push_back("KEEPTTL");
  if (options.condition == SetOptions::Condition::kIfAbsent) argv.push_back("NX");
  if (options.condition == SetOptions::Condition::kIfExists) argv.push_back("XX");
  absl::StatusOr<RedisReply> r = Typed(argv);
  if (!r.ok()) return r.status();
  if (r->is_nil()) return false;  // NX / XX not met.
  if (r->kind() != Kind::kStatus) return Unexpected(argv, *r, "OK or nil");
  return true;
}

absl::StatusOr<int64_t> RedisFailoverClient::Del(const std::vector<std::string>& keys) {
  if (keys.empty()) return 0;
  std::vector<std::string> argv = {"DEL"};
  argv.insert(argv.end(), keys.begin(), keys.end());
  return AsInteger(argv, Typed(argv));
}

absl::StatusOr<int64_t> RedisFailoverClient::Exists(const std::vector<std::string>& keys) {
  if (keys.empty()) return 0;
  std::vector<std::string> argv = {"EXISTS"};
  argv.insert(argv.end(), keys.begin(), keys.end());
  return AsInteger(argv, Typed(argv));
}

absl::StatusOr<int64_t> RedisFailoverClient::Incr(absl::string_view key) {
  const std::vector<std::string> argv = {"INCR", std::string(key)};
  return AsInteger(argv, Typed(argv));
}

absl::StatusOr<int64_t> RedisFailoverClient::IncrBy(absl::string_view key, int64_t delta) {
  const std::vector<std::string> argv = {"INCRBY", std::string(key), absl::StrCat(delta)};
  return AsInteger(argv, Typed(argv));
}

absl::StatusOr<bool> RedisFailoverClient::Expire(absl::string_view key, absl::Duration ttl) {
  const std::vector<std::string> argv = {"PEXPIRE", std::string(key), Millis(ttl)};
  absl::StatusOr<int64_t> n = AsInteger(argv, Typed(argv));
  if (!n.ok()) return n.status();
  return *n == 1;
}

absl::StatusOr<std::optional<absl::Duration>> RedisFailoverClient::Ttl(absl::string_view key) {
  const std::vector<std::string> argv = {"PTTL", std::string(key)};
  absl::StatusOr<int64_t> ms = AsInteger(argv, Typed(argv));
  if (!ms.ok()) return ms.status();
  if (*ms == -2) return absl::NotFoundError(absl::StrCat("redis key '", key, "' does not exist"));
  if (*ms == -1) return std::optional<absl::Duration>();
  return std::optional<absl::Duration>(absl::Milliseconds(*ms));
}

absl::StatusOr<std::optional<std::string>> RedisFailoverClient::HGet(absl::string_view key,
                                                                     absl::string_view field) {
  const std::vector<std::string> argv = {"HGET", std::string(key), std::string(field)};
  return AsOptionalString(argv, Typed(argv));
}

absl::StatusOr<int64_t> RedisFailoverClient::HSet(
    absl::string_view key, const std::vector<std::pair<std::string, std::string>>& fields) {
  if (fields.empty()) return absl::InvalidArgumentError("HSET needs at least one field");
  std::vector<std::string> argv = {"HSET", std::string(key)};
  for (const auto& [field, value] : fields) argv.insert(argv.end(), {field, value});
  return AsInteger(argv, Typed(argv));
}

absl::StatusOr<std::map<std::string, std::string>> RedisFailoverClient::HGetAll(
    absl::string_view key) {
  const std::vector<std::string> argv = {"HGETALL", std::string(key)};
  absl::StatusOr<RedisReply> r = Typed(argv);
  if (!r.ok()) return r.status();
  if (r->kind() != Kind::kArray || r->elements().size() % 2 != 0) {
    return Unexpected(argv, *r, "an array of field/value pairs");
  }
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < r->elements().size(); i += 2) {
    out[r->elements()[i].text()] = r->elements()[i + 1].text();
  }
  return out;
}

absl::StatusOr<int64_t> RedisFailoverClient::HDel(absl::string_view key,
                                                  const std::vector<std::string>& fields) {
  if (fields.empty()) return 0;
  const std::vector<std::string> argv = KeyAnd("HDEL", key, fields);
  return AsInteger(argv, Typed(argv));
}

absl::StatusOr<int64_t> RedisFailoverClient::LPush(absl::string_view key,
                                                   const std::vector<std::string>& values) {
  if (values.empty()) return absl::InvalidArgumentError("LPUSH needs at least one value");
  const std::vector<std::string> argv = KeyAnd("LPUSH", key, values);
  return AsInteger(argv, Typed(argv));
}

absl::StatusOr<int64_t> RedisFailoverClient::RPush(absl::string_view key,
                                                   const std::vector<std::string>& values) {
  if (values.empty()) return absl::InvalidArgumentError("RPUSH needs at least one value");
  const std::vector<std::string> argv = KeyAnd("RPUSH", key, values);
  return AsInteger(argv, Typed(argv));
}

absl::StatusOr<std::optional<std::pair<std::string, std::string>>> RedisFailoverClient::BLPop(
    const std::vector<std::string>& keys, absl::Duration wait) {
  if (keys.empty()) return absl::InvalidArgumentError("BLPOP needs at least one key");
  if (wait <= absl::ZeroDuration() || wait == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        "BLPOP: wait must be positive and finite (a failover client must not wait forever)");
  }
  std::vector<std::string> argv = {"BLPOP"};
  argv.insert(argv.end(), keys.begin(), keys.end());
  // Redis takes the timeout in (fractional) seconds.
  argv.push_back(absl::StrCat(absl::ToDoubleSeconds(wait)));
  CommandOptions options;
  options.timeout = wait + options_.connection.socket_timeout;
  absl::StatusOr<RedisReply> r = Typed(argv, options);
  if (!r.ok()) return r.status();
  using Popped = std::optional<std::pair<std::string, std::string>>;
  if (r->is_nil()) return Popped();
  if (r->kind() != Kind::kArray || r->elements().size() != 2) {
    return Unexpected(argv, *r, "[key, value] or nil");
  }
  return Popped(std::make_pair(r->elements()[0].text(), r->elements()[1].text()));
}

absl::StatusOr<int64_t> RedisFailoverClient::Publish(absl::string_view channel,
                                                     absl::string_view message) {
  const std::vector<std::string> argv = {"PUBLISH", std::string(channel), std::string(message)};
  return AsInteger(argv, Typed(argv));
}

absl::StatusOr<std::unique_ptr<Subscription>> RedisFailoverClient::Subscribe(
    std::vector<std::string> channels, std::vector<std::string> patterns,
    Subscription::Handler handler) {
  {
    MutexLock lock(&mu_);
    if (closed_) return absl::FailedPreconditionError("the redis client is closed");
  }
  Subscription::Options options;
  options.channels = std::move(channels);
  options.patterns = std::move(patterns);
  options.retry_pause = std::min(options_.health_check.interval, absl::Seconds(1));
  options.on_close = [this](Subscription* s) {
    MutexLock lock(&mu_);
    subscriptions_.erase(std::remove(subscriptions_.begin(), subscriptions_.end(), s),
                         subscriptions_.end());
  };
  auto connector = [this]() -> absl::StatusOr<Subscription::Target> {
    std::shared_ptr<Endpoint> e;
    {
      MutexLock lock(&mu_);
      if (closed_) return absl::FailedPreconditionError("the redis client is closed");
      e = active_;
    }
    if (e == nullptr) return availability_.Error(DescribeEndpoints());
    absl::StatusOr<std::unique_ptr<RedisConnection>> c =
        options_.connection_factory(e->address, options_.connection);
    if (!c.ok()) return c.status();
    return Subscription::Target{e->options.name, *std::move(c)};
  };
  absl::StatusOr<std::unique_ptr<Subscription>> s =
      Subscription::Start(std::move(options), std::move(connector), std::move(handler));
  if (!s.ok()) return s.status();
  MutexLock lock(&mu_);
  subscriptions_.push_back(s->get());
  // A switch between subscribing and registering was not seen by the subscription.
  (*s)->OnActiveChanged(active_ == nullptr ? "" : active_->options.name);
  return s;
}

}  // namespace redis
}  // namespace failover
