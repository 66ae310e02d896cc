// Failover<T>: the C++ counterpart of the Java framework's @Failover annotation. It wraps an
// upstream call: a success is stored (under the key of the call's arguments, in the failover's
// storage namespace) and returned up to date; a failure is answered, when possible, with the
// last stored result, marked not up to date with its as-of time and the failure; then the
// recovered-payload handler and the exception policy have their say. Errors are values: the
// upstream returns absl::StatusOr<T>, the wrapper absl::StatusOr<FailoverResult<T>>.
//
//   failover::FailoverOptions options;
//   options.name = "quotes";
//   auto quotes = failover::Failover<acme::Quote>::Create(
//       options, std::make_unique<failover::ProtoJsonCodec<acme::Quote>>("com.acme.Quote"),
//       {}, {store, failover::SystemClock(), failover_registry});
//   if (!quotes.ok()) return quotes.status();
//   absl::StatusOr<failover::FailoverResult<acme::Quote>> quote =
//       (*quotes)->Call({"EURUSD"}, [&] { return client.GetQuote("EURUSD"); });
//   if (quote.ok() && !quote->up_to_date) { ... served from the store, as of quote->as_of ... }
//
// Semantics (the reference's, with its defects fixed):
//   - upstream OK with a value: stored (upsert; a store failure is a warning, never an error),
//     returned with up_to_date = true. OK without a value (CallOptional): counted as a
//     success, not stored.
//   - upstream error listed as non-recoverable (validation / 4xx): returned as is, no lookup.
//   - other errors (and an open breaker): the live entry is decoded and returned with
//     up_to_date = false; an expired entry is deleted and not served; a payload of another
//     type or that fails to decode is not served (outcome `error`).
//   - then hooks.recovered_payload_handler may replace the value (as_of becomes now when it
//     supplies a value where nothing was recovered);
//   - then the exception policy: CUSTOM decides; otherwise a value is returned, and with
//     nothing: RETHROW returns the ORIGINAL upstream status, NEVER_THROW an empty result.
//   - options.enabled == false: the upstream is called directly, nothing else happens.
//
// Thread-safety: Call() may run concurrently from any number of threads, provided the
// codec, hooks, key generator and expiry policy may.
#ifndef FAILOVER_STORE_JDBC_CALL_FAILOVER_H_
#define FAILOVER_STORE_JDBC_CALL_FAILOVER_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "core/clock.h"
#include "store-jdbc/call/failover_options.h"
#include "store-jdbc/call/failover_registry.h"
#include "store-jdbc/call/internal/failover_engine.h"
#include "store-jdbc/call/internal/recovery_policy.h"
#include "store-jdbc/call/key_args.h"
#include "store-jdbc/call/payload_codec.h"
#include "store-jdbc/failover_store.h"

namespace failover {

// What every failover of an application shares. Each must outlive the failovers using it.
struct FailoverDependencies {
  FailoverStore& store;
  Clock& clock;
  FailoverRegistry& registry;
};

namespace call_internal {
// INVALID_ARGUMENT when a CUSTOM type or policy lacks its hook, or `codec_missing`.
absl::Status ValidateHooks(const FailoverOptions& options, bool has_execution,
                           bool has_exception_policy, bool codec_missing);
}  // namespace call_internal

template <typename T>
class Failover {
 public:
  using Upstream = std::function<absl::StatusOr<T>()>;
  using OptionalUpstream = std::function<absl::StatusOr<std::optional<T>>()>;

  // Validates and registers `options.name` (ALREADY_EXISTS for a duplicate).
  static absl::StatusOr<std::unique_ptr<Failover>> Create(
      FailoverOptions options, std::unique_ptr<const PayloadCodec<T>> codec, FailoverHooks<T> hooks,
      const FailoverDependencies& deps) {
    absl::Status hooks_ok =
        call_internal::ValidateHooks(options, static_cast<bool>(hooks.execution),
                                     static_cast<bool>(hooks.exception_policy), codec == nullptr);
    if (!hooks_ok.ok()) return hooks_ok;
    auto engine = call_internal::FailoverEngine::Create(std::move(options), deps.store, deps.clock,
                                                        deps.registry);
    if (!engine.ok()) return engine.status();
    return std::unique_ptr<Failover>(
        new Failover(std::move(*engine), std::move(codec), std::move(hooks)));
  }

  // Calls `upstream` under the failover; `args` identify the call (its key).
  absl::StatusOr<FailoverResult<T>> Call(const KeyArgs& args, const Upstream& upstream) {
    return CallOptional(args, [&upstream]() -> absl::StatusOr<std::optional<T>> {
      absl::StatusOr<T> result = upstream();
      if (!result.ok()) return result.status();
      return std::optional<T>(std::move(*result));
    });
  }

  // As Call(), for an upstream that may succeed without a value (nullopt: not stored).
  absl::StatusOr<FailoverResult<T>> CallOptional(const KeyArgs& args,
                                                 const OptionalUpstream& upstream) {
    if (!engine_->options().enabled) return CallDirectly(upstream);
    std::optional<T> value;
    absl::Status status = engine_->Execute([&]() -> absl::Status {
      absl::StatusOr<std::optional<T>> result =
          options().type == FailoverType::kCustom ? hooks_.execution(upstream) : upstream();
      if (!result.ok()) return result.status();
      value = std::move(*result);
      return absl::OkStatus();
    });
    if (status.ok()) {
      if (value.has_value()) engine_->Store(engine_->Key(args), codec_->Encode(*value), type());
      engine_->metrics().RecordCall(/*success=*/true);
      return Live(std::move(value));
    }
    if (engine_->options().IsNonRecoverable(status)) return status;
    engine_->metrics().RecordCall(/*success=*/false);
    return call_internal::ConcludeRecovery(options(), hooks_, args, status,
                                           Recover(engine_->Key(args), status),
                                           engine_->clock().WallNow());
  }

  const FailoverOptions& options() const { return engine_->options(); }
  const std::string& type() const { return codec_->type_name(); }
  // The breaker of a RESILIENCE failover (named after it), else nullptr.
  CircuitBreaker* breaker() const { return engine_->breaker(); }

 private:
  Failover(std::unique_ptr<call_internal::FailoverEngine> engine,
           std::unique_ptr<const PayloadCodec<T>> codec, FailoverHooks<T> hooks)
      : engine_(std::move(engine)), codec_(std::move(codec)), hooks_(std::move(hooks)) {}

  FailoverResult<T> Live(std::optional<T> value) const {
    FailoverResult<T> result;
    result.value = std::move(value);
    result.as_of = engine_->clock().WallNow();
    return result;
  }

  absl::StatusOr<FailoverResult<T>> CallDirectly(const OptionalUpstream& upstream) const {
    absl::StatusOr<std::optional<T>> result = upstream();
    if (!result.ok()) return result.status();
    return Live(std::move(*result));
  }

  // Looks the key up and decodes; records the outcome.
  FailoverResult<T> Recover(const std::string& key, const absl::Status& cause) {
    const MonotonicTime start = engine_->clock().Now();
    FailoverResult<T> result;
    result.up_to_date = false;
    result.as_of = engine_->clock().WallNow();
    result.failure = FailureInfo::From(cause);
    RecoveryOutcome outcome = RecoveryOutcome::kNotRecovered;
    absl::StatusOr<std::optional<FailoverStoreEntry>> found = engine_->FindLive(key, type());
    absl::Status error = found.status();
    if (found.ok() && found->has_value()) {
      absl::StatusOr<T> decoded = codec_->Decode((*found)->payload);
      if (decoded.ok()) {
        outcome = RecoveryOutcome::kRecovered;
        result.value = std::move(*decoded);
        result.as_of = (*found)->as_of;
      }
      error = decoded.status();
    }
    if (!error.ok()) {
      outcome = RecoveryOutcome::kError;
      engine_->Warn(absl::StrCat("failover '", options().name, "': recovery of key ", key,
                                 " failed: ", error.ToString()));
    }
    engine_->metrics().RecordRecovery(outcome, engine_->clock().Now() - start);
    return result;
  }

  const std::unique_ptr<call_internal::FailoverEngine> engine_;
  const std::unique_ptr<const PayloadCodec<T>> codec_;
  const FailoverHooks<T> hooks_;
};

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_CALL_FAILOVER_H_
