// FailoverEngine: the type-independent part of a failover, shared by Failover<T> and
// ScatterFailover: registration of the name, the circuit breaker of a RESILIENCE failover,
// keys, storing encoded results, finding live entries (deleting expired ones) and metrics.
// The typed wrappers encode, decode and apply the hooks.
//
//   auto engine = FailoverEngine::Create(options, store, clock, registry);
//   absl::Status s = (*engine)->Execute([&] { return CallUpstream(); });
//   if (s.ok()) (*engine)->Store(key, codec.Encode(value), codec.type_name());
//
// Thread-safe: everything it holds is immutable or thread-safe (store, breaker, meters).
#ifndef FAILOVER_STORE_JDBC_CALL_INTERNAL_FAILOVER_ENGINE_H_
#define FAILOVER_STORE_JDBC_CALL_INTERNAL_FAILOVER_ENGINE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/breaker/circuit_breaker.h"
#include "core/clock.h"
#include "store-jdbc/call/failover_metrics.h"
#include "store-jdbc/call/failover_options.h"
#include "store-jdbc/call/failover_registry.h"
#include "store-jdbc/failover_store.h"

namespace failover {
namespace call_internal {

class FailoverEngine {
 public:
  // Validates the options and registers the name (ALREADY_EXISTS for a duplicate). `store`,
  // `clock` and `registry` must outlive the engine.
  static absl::StatusOr<std::unique_ptr<FailoverEngine>> Create(FailoverOptions options,
                                                                FailoverStore& store, Clock& clock,
                                                                FailoverRegistry& registry);
  ~FailoverEngine();
  FailoverEngine(const FailoverEngine&) = delete;
  FailoverEngine& operator=(const FailoverEngine&) = delete;

  const FailoverOptions& options() const { return options_; }
  const std::string& storage_namespace() const { return options_.storage_namespace(); }
  Clock& clock() const { return clock_; }
  FailoverMetrics& metrics() { return metrics_; }
  // The breaker of a RESILIENCE failover, else nullptr.
  CircuitBreaker* breaker() const { return breaker_.get(); }

  std::string Key(const KeyArgs& args) const;
  // Runs `call` (the upstream, or the CUSTOM execution around it) through the breaker when
  // RESILIENCE; an open breaker refuses without calling. Records the upstream timer and, for
  // an error, the exception counter. Returns the call's status, or the breaker's refusal.
  absl::Status Execute(const std::function<absl::Status()>& call);
  // Stores an encoded live result under `key` (as_of = now, expire_on = expiry policy). Never
  // fails: an encoding or store error is counted (stored=false) and sent to the warning sink.
  void Store(const std::string& key, const absl::StatusOr<std::string>& payload,
             const std::string& type_name);
  // The live entry under `key` or nullopt (missing, or expired and then deleted). An error for
  // a store failure or an entry of another payload type.
  absl::StatusOr<std::optional<FailoverStoreEntry>> FindLive(const std::string& key,
                                                             absl::string_view type_name);
  // Every live entry of the namespace (expired ones are deleted).
  absl::StatusOr<std::vector<FailoverStoreEntry>> FindAllLive();
  // FAILED_PRECONDITION naming both types when `entry` does not hold `type_name`.
  absl::Status CheckType(const FailoverStoreEntry& entry, absl::string_view type_name) const;
  void Warn(absl::string_view message) const;

 private:
  FailoverEngine(FailoverOptions options, FailoverStore& store, Clock& clock,
                 FailoverRegistry& registry, std::unique_ptr<CircuitBreaker> breaker);
  // Deletes an expired entry, warning on failure.
  void DeleteExpired(const FailoverStoreEntry& entry);

  const FailoverOptions options_;
  FailoverStore& store_;
  Clock& clock_;
  FailoverRegistry& registry_;
  const std::unique_ptr<CircuitBreaker> breaker_;
  FailoverMetrics metrics_;
};

}  // namespace call_internal
}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_CALL_INTERNAL_FAILOVER_ENGINE_H_
