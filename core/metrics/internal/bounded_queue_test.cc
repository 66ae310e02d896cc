#include "core/metrics/internal/bounded_queue.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace metrics_internal {
namespace {

TEST(BoundedQueueTest, FifoUpToCapacity) {
  BoundedQueue<int> queue(3);
  for (int i = 1; i <= 3; ++i) {
    int v = i;
    EXPECT_TRUE(queue.TryPush(v));
  }
  int rejected = 4;
  EXPECT_FALSE(queue.TryPush(rejected));
  EXPECT_EQ(rejected, 4);
  for (int expected = 1; expected <= 3; ++expected) {
    int out = 0;
    ASSERT_TRUE(queue.TryPop(out));
    EXPECT_EQ(out, expected);
  }
  int out = 0;
  EXPECT_FALSE(queue.TryPop(out));
  EXPECT_EQ(queue.PushedCount(), 3u);
  EXPECT_EQ(queue.PoppedCount(), 3u);
}

TEST(BoundedQueueTest, WrapsAroundManyLaps) {
  BoundedQueue<std::string> queue(2);
  for (int i = 0; i < 100; ++i) {
    std::string in = std::to_string(i);
    ASSERT_TRUE(queue.TryPush(in));
    EXPECT_TRUE(queue.HasReadyItem());
    std::string out;
    ASSERT_TRUE(queue.TryPop(out));
    EXPECT_EQ(out, std::to_string(i));
    EXPECT_FALSE(queue.HasReadyItem());
  }
}

TEST(BoundedQueueTest, CapacityOneAlternates) {
  BoundedQueue<int> queue(1);
  int v = 1, out = 0;
  EXPECT_TRUE(queue.TryPush(v));
  EXPECT_FALSE(queue.TryPush(v));
  EXPECT_TRUE(queue.TryPop(out));
  EXPECT_FALSE(queue.TryPop(out));
  for (int i = 0; i < 10; ++i) {
    v = i;
    ASSERT_TRUE(queue.TryPush(v));
    EXPECT_FALSE(queue.TryPush(v));
    ASSERT_TRUE(queue.TryPop(out));
    EXPECT_EQ(out, i);
  }
  EXPECT_EQ(queue.capacity(), 1u);
}

TEST(BoundedQueueTest, ConcurrentProducersAndConsumersLoseNothing) {
  constexpr int kProducers = 4, kConsumers = 2, kPerProducer = 5000;
  BoundedQueue<int> queue(64);
  std::atomic<int> consumed{0};
  std::atomic<long long> sum{0};
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&queue, p] {
      for (int i = 1; i <= kPerProducer; ++i) {
        int v = p * kPerProducer + i;
        while (!queue.TryPush(v)) std::this_thread::yield();
      }
    });
  }
  for (int c = 0; c < kConsumers; ++c) {
    threads.emplace_back([&] {
      int v;
      while (consumed.load() < kProducers * kPerProducer) {
        if (queue.TryPop(v)) {
          sum.fetch_add(v);
          consumed.fetch_add(1);
        } else {
          std::this_thread::yield();
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const long long n = static_cast<long long>(kProducers) * kPerProducer;
  EXPECT_EQ(sum.load(), n * (n + 1) / 2);
}

}  // namespace
}  // namespace metrics_internal
}  // namespace failover
