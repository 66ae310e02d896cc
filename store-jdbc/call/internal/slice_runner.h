// RunSlices: runs the per-slice work of a scatter/gather batch, either inline on the caller
// (no executor: sequential, no deadline) or on a BoundedExecutor under ONE deadline for the
// whole batch, measured on the injected Clock (a timer fires at the deadline). The caller
// never waits past the deadline (except for a slice run on the caller under CALLER_RUNS).
// A slice still running at the deadline keeps running; its completion only touches state it
// shares through `work` (which the tasks keep alive), so it is harmless.
//
//   std::vector<bool> done = RunSlices(n, work, &executor, clock, absl::Seconds(10), warn);
//   // done[i]: work(i) finished before the deadline (false: late, discarded or rejected)
//
// Thread-safe: any number of batches may run concurrently on one executor.
#ifndef FAILOVER_STORE_JDBC_CALL_INTERNAL_SLICE_RUNNER_H_
#define FAILOVER_STORE_JDBC_CALL_INTERNAL_SLICE_RUNNER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/clock.h"
#include "core/executor/bounded_executor.h"
#include "core/warning_sink.h"

namespace failover {
namespace call_internal {

// `work(i)` writes only slot i of state it owns; RunSlices reads nothing of it. For each slice
// whose entry in the result is true, work(i) happened-before RunSlices returned.
// `timeout` nullopt = wait for every slice. `label` names the batch in warnings.
std::vector<bool> RunSlices(size_t count, std::shared_ptr<const std::function<void(size_t)>> work,
                            BoundedExecutor* executor, Clock& clock,
                            std::optional<absl::Duration> timeout, absl::string_view label,
                            const WarningSink& warnings);

}  // namespace call_internal
}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_CALL_INTERNAL_SLICE_RUNNER_H_
