#include "store-jdbc/call/failover_metrics.h"

namespace failover {

FailoverMetrics::FailoverMetrics(MetricsRegistry& registry, absl::string_view name,
                                 absl::string_view domain)
    : registry_(registry),
      name_(name),
      stored_(registry.GetCounter(kStore, {{"name", name}, {"stored", "true"}})),
      not_stored_(registry.GetCounter(kStore, {{"name", name}, {"stored", "false"}})),
      recovered_(registry.GetCounter(
          kRecover, {{"name", name}, {"recovered", "true"}, {"recovery_failed", "false"}})),
      not_recovered_(registry.GetCounter(
          kRecover, {{"name", name}, {"recovered", "false"}, {"recovery_failed", "false"}})),
      recovery_failed_(registry.GetCounter(
          kRecover, {{"name", name}, {"recovered", "false"}, {"recovery_failed", "true"}})),
      outcome_recovered_(registry.GetCounter(
          kOutcome, {{"name", name}, {"domain", domain}, {"outcome", "recovered"}})),
      outcome_not_recovered_(registry.GetCounter(
          kOutcome, {{"name", name}, {"domain", domain}, {"outcome", "not_recovered"}})),
      outcome_error_(registry.GetCounter(
          kOutcome, {{"name", name}, {"domain", domain}, {"outcome", "error"}})),
      partial_(registry.GetCounter(kPartial, {{"name", name}})),
      call_success_(
          registry.GetCounter(kCall, {{"name", name}, {"domain", domain}, {"result", "success"}})),
      call_failover_(
          registry.GetCounter(kCall, {{"name", name}, {"domain", domain}, {"result", "failover"}})),
      store_timer_(registry.GetTimer(kOperation, {{"name", name}, {"action", "store"}})),
      recover_timer_(registry.GetTimer(kOperation, {{"name", name}, {"action", "recover"}})),
      upstream_success_(registry.GetTimer(kUpstream, {{"name", name}, {"result", "success"}})),
      upstream_failure_(registry.GetTimer(kUpstream, {{"name", name}, {"result", "failure"}})) {}

void FailoverMetrics::RecordStore(bool stored, absl::Duration elapsed) {
  (stored ? stored_ : not_stored_).Increment();
  store_timer_.Record(elapsed);
}

void FailoverMetrics::RecordRecovery(RecoveryOutcome outcome, absl::Duration elapsed) {
  switch (outcome) {
    case RecoveryOutcome::kRecovered:
      recovered_.Increment();
      outcome_recovered_.Increment();
      break;
    case RecoveryOutcome::kNotRecovered:
      not_recovered_.Increment();
      outcome_not_recovered_.Increment();
      break;
    case RecoveryOutcome::kError:
      recovery_failed_.Increment();
      outcome_error_.Increment();
      break;
  }
  recover_timer_.Record(elapsed);
}

void FailoverMetrics::RecordException(absl::StatusCode code) {
  int slot = static_cast<int>(code);
  if (slot < 0 || slot >= kCodeCount) {  // a code absl does not define counts as UNKNOWN
    code = absl::StatusCode::kUnknown;
    slot = static_cast<int>(code);
  }
  Counter* counter = exceptions_[slot].load(std::memory_order_acquire);
  if (counter == nullptr) {
    // Two threads may both look it up the first time; the registry returns the same meter.
    counter = &registry_.GetCounter(
        kException, {{"name", name_}, {"exception_type", absl::StatusCodeToString(code)}});
    exceptions_[slot].store(counter, std::memory_order_release);
  }
  counter->Increment();
}

}  // namespace failover
