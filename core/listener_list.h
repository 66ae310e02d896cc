// ListenerList<Event>: listeners of a component's events, delivered in order with no lock of
// the component held. Events are queued while the component holds its own lock (so their order
// is the order of the changes); Deliver() is called after that lock is released. If another
// thread is already delivering, Deliver() returns at once and that thread delivers the new
// events too, so listeners see one event at a time, in order, and may call back into the
// component (or into another component) without deadlock.
//
//   ListenerList<SwitchEvent> listeners_;
//   { MutexLock lock(&mu_); ...change state...; listeners_.Enqueue(event); }
//   listeners_.Deliver();
//
// Thread-safe.
#ifndef FAILOVER_CORE_LISTENER_LIST_H_
#define FAILOVER_CORE_LISTENER_LIST_H_

#include <functional>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "core/sync.h"

namespace failover {

template <typename Event>
class ListenerList {
 public:
  using Listener = std::function<void(const Event&)>;

  void Add(Listener listener) ABSL_LOCKS_EXCLUDED(mu_) {
    MutexLock lock(&mu_);
    listeners_.push_back(std::move(listener));
  }

  void Enqueue(Event event) ABSL_LOCKS_EXCLUDED(mu_) {
    MutexLock lock(&mu_);
    pending_.push_back(std::move(event));
  }

  // Delivers queued events, unless another thread is delivering (it will deliver them).
  void Deliver() ABSL_LOCKS_EXCLUDED(mu_) {
    {
      MutexLock lock(&mu_);
      if (delivering_) return;
      delivering_ = true;
    }
    std::vector<Event> batch;
    std::vector<Listener> listeners;
    for (;;) {
      {
        MutexLock lock(&mu_);
        batch.clear();
        batch.swap(pending_);
        if (batch.empty()) {
          delivering_ = false;
          return;
        }
        listeners = listeners_;  // Copied: listeners run unlocked and may add listeners.
      }
      for (const Event& event : batch) {
        for (const Listener& listener : listeners) listener(event);
      }
    }
  }

 private:
  Mutex mu_;
  std::vector<Listener> listeners_ ABSL_GUARDED_BY(mu_);
  std::vector<Event> pending_ ABSL_GUARDED_BY(mu_);
  bool delivering_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace failover

#endif  // FAILOVER_CORE_LISTENER_LIST_H_
