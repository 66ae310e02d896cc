// The last two steps of a recovery, shared by Failover<T> and ScatterFailover: the
// recovered-payload handler, then the exception policy.
//
//   return ConcludeRecovery(options, hooks, args, cause, std::move(result), clock.WallNow());
//
// Stateless; thread-safe if the hooks are.
#ifndef FAILOVER_STORE_JDBC_CALL_INTERNAL_RECOVERY_POLICY_H_
#define FAILOVER_STORE_JDBC_CALL_INTERNAL_RECOVERY_POLICY_H_

#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "store-jdbc/call/failover_options.h"

namespace failover {
namespace call_internal {

// The handler may replace the value (as_of becomes `now` when it supplies a value where
// nothing was recovered). Then CUSTOM decides; otherwise a value is returned, and with none
// RETHROW returns `cause` itself and NEVER_THROW the empty result.
template <typename T>
absl::StatusOr<FailoverResult<T>> ConcludeRecovery(const FailoverOptions& options,
                                                   const FailoverHooks<T>& hooks,
                                                   const KeyArgs& args, const absl::Status& cause,
                                                   FailoverResult<T> result, absl::Time now) {
  if (hooks.recovered_payload_handler) {
    const bool had_value = result.value.has_value();
    std::optional<T> handled = hooks.recovered_payload_handler({options.name, args, result, cause});
    result.value = std::move(handled);
    if (!had_value && result.value.has_value()) result.as_of = now;
  }
  switch (options.exception_policy) {
    case ExceptionPolicy::kCustom:
      return hooks.exception_policy({options.name, args, result, cause});
    case ExceptionPolicy::kNeverThrow:
      return result;
    case ExceptionPolicy::kRethrow:
      break;
  }
  if (result.value.has_value()) return result;
  return cause;
}

}  // namespace call_internal
}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_CALL_INTERNAL_RECOVERY_POLICY_H_
