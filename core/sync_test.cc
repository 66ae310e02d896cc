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

TEST(MutexTest, AwaitWithDeadlineGivesUp) {
  Mutex mu;
  MutexLock lock(&mu);
  EXPECT_FALSE(mu.AwaitWithDeadline([] { return false; }, absl::Now() + absl::Milliseconds(5)));
  EXPECT_TRUE(mu.AwaitWithDeadline([] { return true; }, absl::Now()));
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
