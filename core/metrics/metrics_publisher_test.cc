#include "core/metrics/metrics_publisher.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/metrics/metrics_registry.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

uint64_t Dropped(MetricsRegistry& registry) {
  return registry.GetCounter(MetricsPublisher::kDroppedMetric).Value();
}

TEST(MetricsPublisherTest, CreateFollowsAsyncOptions) {
  MetricsRegistry registry;
  EXPECT_EQ(MetricsPublisher::Create(registry, AsyncOptions())->mode(),
            PublishMode::kBackgroundThread);
  EXPECT_EQ(MetricsPublisher::Create(registry, AsyncOptions())->queue_capacity(), 10000u);
  EXPECT_EQ(MetricsPublisher::Create(registry, AsyncOptions{false, 5})->mode(),
            PublishMode::kSynchronous);
}

TEST(MetricsPublisherTest, SynchronousAppliesBeforeReturning) {
  MetricsRegistry registry;
  MetricsPublisher publisher(registry, PublishMode::kSynchronous, 1);
  EXPECT_TRUE(publisher.IncrementCounter("failover.call.total", {{"name", "q"}}, 2));
  EXPECT_TRUE(publisher.SetGauge("failover.api.health", {{"name", "q"}}, 0.5));
  EXPECT_TRUE(
      publisher.RecordTimer("failover.upstream.duration", {{"name", "q"}}, absl::Milliseconds(4)));
  EXPECT_EQ(registry.GetCounter("failover.call.total", {{"name", "q"}}).Value(), 2u);
  EXPECT_EQ(registry.GetGauge("failover.api.health", {{"name", "q"}}).Value(), 0.5);
  EXPECT_EQ(registry.GetTimer("failover.upstream.duration", {{"name", "q"}}).Read().count, 1u);
  EXPECT_EQ(publisher.ApplyPending(), 0u);
  EXPECT_TRUE(publisher.Flush());
}

TEST(MetricsPublisherTest, CallerDrivenQueuesUntilApplied) {
  MetricsRegistry registry;
  MetricsPublisher publisher(registry, PublishMode::kCallerDriven, 8);
  publisher.IncrementCounter("c", {});
  publisher.SetGauge("g", {}, 1);
  publisher.SetGauge("g", {}, 2);  // applied in order: the last value wins
  EXPECT_EQ(registry.GetCounter("c").Value(), 0u);
  EXPECT_EQ(publisher.ApplyPending(), 3u);
  EXPECT_EQ(registry.GetCounter("c").Value(), 1u);
  EXPECT_EQ(registry.GetGauge("g").Value(), 2.0);
  EXPECT_EQ(publisher.ApplyPending(), 0u);
}

TEST(MetricsPublisherTest, FullQueueDropsAndCounts) {
  MetricsRegistry registry;
  MetricsPublisher publisher(registry, PublishMode::kCallerDriven, 2);
  EXPECT_TRUE(publisher.IncrementCounter("c", {}));
  EXPECT_TRUE(publisher.IncrementCounter("c", {}));
  EXPECT_FALSE(publisher.IncrementCounter("c", {}));
  EXPECT_FALSE(publisher.RecordTimer("t", {}, absl::Seconds(1)));
  EXPECT_EQ(Dropped(registry), 2u);
  EXPECT_EQ(publisher.ApplyPending(), 2u);
  EXPECT_EQ(registry.GetCounter("c").Value(), 2u);
  EXPECT_TRUE(publisher.IncrementCounter("c", {}));  // room again
  EXPECT_TRUE(publisher.Flush());
  EXPECT_EQ(registry.GetCounter("c").Value(), 3u);
  EXPECT_EQ(Dropped(registry), 2u);
}

TEST(MetricsPublisherTest, ShutdownDrainsAcceptedUpdatesThenDrops) {
  MetricsRegistry registry;
  MetricsPublisher publisher(registry, PublishMode::kCallerDriven, 16);
  for (int i = 0; i < 10; ++i) publisher.IncrementCounter("c", {});
  publisher.Shutdown();
  EXPECT_EQ(registry.GetCounter("c").Value(), 10u);
  EXPECT_FALSE(publisher.IncrementCounter("c", {}));
  EXPECT_EQ(Dropped(registry), 1u);
  publisher.Shutdown();  // idempotent
}

TEST(MetricsPublisherTest, SynchronousDropsAfterShutdown) {
  MetricsRegistry registry;
  MetricsPublisher publisher(registry, PublishMode::kSynchronous, 1);
  publisher.Shutdown();
  EXPECT_FALSE(publisher.SetGauge("g", {}, 1));
  EXPECT_EQ(Dropped(registry), 1u);
}

TEST(MetricsPublisherTest, DestructionDrainsTheBackgroundQueue) {
  MetricsRegistry registry;
  {
    MetricsPublisher publisher(registry, PublishMode::kBackgroundThread, 1000);
    for (int i = 0; i < 500; ++i) ASSERT_TRUE(publisher.IncrementCounter("c", {{"k", "v"}}));
  }
  EXPECT_EQ(registry.GetCounter("c", {{"k", "v"}}).Value(), 500u);
  EXPECT_EQ(Dropped(registry), 0u);
}

// The one test that waits on the real worker thread: Flush() blocks on a condition, bounded by a
// generous timeout so a broken wake-up fails the test instead of hanging it.
TEST(MetricsPublisherTest, BackgroundWorkerAppliesSubmissionsFromManyThreads) {
  constexpr int kThreads = 4, kPerThread = 2000;
  MetricsRegistry registry;
  MetricsPublisher publisher(registry, PublishMode::kBackgroundThread, 100000);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&publisher] {
      for (int i = 0; i < kPerThread; ++i) {
        publisher.IncrementCounter("failover.call.total", {{"name", "q"}});
        publisher.RecordTimer("failover.upstream.duration", {{"name", "q"}}, absl::Microseconds(i));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_TRUE(publisher.Flush(absl::Seconds(30)));
  EXPECT_EQ(registry.GetCounter("failover.call.total", {{"name", "q"}}).Value(),
            uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(registry.GetTimer("failover.upstream.duration", {{"name", "q"}}).Read().count,
            uint64_t{kThreads} * kPerThread);
  EXPECT_EQ(Dropped(registry), 0u);

  // The worker went idle after the flush; a new submission must wake it.
  publisher.SetGauge("failover.live.entries", {}, 7);
  ASSERT_TRUE(publisher.Flush(absl::Seconds(30)));
  EXPECT_EQ(registry.GetGauge("failover.live.entries").Value(), 7.0);
}

// Each round trip lets the worker go idle before the next submission, exercising the wake-up
// handshake many times; a lost wake-up shows up as a Flush() timeout.
TEST(MetricsPublisherTest, BackgroundWorkerWakesForEachLoneSubmission) {
  MetricsRegistry registry;
  MetricsPublisher publisher(registry, PublishMode::kBackgroundThread, 4);
  for (int i = 1; i <= 1000; ++i) {
    ASSERT_TRUE(publisher.IncrementCounter("c", {}));
    ASSERT_TRUE(publisher.Flush(absl::Seconds(30))) << "round " << i;
    ASSERT_EQ(registry.GetCounter("c").Value(), static_cast<uint64_t>(i));
  }
}

// Flush() must not return while another thread has popped an update but not applied it yet.
TEST(MetricsPublisherTest, FlushWaitsForAnUpdateAnotherDrainerIsApplying) {
  MetricsRegistry registry;
  MetricsPublisher publisher(registry, PublishMode::kCallerDriven, 64);
  std::atomic<bool> stop{false};
  std::thread drainer([&] {
    while (!stop.load()) publisher.ApplyPending();
  });
  Counter& applied = registry.GetCounter("app.flushed");
  for (uint64_t round = 1; round <= 2000; ++round) {
    ASSERT_TRUE(publisher.IncrementCounter("app.flushed", {}, 1));
    ASSERT_TRUE(publisher.Flush(absl::Seconds(30)));
    ASSERT_EQ(applied.Value(), round);
  }
  stop.store(true);
  drainer.join();
}

// Under sustained submissions the worker keeps draining; Flush() still sees its own updates.
TEST(MetricsPublisherTest, FlushReturnsUnderSustainedLoad) {
  MetricsRegistry registry;
  auto publisher = MetricsPublisher::Create(registry, AsyncOptions{true, 4096});
  std::atomic<bool> stop{false};
  std::thread producer([&] {
    for (uint64_t i = 0; !stop.load(); ++i) {
      publisher->IncrementCounter("app.requests", {{"id", std::to_string(i % 5000)}});
    }
  });
  ASSERT_TRUE(publisher->SetGauge("app.marker", {}, 1.0));
  EXPECT_TRUE(publisher->Flush(absl::Seconds(30)));
  EXPECT_EQ(registry.GetGauge("app.marker").Value(), 1.0);
  stop.store(true);
  producer.join();
}

}  // namespace
}  // namespace failover
