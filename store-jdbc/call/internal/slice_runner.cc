#include "store-jdbc/call/internal/slice_runner.h"

#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "core/sync.h"

namespace failover {
namespace call_internal {
namespace {

// Shared by the caller, the slice tasks and the deadline timer; outlives whichever ends last.
struct BatchState {
  explicit BatchState(size_t count) : finished(count, false) {}
  Mutex mu;
  std::vector<bool> finished ABSL_GUARDED_BY(mu);
  size_t settled ABSL_GUARDED_BY(mu) = 0;  // finished, discarded or rejected
  bool deadline_passed ABSL_GUARDED_BY(mu) = false;
};

void Settle(BatchState& state, size_t index, bool finished) {
  MutexLock lock(&state.mu);
  state.finished[index] = finished;
  ++state.settled;
}

}  // namespace

std::vector<bool> RunSlices(size_t count, std::shared_ptr<const std::function<void(size_t)>> work,
                            BoundedExecutor* executor, Clock& clock,
                            std::optional<absl::Duration> timeout, absl::string_view label,
                            const WarningSink& warnings) {
  if (executor == nullptr) {
    for (size_t i = 0; i < count; ++i) (*work)(i);
    return std::vector<bool>(count, true);
  }
  auto state = std::make_shared<BatchState>(count);
  TimerId timer = kNoTimer;
  if (timeout.has_value()) {
    timer = clock.ScheduleAfter(*timeout, [state] {
      MutexLock lock(&state->mu);
      state->deadline_passed = true;
    });
  }
  for (size_t i = 0; i < count; ++i) {
    absl::StatusOr<SubmitOutcome> submitted = executor->Submit([state, work, i] {
      (*work)(i);
      Settle(*state, i, true);
    });
    if (!submitted.ok()) {
      warnings(absl::StrCat(label, ": slice ", i, " not run: ", submitted.status().ToString()));
      Settle(*state, i, false);
    } else if (*submitted == SubmitOutcome::kDiscarded) {
      Settle(*state, i, false);
    }
  }
  std::vector<bool> finished;
  {
    MutexLock lock(&state->mu);
    state->mu.Await([&state]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(state->mu) {
      return state->settled == state->finished.size() || state->deadline_passed;
    });
    finished = state->finished;
  }
  if (timer != kNoTimer) clock.Cancel(timer);
  return finished;
}

}  // namespace call_internal
}  // namespace failover
