#include "core/metrics/metrics_options.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace failover {

absl::StatusOr<InstanceMode> ParseInstanceMode(absl::string_view text) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  for (InstanceMode mode : {InstanceMode::kAuto, InstanceMode::kAlways, InstanceMode::kNever}) {
    if (absl::EqualsIgnoreCase(trimmed, InstanceModeName(mode))) return mode;
  }
  return absl::InvalidArgumentError(absl::StrCat("failover.observable.instance.mode: '", text,
                                                 "' must be one of auto, always, never"));
}

absl::string_view InstanceModeName(InstanceMode mode) {
  switch (mode) {
    case InstanceMode::kAuto:
      return "auto";
    case InstanceMode::kAlways:
      return "always";
    case InstanceMode::kNever:
      return "never";
  }
  return "auto";
}

absl::Status ValidateMetricsOptions(const MetricsOptions& options) {
  if (options.cardinality.max_apis < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover.observable.cardinality.max-apis: ", options.cardinality.max_apis,
                     " must be at least 1"));
  }
  if (options.async.queue_capacity < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("failover.observable.async.queue-capacity: ", options.async.queue_capacity,
                     " must be at least 1"));
  }
  return absl::OkStatus();
}

}  // namespace failover
