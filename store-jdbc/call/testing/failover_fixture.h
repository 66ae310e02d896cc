// The fixture of the Failover<T> tests: a Quote failover over an in-memory store, a simulated
// clock and a metrics registry, with its warnings recorded. Test-only.
#ifndef FAILOVER_STORE_JDBC_CALL_TESTING_FAILOVER_FIXTURE_H_
#define FAILOVER_STORE_JDBC_CALL_TESTING_FAILOVER_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "core/simulated_clock.h"
#include "gtest/gtest.h"
#include "store-jdbc/call/failover.h"
#include "store-jdbc/call/testdata/quote.pb.h"
#include "store-jdbc/testing/map_failover_store.h"

namespace failover {
namespace calltest {

inline Quote MakeQuote(const std::string& symbol, double px) {
  Quote q;
  q.set_symbol(symbol);
  q.set_px(px);
  return q;
}

class FailoverTest : public ::testing::Test {
 protected:
  FailoverOptions Options(const std::string& name) {
    FailoverOptions options;
    options.name = name;
    options.warnings = [this](absl::string_view w) { warnings_.emplace_back(w); };
    return options;
  }

  std::unique_ptr<Failover<Quote>> Make(FailoverOptions options, FailoverHooks<Quote> hooks = {}) {
    auto created = Failover<Quote>::Create(
        std::move(options), std::make_unique<ProtoJsonCodec<Quote>>("com.acme.Quote"),
        std::move(hooks), deps_);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? std::move(*created) : nullptr;
  }

  uint64_t CounterValue(absl::string_view name, const Tags& tags) {
    return metrics_.GetCounter(name, tags).Value();
  }

  static Failover<Quote>::Upstream Ok(Quote q) {
    return [q]() -> absl::StatusOr<Quote> { return q; };
  }
  static Failover<Quote>::Upstream Fail(absl::Status s) {
    return [s]() -> absl::StatusOr<Quote> { return s; };
  }

  SimulatedClock clock_;
  MapFailoverStore store_;
  MetricsRegistry metrics_;
  FailoverRegistry registry_{metrics_};
  FailoverDependencies deps_{store_, clock_, registry_};
  std::vector<std::string> warnings_;
};

}  // namespace calltest
}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_CALL_TESTING_FAILOVER_FIXTURE_H_
