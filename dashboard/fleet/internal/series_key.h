// Keys that identify a series within a snapshot and across a fleet. Length-prefixed parts, so no
// name or tag text can make two different series collide. Thread-safe (pure).
//
//   std::string key = AggregationKey(series);  // "c|14:failover.calls|3:api|5:users"
#ifndef FAILOVER_DASHBOARD_FLEET_INTERNAL_SERIES_KEY_H_
#define FAILOVER_DASHBOARD_FLEET_INTERNAL_SERIES_KEY_H_

#include <cstddef>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace dashboard {
namespace fleet_internal {

// Appends "<size>:<text>" to `key`.
inline void AppendKeyPart(absl::string_view text, std::string* key) {
  absl::StrAppend(key, text.size(), ":", text);
}

// Appends the name and tags (tags must be sorted by key).
inline void AppendIdentityKey(const v1::MetricSeries& series, std::string* key) {
  AppendKeyPart(series.name(), key);
  for (const v1::Tag& tag : series.tags()) {
    key->push_back('|');
    AppendKeyPart(tag.key(), key);
    key->push_back('|');
    AppendKeyPart(tag.value(), key);
  }
}

// Appends the kind ('c' counter, 'g' gauge, 'h' histogram), then the identity: a counter and a
// histogram that share a name and tags are summed separately.
inline void AppendAggregationKey(const v1::MetricSeries& series, std::string* key) {
  key->push_back(series.has_histogram() ? 'h' : series.has_gauge() ? 'g' : 'c');
  key->push_back('|');
  AppendIdentityKey(series, key);
}

// At least the size of AggregationKey(series): for reserving.
inline size_t AggregationKeySizeBound(const v1::MetricSeries& series) {
  constexpr size_t kPartOverhead = 22;  // '|', up to 20 digits, ':'
  size_t size = 2 + kPartOverhead + series.name().size();
  for (const v1::Tag& tag : series.tags()) {
    size += 2 * kPartOverhead + tag.key().size() + tag.value().size();
  }
  return size;
}

// Name and tags (tags must be sorted by key).
inline std::string IdentityKey(const v1::MetricSeries& series) {
  std::string key;
  AppendIdentityKey(series, &key);
  return key;
}

inline std::string AggregationKey(const v1::MetricSeries& series) {
  std::string key;
  AppendAggregationKey(series, &key);
  return key;
}

}  // namespace fleet_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_FLEET_INTERNAL_SERIES_KEY_H_
