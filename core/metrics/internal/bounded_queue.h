// BoundedQueue: a fixed-capacity, lock-free multi-producer multi-consumer FIFO (Dmitry Vyukov's
// bounded MPMC queue). TryPush() fails instead of blocking when the queue is full, which is what
// the metrics publisher needs: emitting a metric must never stall the caller.
//
//   metrics_internal::BoundedQueue<int> queue(2);
//   queue.TryPush(1);      // true
//   queue.TryPush(2);      // true
//   queue.TryPush(3);      // false: full
//   int v;
//   queue.TryPop(v);       // true, v == 1
//
// Every slot is allocated (and its T default-constructed) up front. Pushes and pops are ordered
// by ticket: PushedCount() counts tickets taken by successful pushes, PoppedCount() those taken
// by successful pops, so when PoppedCount() >= n every push with a ticket below n was popped.
#ifndef FAILOVER_CORE_METRICS_INTERNAL_BOUNDED_QUEUE_H_
#define FAILOVER_CORE_METRICS_INTERNAL_BOUNDED_QUEUE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

namespace failover {
namespace metrics_internal {

// Thread-safe and lock-free for any number of producers and consumers. T must be default
// constructible and move assignable.
template <typename T>
class BoundedQueue {
 public:
  // `capacity` >= 1.
  explicit BoundedQueue(size_t capacity)
      : capacity_(capacity),
        slot_count_(capacity < 2 ? 2 : capacity),
        slots_(new Slot[slot_count_]) {
    for (size_t i = 0; i < slot_count_; ++i) slots_[i].sequence.store(i, std::memory_order_relaxed);
  }
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  // Moves `value` in and returns true, or returns false (leaving `value` alone) when full.
  bool TryPush(T& value) {
    uint64_t pos = push_pos_.load(std::memory_order_relaxed);
    for (;;) {
      // With one slot, "full" and "free for the next lap" would be the same sequence value, so a
      // capacity-1 queue runs on two slots and is capped here instead.
      if (slot_count_ != capacity_ &&
          static_cast<int64_t>(pos - pop_pos_.load(std::memory_order_acquire)) >=
              static_cast<int64_t>(capacity_)) {
        return false;
      }
      Slot& slot = slots_[pos % slot_count_];
      const uint64_t seq = slot.sequence.load(std::memory_order_acquire);
      const int64_t diff = static_cast<int64_t>(seq - pos);
      if (diff == 0) {
        // seq_cst: see PushedCount().
        if (push_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_seq_cst,
                                            std::memory_order_relaxed)) {
          slot.value = std::move(value);
          slot.sequence.store(pos + 1, std::memory_order_release);
          return true;
        }
      } else if (diff < 0) {
        return false;  // The slot still holds an item from the previous lap: full.
      } else {
        pos = push_pos_.load(std::memory_order_relaxed);
      }
    }
  }

  // Moves the oldest item into `out` and returns true, or returns false when empty (or when the
  // oldest ticket's producer has not finished writing it yet).
  bool TryPop(T& out) {
    uint64_t pos = pop_pos_.load(std::memory_order_relaxed);
    for (;;) {
      Slot& slot = slots_[pos % slot_count_];
      const uint64_t seq = slot.sequence.load(std::memory_order_acquire);
      const int64_t diff = static_cast<int64_t>(seq - (pos + 1));
      if (diff == 0) {
        if (pop_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
          out = std::move(slot.value);
          slot.value = T();  // Release what the item owned now, not a lap later.
          slot.sequence.store(pos + slot_count_, std::memory_order_release);
          return true;
        }
      } else if (diff < 0) {
        return false;
      } else {
        pos = pop_pos_.load(std::memory_order_relaxed);
      }
    }
  }

  // Whether the oldest ticket holds a finished item that TryPop() would return.
  bool HasReadyItem() const {
    const uint64_t pos = pop_pos_.load(std::memory_order_relaxed);
    return slots_[pos % slot_count_].sequence.load(std::memory_order_acquire) == pos + 1;
  }

  // Taking a push ticket is a seq_cst operation, and so is this load, so callers can build a
  // Dekker-style handshake on it (the publisher's worker wake-up does).
  uint64_t PushedCount() const { return push_pos_.load(std::memory_order_seq_cst); }
  uint64_t PoppedCount() const { return pop_pos_.load(std::memory_order_acquire); }
  size_t capacity() const { return capacity_; }

 private:
  struct Slot {
    std::atomic<uint64_t> sequence{0};
    T value;
  };

  const size_t capacity_;
  const size_t slot_count_;  // max(capacity_, 2)
  const std::unique_ptr<Slot[]> slots_;
  alignas(64) std::atomic<uint64_t> push_pos_{0};
  alignas(64) std::atomic<uint64_t> pop_pos_{0};
};

}  // namespace metrics_internal
}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_INTERNAL_BOUNDED_QUEUE_H_
