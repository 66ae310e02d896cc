// Mutex, MutexLock and Notification for the whole toolkit: thin wrappers over the standard
// library's pthread-based primitives, carrying Abseil's thread-safety annotations.
//
// Why not absl::Mutex: Debian's Abseil is a prebuilt shared library without ThreadSanitizer
// instrumentation, so TSan cannot see its lock and unlock and reports every access it protects
// as a race. std::mutex and std::condition_variable go through pthread, which TSan intercepts,
// so `bazel test --config=tsan` stays meaningful.
//
//   failover::Mutex mu;
//   int value ABSL_GUARDED_BY(mu) = 0;
//   {
//     failover::MutexLock lock(&mu);
//     mu.Await([&] { return value > 0; });  // Releases mu while waiting.
//   }
#ifndef FAILOVER_CORE_SYNC_H_
#define FAILOVER_CORE_SYNC_H_

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"

namespace failover {

// A non-recursive mutex. Like absl::Mutex, Await() wakes whenever the mutex is released by
// another thread and the condition holds, so no separate condition variable is needed.
// Thread-safe.
class ABSL_LOCKABLE Mutex {
 public:
  void Lock() ABSL_EXCLUSIVE_LOCK_FUNCTION() { mu_.lock(); }
  void Unlock() ABSL_UNLOCK_FUNCTION() {
    // Notify before unlocking: once unlocked, a woken waiter may destroy this mutex.
    if (waiters_ > 0) cv_.notify_all();
    mu_.unlock();
  }

  // Blocks (with the mutex released) until `condition()` is true. Requires the mutex held.
  template <typename Condition>
  void Await(Condition condition) ABSL_EXCLUSIVE_LOCKS_REQUIRED(this) {
    AwaitUntil(condition, std::chrono::steady_clock::time_point::max());
  }

  // As Await(), giving up after `timeout` (measured on the monotonic clock, so wall-clock steps
  // do not stretch it). Returns the condition's final value.
  template <typename Condition>
  bool AwaitWithTimeout(Condition condition, absl::Duration timeout)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(this) {
    const auto now = std::chrono::steady_clock::now();
    const auto limit = std::chrono::steady_clock::time_point::max() - now;
    const auto wait = timeout >= absl::FromChrono(limit)
                          ? limit
                          : std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                absl::ToChronoNanoseconds(std::max(timeout, absl::ZeroDuration())));
    return AwaitUntil(condition, now + wait);
  }

 private:
  template <typename Condition>
  bool AwaitUntil(Condition condition, std::chrono::steady_clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mu_, std::adopt_lock);
    // The caller may have changed guarded state before waiting, and waiting releases the mutex
    // without going through Unlock(): wake the other waiters once so they re-check.
    if (waiters_ > 0) cv_.notify_all();
    ++waiters_;
    while (!condition()) {
      if (deadline == std::chrono::steady_clock::time_point::max()) {
        cv_.wait(lock);
      } else if (cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
        break;
      }
    }
    --waiters_;
    const bool result = condition();
    lock.release();  // Still held by the caller.
    return result;
  }

  std::mutex mu_;
  std::condition_variable cv_;
  int waiters_ = 0;  // Guarded by mu_.
};

// Holds a Mutex for its scope.
class ABSL_SCOPED_LOCKABLE MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu) : mu_(mu) { mu_->Lock(); }
  ~MutexLock() ABSL_UNLOCK_FUNCTION() { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* const mu_;
};

// A one-shot event: Notify() once, any number of threads wait for it. Thread-safe.
class Notification {
 public:
  void Notify() {
    MutexLock lock(&mu_);
    notified_ = true;
  }
  bool HasBeenNotified() {
    MutexLock lock(&mu_);
    return notified_;
  }
  void WaitForNotification() {
    MutexLock lock(&mu_);
    mu_.Await([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return notified_; });
  }
  bool WaitForNotificationWithTimeout(absl::Duration timeout) {
    MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout([this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return notified_; },
                                timeout);
  }

 private:
  Mutex mu_;
  bool notified_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace failover

#endif  // FAILOVER_CORE_SYNC_H_
