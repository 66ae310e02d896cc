#include "redis-failover/connection_pool.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace redis {
namespace {

// Stands in for a server connection in pool unit tests (the pool's logic does not depend on the
// wire); integration tests against redis-server cover the real connection.
class FakeConnection final : public RedisConnection {
 public:
  explicit FakeConnection(std::atomic<int>* alive) : alive_(alive) { ++*alive_; }
  ~FakeConnection() override { --*alive_; }

  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& argv) override {
    if (broken()) return absl::UnavailableError("fake: broken");
    if (argv[0] == "PING" && fail_ping) return absl::DeadlineExceededError("fake: no answer");
    return RedisReply::Status("PONG");
  }
  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>&) override {
    return std::vector<RedisReply>{};
  }
  absl::Status Send(const std::vector<std::string>&) override {
    return broken() ? absl::UnavailableError("fake: broken") : absl::OkStatus();
  }
  absl::StatusOr<RedisReply> Receive() override { return RedisReply::Status("PONG"); }
  absl::Status SetSocketTimeout(absl::Duration) override { return absl::OkStatus(); }
  void Interrupt() override { interrupted = true; }
  bool broken() const override { return interrupted || marked_broken; }
  const RedisAddress& address() const override { return address_; }

  std::atomic<bool> interrupted{false};
  bool marked_broken = false;
  bool fail_ping = false;

 private:
  std::atomic<int>* alive_;
  RedisAddress address_;
};

class ConnectionPoolTest : public ::testing::Test {
 protected:
  ConnectionPool::Factory Factory() {
    return [this]() -> absl::StatusOr<std::unique_ptr<RedisConnection>> {
      ++factory_calls_;
      if (!factory_error_.ok()) return factory_error_;
      return std::unique_ptr<RedisConnection>(new FakeConnection(&alive_));
    };
  }
  static FakeConnection& Fake(ConnectionPool::Lease& lease) {
    return static_cast<FakeConnection&>(*lease);
  }

  std::atomic<int> alive_{0};
  std::atomic<int> factory_calls_{0};
  absl::Status factory_error_;
};

TEST_F(ConnectionPoolTest, ReusesReturnedConnections) {
  ConnectionPool pool(Factory(), ConnectionPoolOptions());
  RedisConnection* first;
  {
    absl::StatusOr<ConnectionPool::Lease> lease = pool.Acquire();
    ASSERT_TRUE(lease.ok()) << lease.status();
    first = &**lease;
    EXPECT_EQ(pool.stats().borrowed, 1);
  }
  EXPECT_EQ(pool.stats().idle, 1);
  absl::StatusOr<ConnectionPool::Lease> again = pool.Acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(&**again, first);
  EXPECT_EQ(pool.stats().created, 1u);
}

TEST_F(ConnectionPoolTest, ExhaustedPoolFailsAfterMaxWait) {
  ConnectionPoolOptions options;
  options.max_total = 2;
  options.max_wait = absl::ZeroDuration();
  ConnectionPool pool(Factory(), options);
  absl::StatusOr<ConnectionPool::Lease> a = pool.Acquire();
  absl::StatusOr<ConnectionPool::Lease> b = pool.Acquire();
  ASSERT_TRUE(a.ok() && b.ok());
  const absl::StatusOr<ConnectionPool::Lease> c = pool.Acquire();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(c.status().message().find("all 2 connections in use"), absl::string_view::npos);
  EXPECT_EQ(pool.stats().exhausted, 1u);
}

TEST_F(ConnectionPoolTest, WaiterGetsTheConnectionAnotherThreadReturns) {
  ConnectionPoolOptions options;
  options.max_total = 1;
  options.max_wait = absl::Seconds(30);  // Bound only; the return comes at once.
  ConnectionPool pool(Factory(), options);
  absl::StatusOr<ConnectionPool::Lease> held = pool.Acquire();
  ASSERT_TRUE(held.ok());
  RedisConnection* const connection = &**held;
  std::thread returner([&] { ConnectionPool::Lease released = std::move(*held); });
  absl::StatusOr<ConnectionPool::Lease> waited = pool.Acquire();
  returner.join();
  ASSERT_TRUE(waited.ok()) << waited.status();
  EXPECT_EQ(&**waited, connection);
  EXPECT_EQ(factory_calls_.load(), 1);
}

TEST_F(ConnectionPoolTest, BrokenConnectionsAreDiscardedOnReturn) {
  ConnectionPool pool(Factory(), ConnectionPoolOptions());
  {
    absl::StatusOr<ConnectionPool::Lease> lease = pool.Acquire();
    ASSERT_TRUE(lease.ok());
    Fake(*lease).marked_broken = true;
  }
  EXPECT_EQ(pool.stats().idle, 0);
  EXPECT_EQ(pool.stats().destroyed, 1u);
  EXPECT_EQ(alive_.load(), 0);
}

TEST_F(ConnectionPoolTest, ReturnsBeyondMaxIdleAreClosed) {
  ConnectionPoolOptions options;
  options.max_idle = 1;
  ConnectionPool pool(Factory(), options);
  {
    absl::StatusOr<ConnectionPool::Lease> a = pool.Acquire();
    absl::StatusOr<ConnectionPool::Lease> b = pool.Acquire();
    ASSERT_TRUE(a.ok() && b.ok());
  }
  EXPECT_EQ(pool.stats().idle, 1);
  EXPECT_EQ(alive_.load(), 1);
}

TEST_F(ConnectionPoolTest, FactoryErrorsPropagateAndFreeTheSlot) {
  ConnectionPoolOptions options;
  options.max_total = 1;
  options.max_wait = absl::ZeroDuration();
  ConnectionPool pool(Factory(), options);
  factory_error_ = absl::UnavailableError("redis redis://127.0.0.1:1: connection refused");
  const absl::StatusOr<ConnectionPool::Lease> failed = pool.Acquire();
  EXPECT_EQ(failed.status(), factory_error_);
  factory_error_ = absl::OkStatus();
  EXPECT_TRUE(pool.Acquire().ok());  // The failed attempt did not keep its slot.
}

TEST_F(ConnectionPoolTest, InterruptAllInterruptsBorrowedAndDropsIdle) {
  ConnectionPool pool(Factory(), ConnectionPoolOptions());
  absl::StatusOr<ConnectionPool::Lease> idle_later = pool.Acquire();
  absl::StatusOr<ConnectionPool::Lease> borrowed = pool.Acquire();
  ASSERT_TRUE(idle_later.ok() && borrowed.ok());
  { ConnectionPool::Lease give_back = std::move(*idle_later); }
  ASSERT_EQ(pool.stats().idle, 1);
  pool.InterruptAll();
  EXPECT_TRUE(Fake(*borrowed).interrupted.load());
  EXPECT_EQ(pool.stats().idle, 0);
  EXPECT_EQ(alive_.load(), 1);
  { ConnectionPool::Lease give_back = std::move(*borrowed); }
  EXPECT_EQ(alive_.load(), 0);       // Interrupted means broken: not kept.
  EXPECT_TRUE(pool.Acquire().ok());  // Still usable afterwards.
}

TEST_F(ConnectionPoolTest, MaintainIdleDropsDeadAndTopsUp) {
  ConnectionPoolOptions options;
  options.min_idle = 2;
  ConnectionPool pool(Factory(), options);
  ASSERT_TRUE(pool.MaintainIdle().ok());
  EXPECT_EQ(pool.stats().idle, 2);
  {
    absl::StatusOr<ConnectionPool::Lease> lease = pool.Acquire();
    ASSERT_TRUE(lease.ok());
    Fake(*lease).fail_ping = true;  // Goes back idle, then stops answering.
  }
  ASSERT_TRUE(pool.MaintainIdle().ok());
  EXPECT_EQ(pool.stats().idle, 2);
  EXPECT_EQ(pool.stats().destroyed, 1u);
  EXPECT_EQ(pool.stats().created, 3u);
}

TEST_F(ConnectionPoolTest, CloseRefusesNewLeasesAndClosesReturnedOnes) {
  ConnectionPool pool(Factory(), ConnectionPoolOptions());
  absl::StatusOr<ConnectionPool::Lease> lease = pool.Acquire();
  ASSERT_TRUE(lease.ok());
  pool.Close();
  EXPECT_EQ(pool.Acquire().status().code(), absl::StatusCode::kFailedPrecondition);
  { ConnectionPool::Lease give_back = std::move(*lease); }
  EXPECT_EQ(alive_.load(), 0);
}

TEST(ConnectionPoolOptionsTest, ValidateNamesTheField) {
  ConnectionPoolOptions o;
  EXPECT_TRUE(o.Validate().ok());
  o.max_total = 0;
  EXPECT_NE(o.Validate().message().find("max_total"), absl::string_view::npos);
  o = ConnectionPoolOptions();
  o.max_idle = 9;
  EXPECT_NE(o.Validate().message().find("max_idle"), absl::string_view::npos);
  o = ConnectionPoolOptions();
  o.min_idle = 9;
  EXPECT_NE(o.Validate().message().find("min_idle"), absl::string_view::npos);
  o = ConnectionPoolOptions();
  o.max_wait = absl::Seconds(-1);
  EXPECT_NE(o.Validate().message().find("max_wait"), absl::string_view::npos);
}

}  // namespace
}  // namespace redis
}  // namespace failover
