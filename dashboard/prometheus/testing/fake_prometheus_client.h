// FakePrometheusClient: a PrometheusClient answering canned vectors per exact PromQL text, for
// tests of what reads Prometheus. Unknown queries answer an empty vector; SetError() makes every
// query fail (Prometheus down). Thread-safe.
//
//   auto fake = std::make_unique<FakePrometheusClient>();
//   fake->Answer("up", {{{{"instance", "a:1"}}, 1}});
//   FakePrometheusClient* handle = fake.get();
//   PrometheusMetricsSource source(std::move(fake));
#ifndef FAILOVER_DASHBOARD_PROMETHEUS_TESTING_FAKE_PROMETHEUS_CLIENT_H_
#define FAILOVER_DASHBOARD_PROMETHEUS_TESTING_FAKE_PROMETHEUS_CLIENT_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "core/sync.h"
#include "dashboard/prometheus/prometheus_client.h"

namespace failover {
namespace dashboard {

class FakePrometheusClient final : public PrometheusClient {
 public:
  void Answer(const std::string& promql, std::vector<PrometheusSample> samples) {
    MutexLock lock(&mu_);
    answers_[promql] = std::move(samples);
  }
  // OK: answer again.
  void SetError(absl::Status status) {
    MutexLock lock(&mu_);
    error_ = std::move(status);
  }
  std::vector<std::string> queries() {
    MutexLock lock(&mu_);
    return queries_;
  }

  absl::StatusOr<std::vector<PrometheusSample>> Query(absl::string_view promql) override {
    MutexLock lock(&mu_);
    queries_.emplace_back(promql);
    if (!error_.ok()) return error_;
    const auto it = answers_.find(std::string(promql));
    if (it == answers_.end()) return std::vector<PrometheusSample>();
    return it->second;
  }

 private:
  Mutex mu_;
  std::map<std::string, std::vector<PrometheusSample>> answers_ ABSL_GUARDED_BY(mu_);
  absl::Status error_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> queries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_PROMETHEUS_TESTING_FAKE_PROMETHEUS_CLIENT_H_
