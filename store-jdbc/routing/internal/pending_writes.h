// PendingWrites: the writes an AsyncWriteStore has accepted but not yet applied to its backend.
// It gives readers their own writes back before they land (read-your-writes), and makes the
// background writes of one (name, key) apply newest-wins whatever order the executor runs them
// in: writes of a key are serialised, and a write older than one already in the backend is
// skipped. Thread-safe; readers skip the mutex entirely while nothing is pending.
//
// A write's life: Add() (before submission, invisible) -> Publish() once the executor accepted
// it, or Withdraw() if it was rejected; the task runs BeginWrite() -> backend call -> EndWrite().
#ifndef FAILOVER_STORE_JDBC_ROUTING_INTERNAL_PENDING_WRITES_H_
#define FAILOVER_STORE_JDBC_ROUTING_INTERNAL_PENDING_WRITES_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "core/sync.h"
#include "store-jdbc/failover_store.h"

namespace failover {
namespace routing_internal {

// What a write leaves under its key: the entry, or nullopt for a delete.
using PendingValue = std::optional<FailoverStoreEntry>;

class PendingWrites {
 public:
  // What readers must overlay on the backend's answer.
  struct KeyView {
    std::optional<PendingValue> write;        // newest pending write of the key, if any
    std::optional<absl::Time> clean_horizon;  // pending CleanByExpiry: hide expire_on < this
  };
  struct NamespaceView {
    std::map<std::string, PendingValue> writes;  // key -> newest pending write
    std::optional<absl::Time> clean_horizon;
  };

  // Records a write about to be submitted; readers do not see it until Publish(). Returns its
  // sequence number (later calls get larger numbers: the newest write wins).
  uint64_t Add(const std::string& name, const std::string& key, PendingValue value);
  // The executor accepted the write: readers see it from now on (no-op if it already finished).
  void Publish(const std::string& name, const std::string& key, uint64_t seq);
  // The executor rejected the write: forget it.
  void Withdraw(const std::string& name, const std::string& key, uint64_t seq);

  // Called by the write's task. Waits while another write of the key is in progress, then
  // returns true if the task must apply its write, or false (and forgets it) when a newer write
  // of the key has already reached the backend.
  bool BeginWrite(const std::string& name, const std::string& key, uint64_t seq);
  // The backend call of a write BeginWrite() let through has returned.
  void EndWrite(const std::string& name, const std::string& key, uint64_t seq, bool succeeded);

  // A CleanByExpiry(now) accepted (Add) and finished or rejected (Remove).
  void AddClean(absl::Time now);
  void RemoveClean(absl::Time now);

  KeyView Lookup(const std::string& name, const std::string& key) const;
  NamespaceView Namespace(const std::string& name) const;

 private:
  struct Version {
    PendingValue value;
    bool visible = false;
  };
  struct KeyState {
    std::map<uint64_t, Version> versions;  // by sequence number; each has a task outstanding
    uint64_t backend_seq = 0;              // newest write known to be in the backend
    bool writing = false;                  // a task is in its backend call
  };
  using Keys = std::map<std::pair<std::string, std::string>, KeyState>;

  // Forgets version `seq` of the key at `it`, and the key once nothing of it is pending.
  void ForgetLocked(Keys::iterator it, uint64_t seq) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::optional<PendingValue> NewestVisibleLocked(const KeyState& state) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::optional<absl::Time> CleanHorizonLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable Mutex mu_;
  uint64_t next_seq_ ABSL_GUARDED_BY(mu_) = 1;
  Keys keys_ ABSL_GUARDED_BY(mu_);
  std::multiset<absl::Time> cleans_ ABSL_GUARDED_BY(mu_);
  // Versions plus cleans recorded. Zero means readers may go straight to the backend: every
  // write counted before has finished, and the release/acquire pair orders it before the read.
  std::atomic<int64_t> outstanding_{0};
};

}  // namespace routing_internal
}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_ROUTING_INTERNAL_PENDING_WRITES_H_
