#include "core/metrics/testing/benchmark_registry.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace failover {

const MetricsRegistry& BenchmarkRegistry() {
  static MetricsRegistry* const registry = [] {
    auto* r = new MetricsRegistry();
    for (int i = 0; i < kBenchmarkApis; ++i) {
      const std::string api = absl::StrCat("api-", i);
      for (const char* result : {"success", "failover", "failure"}) {
        r->GetCounter("failover.call.total", {{"name", api}, {"result", result}})
            .Increment(1000 + i);
      }
      r->GetCounter("failover.stale.served", {{"name", api}}).Increment(i);
      r->GetCounter("failover.recovery.total", {{"name", api}}).Increment(3);
      r->GetGauge("failover.breaker.state", {{"name", api}}).Set(i % 3);
      r->GetGauge("failover.live.entries", {{"name", api}}).Set(i * 10.5);
      for (const char* action : {"store", "load"}) {
        Timer& t = r->GetTimer("failover.operation.duration", {{"name", api}, {"action", action}});
        for (int ms : {1, 3, 12, 40, 250}) t.Record(absl::Milliseconds(ms + i));
      }
      r->GetTimer("failover.upstream.duration", {{"name", api}}).Record(absl::Milliseconds(30));
    }
    return r;
  }();
  return *registry;
}

}  // namespace failover
