#include "core/metrics/metrics_snapshot.h"

#include <algorithm>
#include <utility>

namespace failover {
namespace {

bool Less(absl::string_view a_name, const Tags& a_tags, absl::string_view b_name,
          const Tags& b_tags) {
  if (a_name != b_name) return a_name < b_name;
  return a_tags < b_tags;
}

}  // namespace

MetricsSnapshot::MetricsSnapshot(std::vector<SeriesSnapshot> series) : series_(std::move(series)) {
  std::sort(series_.begin(), series_.end(), [](const SeriesSnapshot& a, const SeriesSnapshot& b) {
    return Less(a.name, a.tags, b.name, b.tags);
  });
}

const SeriesSnapshot* MetricsSnapshot::Find(absl::string_view name, const Tags& tags) const {
  auto it = std::lower_bound(series_.begin(), series_.end(), name,
                             [&tags](const SeriesSnapshot& s, absl::string_view n) {
                               return Less(s.name, s.tags, n, tags);
                             });
  if (it == series_.end() || it->name != name || it->tags != tags) return nullptr;
  return &*it;
}

}  // namespace failover
