#include "redis-failover/subscription.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace failover {
namespace redis {
namespace {

// The replies that confirm SUBSCRIBE / PSUBSCRIBE: one per channel or pattern.
absl::Status CheckConfirmation(const RedisReply& reply, const std::string& endpoint) {
  if (reply.is_error()) {
    return absl::FailedPreconditionError(
        absl::StrCat("redis endpoint ", endpoint, " refused the subscription: ", reply.text()));
  }
  if (reply.kind() != RedisReply::Kind::kArray || reply.elements().empty() ||
      (reply.elements()[0].text() != "subscribe" && reply.elements()[0].text() != "psubscribe")) {
    return absl::InternalError(
        absl::StrCat("redis endpoint ", endpoint,
                     ": unexpected reply to a subscription: ", reply.DebugString()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Subscription>> Subscription::Start(Options options,
                                                                  Connector connector,
                                                                  Handler handler) {
  if (options.channels.empty() && options.patterns.empty()) {
    return absl::InvalidArgumentError("a subscription needs at least one channel or pattern");
  }
  if (!handler) return absl::InvalidArgumentError("a subscription needs a message handler");
  std::unique_ptr<Subscription> s(
      new Subscription(std::move(options), std::move(connector), std::move(handler)));
  if (absl::Status status = s->Subscribe(); !status.ok()) return status;
  s->thread_ = std::thread([p = s.get()] { p->Loop(); });
  return s;
}

Subscription::Subscription(Options options, Connector connector, Handler handler)
    : options_(std::move(options)),
      connector_(std::move(connector)),
      handler_(std::move(handler)) {}

Subscription::~Subscription() { Close(); }

void Subscription::Close() {
  {
    MutexLock lock(&mu_);
    if (closing_) return;
    closing_ = true;
    if (connection_ != nullptr) connection_->Interrupt();
  }
  if (thread_.joinable()) thread_.join();
  std::unique_ptr<RedisConnection> connection;
  {
    MutexLock lock(&mu_);
    connection = std::move(connection_);
    endpoint_.clear();
  }
  if (options_.on_close) options_.on_close(this);
}

void Subscription::OnActiveChanged(const std::string& endpoint) {
  MutexLock lock(&mu_);
  wanted_ = endpoint;
  if (connection_ != nullptr && endpoint_ != endpoint) connection_->Interrupt();
}

std::string Subscription::endpoint() const {
  MutexLock lock(&mu_);
  return endpoint_;
}

uint64_t Subscription::subscribe_count() const {
  MutexLock lock(&mu_);
  return subscribe_count_;
}

absl::Status Subscription::last_error() const {
  MutexLock lock(&mu_);
  return last_error_;
}

bool Subscription::WaitUntilSubscribedOn(const std::string& endpoint,
                                         absl::Duration timeout) const {
  MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(
                                  mu_) { return connection_ != nullptr && endpoint_ == endpoint; },
                              timeout);
}

absl::Status Subscription::Subscribe() {
  absl::StatusOr<Target> target = connector_();
  if (!target.ok()) return target.status();
  RedisConnection& c = *target->connection;
  // Messages may be far apart: the subscription waits for them indefinitely and relies on
  // Interrupt() (a switch, Close()) and on the server closing the socket.
  if (absl::Status s = c.SetSocketTimeout(absl::InfiniteDuration()); !s.ok()) return s;
  size_t expected = 0;
  if (!options_.channels.empty()) {
    std::vector<std::string> argv = {"SUBSCRIBE"};
    argv.insert(argv.end(), options_.channels.begin(), options_.channels.end());
    if (absl::Status s = c.Send(argv); !s.ok()) return s;
    expected += options_.channels.size();
  }
  if (!options_.patterns.empty()) {
    std::vector<std::string> argv = {"PSUBSCRIBE"};
    argv.insert(argv.end(), options_.patterns.begin(), options_.patterns.end());
    if (absl::Status s = c.Send(argv); !s.ok()) return s;
    expected += options_.patterns.size();
  }
  for (size_t i = 0; i < expected; ++i) {
    absl::StatusOr<RedisReply> reply = c.Receive();
    if (!reply.ok()) return reply.status();
    if (absl::Status s = CheckConfirmation(*reply, target->endpoint); !s.ok()) return s;
  }
  MutexLock lock(&mu_);
  if (closing_) return absl::CancelledError("the subscription is closing");
  if (!wanted_.empty() && wanted_ != target->endpoint) {
    return absl::AbortedError(absl::StrCat("the active endpoint moved to ", wanted_,
                                           " while subscribing on ", target->endpoint));
  }
  connection_ = std::move(target->connection);
  endpoint_ = target->endpoint;
  ++subscribe_count_;
  return absl::OkStatus();
}

void Subscription::Loop() {
  for (;;) {
    RedisConnection* c;
    std::string endpoint;
    {
      MutexLock lock(&mu_);
      if (closing_) return;
      c = connection_.get();
      endpoint = endpoint_;
    }
    if (c != nullptr) {
      // Only this thread replaces the connection, so `c` stays valid without the lock.
      absl::StatusOr<RedisReply> reply = c->Receive();
      if (reply.ok()) {
        Deliver(*reply, endpoint);
        continue;
      }
      std::unique_ptr<RedisConnection> dropped;
      MutexLock lock(&mu_);
      if (closing_) return;
      dropped = std::move(connection_);
      endpoint_.clear();
      last_error_ = reply.status();
      continue;  // Reconnect at once: a switch should not cost a pause.
    }
    absl::Status s = Subscribe();
    if (s.ok()) continue;
    MutexLock lock(&mu_);
    last_error_ = s;
    mu_.AwaitWithTimeout([&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return closing_; },
                         options_.retry_pause);
  }
}

void Subscription::Deliver(const RedisReply& reply, const std::string& endpoint) {
  if (reply.kind() != RedisReply::Kind::kArray) return;
  const std::vector<RedisReply>& e = reply.elements();
  PubSubMessage message;
  message.endpoint = endpoint;
  if (e.size() == 3 && e[0].text() == "message") {
    message.channel = e[1].text();
    message.payload = e[2].text();
  } else if (e.size() == 4 && e[0].text() == "pmessage") {
    message.pattern = e[1].text();
    message.channel = e[2].text();
    message.payload = e[3].text();
  } else {
    return;  // Confirmations of later (un)subscriptions; nothing to deliver.
  }
  handler_(message);
}

}  // namespace redis
}  // namespace failover
