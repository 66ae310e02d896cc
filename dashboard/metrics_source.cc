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

}  // namespace dashboard
}  // namespace failover
