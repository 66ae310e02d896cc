#include "core/listener_list.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(ListenerListTest, DeliversQueuedEventsInOrderToEveryListener) {
  ListenerList<int> list;
  std::vector<std::string> seen;
  list.Add([&](const int& e) { seen.push_back("a" + std::to_string(e)); });
  list.Add([&](const int& e) { seen.push_back("b" + std::to_string(e)); });
  list.Enqueue(1);
  list.Enqueue(2);
  list.Deliver();
  EXPECT_EQ(seen, (std::vector<std::string>{"a1", "b1", "a2", "b2"}));
  list.Deliver();  // Nothing new.
  EXPECT_EQ(seen.size(), 4u);
}

TEST(ListenerListTest, EventsQueuedByAListenerAreDeliveredAfterTheCurrentOne) {
  ListenerList<int> list;
  std::vector<int> seen;
  list.Add([&](const int& e) {
    seen.push_back(e);
    if (e == 1) {
      list.Enqueue(2);
      list.Deliver();  // Re-entrant: returns at once; the outer loop delivers 2.
      seen.push_back(-1);
    }
  });
  list.Enqueue(1);
  list.Deliver();
  EXPECT_EQ(seen, (std::vector<int>{1, -1, 2}));
}

TEST(ListenerListTest, ListenerAddedDuringDeliveryGetsLaterEvents) {
  ListenerList<int> list;
  int late_calls = 0;
  list.Add([&](const int& e) {
    if (e == 1) list.Add([&](const int&) { ++late_calls; });
  });
  list.Enqueue(1);
  list.Deliver();
  list.Enqueue(2);
  list.Deliver();
  EXPECT_EQ(late_calls, 1);
}

TEST(ListenerListTest, ConcurrentProducersLoseNothing) {
  ListenerList<int> list;
  std::atomic<int> delivered{0};
  list.Add([&](const int&) { delivered.fetch_add(1); });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        list.Enqueue(i);
        list.Deliver();
      }
    });
  }
  for (auto& th : threads) th.join();
  list.Deliver();
  EXPECT_EQ(delivered.load(), 4000);
}

}  // namespace
}  // namespace failover
