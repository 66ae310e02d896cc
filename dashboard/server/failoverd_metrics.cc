#include "dashboard/server/failoverd_metrics.h"

#include <vector>

namespace failover {
namespace dashboard {
namespace {

constexpr absl::string_view kDefaultNamespace = "public";

}  // namespace

FailoverdMetrics::FailoverdMetrics(MetricsRegistry& registry, MetricsSource* fleet)
    : registry_(registry), fleet_(fleet), ingest_(registry) {
  if (fleet_ != nullptr) {
    live_ = &registry_.GetGauge(kInstancesMetric, {{"liveness", LivenessName(Liveness::kLive)}});
    down_ = &registry_.GetGauge(kInstancesMetric, {{"liveness", LivenessName(Liveness::kDown)}});
    unknown_ =
        &registry_.GetGauge(kInstancesMetric, {{"liveness", LivenessName(Liveness::kUnknown)}});
  }
  registry_.GetGauge(kNamingSwitchMetric, {{"namespace", kDefaultNamespace}}).Set(0);
}

void FailoverdMetrics::Refresh() {
  if (fleet_ == nullptr) return;
  MutexLock lock(&refresh_mu_);
  const LivenessCounts counts = CountByLiveness(fleet_->Instances());
  live_->Set(counts.live);
  down_->Set(counts.down);
  unknown_->Set(counts.unknown);
}

void FailoverdMetrics::OnNamingChange(const std::string& nacos_namespace,
                                      const naming::StoreChange& change) {
  if (change.kind != naming::StoreChange::Kind::kSwitch) return;
  registry_.GetGauge(kNamingSwitchMetric, {{"namespace", nacos_namespace}})
      .Set(change.switch_state.enabled ? 1 : 0);
}

}  // namespace dashboard
}  // namespace failover
