// Keys that identify a series within a snapshot and across a fleet. Length-prefixed parts, so no
// name or tag text can make two different series collide. Thread-safe (pure).
//
//   std::string key = AggregationKey(series);  // "c|14:failover.calls|3:api|5:users"
#ifndef FAILOVER_DASHBOARD_FLEET_INTERNAL_SERIES_KEY_H_
#define FAILOVER_DASHBOARD_FLEET_INTERNAL_SERIES_KEY_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace dashboard {
namespace fleet_internal {

// Name and tags (tags must be sorted by key).
inline std::string IdentityKey(const v1::MetricSeries& series) {
  std::string key = absl::StrCat(series.name().size(), ":", series.name());
  for (const v1::Tag& tag : series.tags()) {
    absl::StrAppend(&key, "|", tag.key().size(), ":", tag.key(), "|", tag.value().size(), ":",
                    tag.value());
  }
  return key;
}

// The kind ('c' counter, 'g' gauge, 'h' histogram), then the identity: a counter and a histogram
// that share a name and tags are summed separately.
inline std::string AggregationKey(const v1::MetricSeries& series) {
  const char kind = series.has_histogram() ? 'h' : series.has_gauge() ? 'g' : 'c';
  return absl::StrCat(std::string(1, kind), "|", IdentityKey(series));
}

}  // namespace fleet_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_FLEET_INTERNAL_SERIES_KEY_H_
