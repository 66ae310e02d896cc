#include "redis-failover/connection_pool.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace failover {
namespace redis {

absl::Status ConnectionPoolOptions::Validate() const {
  if (max_total < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("connection pool max_total must be >= 1, got ", max_total));
  }
  if (max_idle < 0 || max_idle > max_total) {
    return absl::InvalidArgumentError(absl::StrCat("connection pool max_idle must be in 0..",
                                                   max_total, " (max_total), got ", max_idle));
  }
  if (min_idle < 0 || min_idle > max_idle) {
    return absl::InvalidArgumentError(absl::StrCat("connection pool min_idle must be in 0..",
                                                   max_idle, " (max_idle), got ", min_idle));
  }
  if (max_wait < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat("connection pool max_wait must be >= 0, got ",
                                                   absl::FormatDuration(max_wait)));
  }
  return absl::OkStatus();
}

ConnectionPool::Lease& ConnectionPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    if (pool_ != nullptr) pool_->Return(std::move(connection_));
    pool_ = std::exchange(other.pool_, nullptr);
    connection_ = std::move(other.connection_);
  }
  return *this;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Return(std::move(connection_));
}

ConnectionPool::ConnectionPool(Factory factory, ConnectionPoolOptions options)
    : factory_(std::move(factory)), options_(std::move(options)) {}

ConnectionPool::~ConnectionPool() { Close(); }

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire() {
  {
    MutexLock lock(&mu_);
    auto can_proceed = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return closed_ || !idle_.empty() ||
             static_cast<int>(borrowed_.size()) + opening_ < options_.max_total;
    };
    if (!can_proceed() && !mu_.AwaitWithTimeout(can_proceed, options_.max_wait)) {
      ++exhausted_;
      return absl::ResourceExhaustedError(
          absl::StrCat("redis connection pool exhausted: all ", options_.max_total,
                       " connections in use for ", absl::FormatDuration(options_.max_wait)));
    }
    if (closed_) return absl::FailedPreconditionError("redis connection pool is closed");
    if (!idle_.empty()) {
      std::unique_ptr<RedisConnection> connection = std::move(idle_.front());
      idle_.pop_front();
      borrowed_.push_back(connection.get());
      return Lease(this, std::move(connection));
    }
    ++opening_;
  }
  return Create();
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Create() {
  absl::StatusOr<std::unique_ptr<RedisConnection>> made = factory_();
  MutexLock lock(&mu_);
  --opening_;
  if (!made.ok()) return made.status();
  ++created_;
  if (closed_) {
    ++destroyed_;
    return absl::FailedPreconditionError("redis connection pool is closed");
  }
  borrowed_.push_back(made->get());
  return Lease(this, std::move(*made));
}

void ConnectionPool::Return(std::unique_ptr<RedisConnection> connection) {
  if (connection == nullptr) return;
  std::unique_ptr<RedisConnection> discard;
  {
    MutexLock lock(&mu_);
    borrowed_.erase(std::find(borrowed_.begin(), borrowed_.end(), connection.get()));
    if (closed_ || connection->broken() || static_cast<int>(idle_.size()) >= options_.max_idle) {
      discard = std::move(connection);
      ++destroyed_;
    } else {
      idle_.push_back(std::move(connection));
    }
  }
  // `discard` closes its socket here, outside the lock.
}

void ConnectionPool::InterruptAll() {
  std::deque<std::unique_ptr<RedisConnection>> closing;
  {
    MutexLock lock(&mu_);
    for (RedisConnection* c : borrowed_) c->Interrupt();
    closing.swap(idle_);
    destroyed_ += closing.size();
  }
}

absl::Status ConnectionPool::MaintainIdle() {
  std::deque<std::unique_ptr<RedisConnection>> checking;
  {
    MutexLock lock(&mu_);
    if (closed_) return absl::OkStatus();
    checking.swap(idle_);
  }
  // Checked outside the lock: a PING to a hung server takes the socket timeout.
  std::deque<std::unique_ptr<RedisConnection>> good;
  for (auto& c : checking) {
    bool ok = !c->broken();
    if (ok && options_.test_while_idle) {
      const absl::StatusOr<RedisReply> pong = c->Command({"PING"});
      ok = pong.ok() && !pong->is_error();
    }
    if (ok) good.push_back(std::move(c));
  }
  int missing;
  {
    MutexLock lock(&mu_);
    destroyed_ += checking.size() - good.size();
    for (auto& c : good) idle_.push_back(std::move(c));
    const int room =
        options_.max_total - static_cast<int>(borrowed_.size() + idle_.size()) - opening_;
    missing = std::min(options_.min_idle - static_cast<int>(idle_.size()), room);
  }
  for (int i = 0; i < missing; ++i) {
    absl::StatusOr<std::unique_ptr<RedisConnection>> made = factory_();
    if (!made.ok()) return made.status();
    MutexLock lock(&mu_);
    ++created_;
    if (closed_ || static_cast<int>(idle_.size()) >= options_.max_idle) {
      ++destroyed_;
      break;
    }
    idle_.push_back(std::move(*made));
  }
  return absl::OkStatus();
}

void ConnectionPool::Close() {
  std::deque<std::unique_ptr<RedisConnection>> closing;
  {
    MutexLock lock(&mu_);
    closed_ = true;
    closing.swap(idle_);
    destroyed_ += closing.size();
  }
}

ConnectionPoolStats ConnectionPool::stats() const {
  MutexLock lock(&mu_);
  ConnectionPoolStats s;
  s.borrowed = static_cast<int>(borrowed_.size());
  s.idle = static_cast<int>(idle_.size());
  s.created = created_;
  s.destroyed = destroyed_;
  s.exhausted = exhausted_;
  return s;
}

}  // namespace redis
}  // namespace failover
