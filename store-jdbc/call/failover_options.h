// FailoverOptions: how one failover (the C++ counterpart of one @Failover-annotated method)
// behaves: its name, storage namespace, expiry, key and expiry policies, execution type,
// exception policy and which errors must not trigger recovery. FailoverHooks<T> carries the
// typed, user-supplied parts (CUSTOM execution, CUSTOM exception policy, recovered-payload
// handler). FailoverResult<T> is what a wrapped call returns.
//
//   failover::FailoverOptions options;
//   options.name = "quotes";
//   options.domain = "market-data";            // shared with other failovers of the domain
//   options.expiry = absl::Minutes(30);
//   options.type = failover::FailoverType::kResilience;
//   options.breaker.consecutive_failures_threshold = 5;
//
// Plain values; copy freely. A Failover copies its options at creation.
#ifndef FAILOVER_STORE_JDBC_CALL_FAILOVER_OPTIONS_H_
#define FAILOVER_STORE_JDBC_CALL_FAILOVER_OPTIONS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/breaker/circuit_breaker_options.h"
#include "core/config/failover_config.h"
#include "core/warning_sink.h"
#include "store-jdbc/call/key_args.h"
#include "store-jdbc/call/key_generator.h"

namespace failover {

struct FailoverOptions;

// (wall-clock now, the failover's options) -> the instant the stored entry expires.
using ExpiryPolicy = std::function<absl::Time(absl::Time now, const FailoverOptions& options)>;

// The "validation errors / 4xx" that must not trigger recovery: INVALID_ARGUMENT, NOT_FOUND,
// ALREADY_EXISTS, PERMISSION_DENIED, UNAUTHENTICATED, FAILED_PRECONDITION, OUT_OF_RANGE.
std::vector<absl::StatusCode> DefaultNonRecoverableCodes();

struct FailoverOptions {
  // Unique among the failovers of a FailoverRegistry. Required.
  std::string name;
  // Storage namespace shared by every failover of the domain; empty = the failover's own name.
  std::string domain;
  // How long a stored result may be served (default expiry policy: now + expiry). > 0.
  absl::Duration expiry = absl::Hours(1);
  // Key of a call; empty = DefaultKeyGenerator() (Java-compatible UUID v3).
  KeyGenerator key_generator;
  // Expiry of a stored result; empty = now + expiry.
  ExpiryPolicy expiry_policy;
  // BASIC, RESILIENCE (circuit breaker named after the failover) or CUSTOM (hooks.execution).
  FailoverType type = FailoverType::kBasic;
  // Breaker settings when type == RESILIENCE.
  CircuitBreakerOptions breaker;
  // RETHROW, NEVER_THROW or CUSTOM (hooks.exception_policy).
  ExceptionPolicy exception_policy = ExceptionPolicy::kRethrow;
  // Upstream errors with these codes are returned as they are, without recovery.
  std::vector<absl::StatusCode> non_recoverable_codes = DefaultNonRecoverableCodes();
  // If set, an upstream error for which it returns true is also not recovered.
  std::function<bool(const absl::Status&)> non_recoverable;
  // failover.enabled: false calls the upstream directly (no store, no recovery, no metrics).
  bool enabled = true;
  // Store failures (which never fail the call) and delete failures go here.
  WarningSink warnings = StderrWarningSink();

  // domain if set, else name.
  const std::string& storage_namespace() const { return domain.empty() ? name : domain; }
  // True if `error` must be returned as is, without recovery.
  bool IsNonRecoverable(const absl::Status& error) const;
};

// Options named `name` with the application-wide failover.enabled, failover.type and
// failover.exception-policy of `config`; everything else at its default.
FailoverOptions FailoverOptionsFromConfig(const FailoverConfig& config, std::string name);

// Why a result is not up to date: the upstream error that triggered recovery.
struct FailureInfo {
  absl::Status status;         // the original upstream error (or the open breaker's refusal)
  std::string exception_type;  // absl::StatusCodeToString(status.code()), e.g. "UNAVAILABLE"
  std::string message;         // status.message()
  std::string cause;           // status.ToString(): code, message and every payload (the chain)

  static FailureInfo From(const absl::Status& status);
};

template <typename T>
struct FailoverResult {
  // The live result, the recovered one, or the handler's; empty when nothing was found
  // (NEVER_THROW) or the upstream succeeded without a value.
  std::optional<T> value;
  // True for a live upstream result; false for a recovered or substituted one.
  bool up_to_date = true;
  // When the value was produced by the upstream (now for a live result).
  absl::Time as_of;
  // Set when the upstream failed.
  std::optional<FailureInfo> failure;
};

// What the recovered-payload handler and a CUSTOM exception policy see.
template <typename T>
struct RecoveryContext {
  const std::string& name;          // the failover's name
  const KeyArgs& args;              // the call's arguments
  const FailoverResult<T>& result;  // what recovery produced (value empty if nothing)
  const absl::Status& cause;        // the upstream error
};

template <typename T>
struct FailoverHooks {
  // CUSTOM execution: runs the upstream its own way (retries, hedging...) and returns its result.
  std::function<absl::StatusOr<std::optional<T>>(
      const std::function<absl::StatusOr<std::optional<T>>()>& upstream)>
      execution;
  // Called after every recovery attempt; returns the value to serve (return ctx.result.value to
  // keep it, a default to substitute, nullopt for nothing).
  std::function<std::optional<T>(const RecoveryContext<T>&)> recovered_payload_handler;
  // CUSTOM exception policy: called after the handler on every recovery attempt, recovered or
  // not; its answer is the call's answer.
  std::function<absl::StatusOr<FailoverResult<T>>(const RecoveryContext<T>&)> exception_policy;
};

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_CALL_FAILOVER_OPTIONS_H_
