#include "core/breaker/internal/count_window.h"

namespace failover {
namespace breaker_internal {

CountWindow::CountWindow(uint32_t size)
    : size_(size),
      magic_(UINT64_C(0xFFFFFFFFFFFFFFFF) / size + 1),
      slots_(new std::atomic<uint8_t>[size]) {
  for (uint32_t i = 0; i < size_; ++i) slots_[i].store(kEmpty, std::memory_order_relaxed);
}

void CountWindow::Reset() {
  for (uint32_t i = 0; i < size_; ++i) {
    counters_.Add(static_cast<Outcome>(slots_[i].exchange(kEmpty, std::memory_order_relaxed)), -1);
  }
}

}  // namespace breaker_internal
}  // namespace failover
