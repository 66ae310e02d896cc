#include "dashboard/metrics_source.h"

namespace failover {
namespace dashboard {

absl::string_view LivenessName(Liveness liveness) {
  switch (liveness) {
    case Liveness::kLive:
      return "LIVE";
    case Liveness::kDown:
      return "DOWN";
    case Liveness::kUnknown:
      break;
  }
  return "UNKNOWN";
}

LivenessCounts CountByLiveness(const std::vector<InstanceStatus>& instances) {
  LivenessCounts counts;
  for (const InstanceStatus& instance : instances) {
    switch (instance.liveness) {
      case Liveness::kLive:
        ++counts.live;
        break;
      case Liveness::kDown:
        ++counts.down;
        break;
      case Liveness::kUnknown:
        ++counts.unknown;
        break;
    }
  }
  return counts;
}

}  // namespace dashboard
}  // namespace failover
