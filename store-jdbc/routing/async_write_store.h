// AsyncWriteStore: the failover.store.async decorator. Store, Delete and CleanByExpiry run on a
// BoundedExecutor sized by failover.store.async-executor.* (concurrency-limit, rejection-policy);
// Find and FindAll always run on the caller.
//
// What "OK" means, and when a write is durable:
//   - Store/Delete returning OK means ACCEPTED: queued for a worker, or already run on the
//     caller (CALLER_RUNS at the limit). Under DISCARD at the limit the write is DROPPED, yet
//     Store/Delete still return OK (the Java contract: the store is a regenerable cache); such
//     writes are counted in discarded_writes() and reported to the WarningSink (once per burst).
//     Under ABORT at the limit they return RESOURCE_EXHAUSTED and nothing is written.
//   - An accepted write is DURABLE (in the backend) only once its backend call has returned OK,
//     which is guaranteed after Flush() returns OK, or after the store is destroyed (the
//     destructor drains every accepted write). A failed background write is counted in
//     failed_writes(), reported to the WarningSink, and returned by the next Flush().
//   - Read-your-writes: a Find/FindAll that starts after Store/Delete returned sees that write
//     (newest write of a key wins) even before it reaches the backend; if its backend call then
//     fails, reads fall back to what the backend holds.
//   - A pending CleanByExpiry(now) is applied to reads by filtering: until it finishes, reads hide
//     every entry (pending or stored) with expire_on < now. Such entries are expired for any
//     later caller anyway. CleanByExpiry returns the number removed only when it ran on the
//     caller; a queued clean returns 0 and adds its count to cleaned_entries() when done.
//   - Writes of one (name, key) reach the backend newest-last whatever order the executor runs
//     them in: they are serialised per key, and a write older than the backend's is skipped.
//
// Thread-safe if the inner store is. Destroy it only after every call into it has returned.
//
//   AsyncExecutorConfig config;  // from failover.store.async-executor.*
//   config.concurrency_limit = 256;
//   config.rejection_policy = RejectionPolicy::kCallerRuns;
//   std::unique_ptr<AsyncWriteStore> store = NewAsyncWriteStore(std::move(sql_store), config);
//   absl::Status accepted = store->Store(entry);   // accepted, maybe not yet in the backend
//   auto found = store->Find(entry.name, entry.key);  // sees it anyway
//   absl::Status durable = store->Flush();          // now in the backend (or the error)
#ifndef FAILOVER_STORE_JDBC_ROUTING_ASYNC_WRITE_STORE_H_
#define FAILOVER_STORE_JDBC_ROUTING_ASYNC_WRITE_STORE_H_

#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "core/config/store_config.h"
#include "core/warning_sink.h"
#include "store-jdbc/failover_store.h"

namespace failover {

class AsyncWriteStore : public FailoverStore {
 public:
  // Blocks until every write accepted before the call has reached the backend (or failed).
  // Returns the first background write failure since the previous Flush() (OK if none), with
  // the failing operation, name and key in its message, and clears it.
  virtual absl::Status Flush() = 0;
  virtual int64_t failed_writes() const = 0;     // background backend calls that failed
  virtual int64_t discarded_writes() const = 0;  // writes dropped under DISCARD at the limit
  virtual int64_t cleaned_entries() const = 0;   // entries removed by finished background cleans
};

// Worker threads of the write executor: min(concurrency-limit, 4), or 4 when unbounded.
inline constexpr int kAsyncWriteThreads = 4;

// `inner` must not be null. Its calls run on the executor's threads and on callers.
std::unique_ptr<AsyncWriteStore> NewAsyncWriteStore(std::unique_ptr<FailoverStore> inner,
                                                    const AsyncExecutorConfig& config,
                                                    WarningSink warnings = StderrWarningSink());

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_ROUTING_ASYNC_WRITE_STORE_H_
