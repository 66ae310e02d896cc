// FailoverMetrics: the meters of one failover, with the Java framework's names and tags, looked
// up once in a MetricsRegistry when the failover is created so that a call only increments.
//
//   failover.store.total{name,stored=true|false}
//   failover.recover.total{name,recovered,recovery_failed}
//   failover.recovery.outcome.total{name,domain,outcome=recovered|not_recovered|error}
//   failover.recovery.partial.total{name}
//   failover.call.total{name,domain,result=success|failover}
//   failover.exception.total{name,exception_type}   (exception_type = absl status code name)
//   failover.operation.duration{name,action=store|recover}   (timer)
//   failover.upstream.duration{name,result=success|failure}  (timer)
//
// The `domain` tag is the storage namespace (the domain, else the failover's name).
//
//   failover::FailoverMetrics metrics(registry, "quotes", "market-data");
//   metrics.RecordCall(/*success=*/true);
//   metrics.RecordRecovery(failover::RecoveryOutcome::kRecovered, absl::Milliseconds(2));
//
// Thread-safe and lock-free after construction (exception counters are resolved on first use
// of each status code, then cached).
#ifndef FAILOVER_STORE_JDBC_CALL_FAILOVER_METRICS_H_
#define FAILOVER_STORE_JDBC_CALL_FAILOVER_METRICS_H_

#include <array>
#include <atomic>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/metrics/metrics_registry.h"

namespace failover {

enum class RecoveryOutcome { kRecovered, kNotRecovered, kError };

class FailoverMetrics {
 public:
  static constexpr absl::string_view kStore = "failover.store.total";
  static constexpr absl::string_view kRecover = "failover.recover.total";
  static constexpr absl::string_view kOutcome = "failover.recovery.outcome.total";
  static constexpr absl::string_view kPartial = "failover.recovery.partial.total";
  static constexpr absl::string_view kCall = "failover.call.total";
  static constexpr absl::string_view kException = "failover.exception.total";
  static constexpr absl::string_view kOperation = "failover.operation.duration";
  static constexpr absl::string_view kUpstream = "failover.upstream.duration";

  // `registry` must outlive this object.
  FailoverMetrics(MetricsRegistry& registry, absl::string_view name, absl::string_view domain);
  FailoverMetrics(const FailoverMetrics&) = delete;
  FailoverMetrics& operator=(const FailoverMetrics&) = delete;

  // A store attempt and how long it took.
  void RecordStore(bool stored, absl::Duration elapsed);
  // A lookup after an upstream failure: recover.total, recovery.outcome.total and the timer.
  void RecordRecovery(RecoveryOutcome outcome, absl::Duration elapsed);
  // A batch recovered only in part.
  void RecordPartialRecovery() { partial_.Increment(); }
  // A call answered by the upstream (success) or through recovery (failover).
  void RecordCall(bool success) { (success ? call_success_ : call_failover_).Increment(); }
  // An upstream error (recoverable or not).
  void RecordException(absl::StatusCode code);
  void RecordUpstream(bool success, absl::Duration elapsed) {
    (success ? upstream_success_ : upstream_failure_).Record(elapsed);
  }

 private:
  static constexpr int kCodeCount = 17;  // absl::StatusCode 0..16

  MetricsRegistry& registry_;
  const std::string name_;
  Counter& stored_;
  Counter& not_stored_;
  Counter& recovered_;
  Counter& not_recovered_;
  Counter& recovery_failed_;
  Counter& outcome_recovered_;
  Counter& outcome_not_recovered_;
  Counter& outcome_error_;
  Counter& partial_;
  Counter& call_success_;
  Counter& call_failover_;
  Timer& store_timer_;
  Timer& recover_timer_;
  Timer& upstream_success_;
  Timer& upstream_failure_;
  std::array<std::atomic<Counter*>, kCodeCount> exceptions_{};
};

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_CALL_FAILOVER_METRICS_H_
