// Eight threads hammer one breaker across many trips and recoveries while another thread moves
// the (simulated) clock. Run under --config=tsan to prove the lock-free paths race-free; the
// assertions prove nothing is lost or double counted.
#include <atomic>
#include <thread>
#include <vector>

#include "core/breaker/circuit_breaker.h"
#include "core/simulated_clock.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(CircuitBreakerConcurrencyTest, EightThreadsAcrossTrips) {
  SimulatedClock clock;
  CircuitBreakerOptions o;
  o.sliding_window_size = 50;
  o.minimum_number_of_calls = 20;
  o.failure_rate_threshold = 50;
  o.consecutive_failures_threshold = 15;
  o.wait_duration_in_open_state = absl::Milliseconds(2);
  o.automatic_transition_from_open_to_half_open = true;
  o.permitted_number_of_calls_in_half_open_state = 5;
  auto created = CircuitBreaker::Create("hammered", o, clock);
  ASSERT_TRUE(created.ok());
  CircuitBreaker& b = **created;

  std::atomic<uint64_t> events{0};
  std::atomic<int> recoveries{0};
  b.AddListener([&](const StateTransitionEvent& e) {
    events.fetch_add(1);
    if (e.to == CircuitBreakerState::kClosed) recoveries.fetch_add(1);
  });

  constexpr int kThreads = 8;
  constexpr int kWantedRecoveries = 10;
  // The dependency's health follows simulated time, so progress does not depend on how the
  // threads are scheduled: 10 ms of 75 % failures, then 10 ms of 10 % failures, and so on.
  auto failing_phase = [&] {
    return ((clock.Now() - MonotonicTime()) / absl::Milliseconds(10)) % 2 == 0;
  };
  std::atomic<uint64_t> calls{0};
  std::atomic<uint64_t> permitted{0};
  std::atomic<uint64_t> refused{0};
  std::atomic<bool> done{false};
  std::thread ticker([&] {
    const MonotonicTime give_up = clock.Now() + absl::Seconds(60);
    uint64_t calls_at_last_tick = 0;
    while (recoveries.load() < kWantedRecoveries && clock.Now() < give_up) {
      // Time moves in 1 ms steps, each after at least 40 more calls, so every phase sees
      // traffic however the threads are scheduled.
      if (calls.load() < calls_at_last_tick + 40) {
        std::this_thread::yield();
        continue;
      }
      calls_at_last_tick = calls.load();
      clock.Advance(absl::Milliseconds(1));
    }
    done.store(true);
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      while (!done.load()) {
        const uint64_t n = calls.fetch_add(1);
        if (!b.TryAcquirePermission()) {
          refused.fetch_add(1);
          continue;
        }
        permitted.fetch_add(1);
        const bool failing = failing_phase() ? n % 4 != 0 : n % 10 == 0;
        b.OnResult(absl::Microseconds(50),
                   failing ? absl::UnavailableError("down") : absl::OkStatus());
      }
    });
  }
  for (auto& th : threads) th.join();
  ticker.join();

  const CircuitBreakerMetrics m = b.metrics();
  EXPECT_GE(recoveries.load(), kWantedRecoveries);
  EXPECT_EQ(permitted.load() + refused.load(), calls.load());
  EXPECT_EQ(m.not_permitted_calls, refused.load());
  uint64_t transitions = 0;
  for (const auto& row : m.transitions) {
    for (uint64_t n : row) transitions += n;
  }
  EXPECT_GE(m.transitions[0][1], static_cast<uint64_t>(kWantedRecoveries));  // CLOSED -> OPEN
  EXPECT_EQ(events.load(), transitions);
  EXPECT_LE(m.buffered_calls, 50);
  EXPECT_LE(m.failed_calls, m.buffered_calls);
}

// Breakers destroyed while their timers fire on the real clock's thread: under ASan this fails
// with a use-after-free if the destructor does not wait for a running timer callback.
TEST(CircuitBreakerConcurrencyTest, DestroyedWhileItsTimerFires) {
  CircuitBreakerOptions o;
  o.sliding_window_size = 1;
  o.minimum_number_of_calls = 1;
  o.wait_duration_in_open_state = absl::ZeroDuration();
  o.max_wait_duration_in_open_state = absl::ZeroDuration();
  o.automatic_transition_from_open_to_half_open = true;
  o.max_wait_duration_in_half_open_state = absl::Microseconds(1);
  for (int i = 0; i < 300; ++i) {
    auto created = CircuitBreaker::Create("short-lived", o, SystemClock());
    ASSERT_TRUE(created.ok());
    std::atomic<int> events{0};
    (*created)->AddListener([&](const StateTransitionEvent&) { events.fetch_add(1); });
    ASSERT_TRUE((*created)->TryAcquirePermission());
    (*created)->OnError(absl::ZeroDuration(), absl::UnavailableError("down"));
    // Timers now bounce it OPEN -> HALF_OPEN -> OPEN ... on the timer thread.
    for (int spin = 0; spin < i % 50; ++spin) std::this_thread::yield();
    created->reset();
    const int seen = events.load();
    for (int spin = 0; spin < 100; ++spin) std::this_thread::yield();
    EXPECT_EQ(events.load(), seen) << "a listener ran after destruction";
  }
}

}  // namespace
}  // namespace failover
