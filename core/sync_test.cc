#include "core/sync.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(MutexTest, ProtectsACounterAcrossThreads) {
  Mutex mu;
  int counter = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i) {
        MutexLock lock(&mu);
        ++counter;
      }
    });
  }
  for (auto& th : threads) th.join();
  MutexLock lock(&mu);
  EXPECT_EQ(counter, 40'000);
}

TEST(MutexTest, AwaitWakesWhenAnotherThreadMakesTheConditionTrue) {
  Mutex mu;
  int stage = 0;
  std::thread producer([&] {
    for (int i = 1; i <= 3; ++i) {
      MutexLock lock(&mu);
      stage = i;
    }
  });
  {
    MutexLock lock(&mu);
    mu.Await([&] { return stage == 3; });
    EXPECT_EQ(stage, 3);
  }
  producer.join();
}

TEST(MutexTest, AwaitWithTimeoutGivesUp) {
  Mutex mu;
  MutexLock lock(&mu);
  EXPECT_FALSE(mu.AwaitWithTimeout([] { return false; }, absl::Milliseconds(5)));
  EXPECT_TRUE(mu.AwaitWithTimeout([] { return true; }, absl::ZeroDuration()));
  EXPECT_FALSE(mu.AwaitWithTimeout([] { return false; }, -absl::Seconds(1)));
}

// A thread that changes guarded state and then waits itself must still wake the others.
TEST(MutexTest, AwaitWakesOthersWhenTheWaiterChangedTheirCondition) {
  Mutex mu;
  bool x = false;
  bool y = false;
  std::thread waiter_on_x([&] {
    MutexLock lock(&mu);
    mu.Await([&] { return x; });
    y = true;
  });
  {
    MutexLock lock(&mu);
    x = true;
    mu.Await([&] { return y; });  // Would hang if waiter_on_x were never woken.
  }
  waiter_on_x.join();
}

TEST(NotificationTest, WakesWaiters) {
  Notification n;
  EXPECT_FALSE(n.HasBeenNotified());
  EXPECT_FALSE(n.WaitForNotificationWithTimeout(absl::Milliseconds(1)));
  std::thread notifier([&] { n.Notify(); });
  n.WaitForNotification();
  EXPECT_TRUE(n.HasBeenNotified());
  notifier.join();
}

}  // namespace
}  // namespace failover
