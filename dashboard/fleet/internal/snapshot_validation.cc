#include "dashboard/fleet/internal/snapshot_validation.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace failover {
namespace dashboard {
namespace fleet_internal {
namespace {

absl::Status Invalid(int index, const v1::MetricSeries& series, absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("series[", index, "] '", series.name(), "': ", problem));
}

absl::Status ValidateHistogram(int index, const v1::MetricSeries& series) {
  const v1::Histogram& histogram = series.histogram();
  for (int b = 1; b < histogram.buckets_size(); ++b) {
    const v1::Histogram::Bucket& previous = histogram.buckets(b - 1);
    const v1::Histogram::Bucket& bucket = histogram.buckets(b);
    if (!(bucket.upper_bound() > previous.upper_bound())) {
      return Invalid(index, series,
                     absl::StrCat("histogram bucket ", b, " upper_bound ", bucket.upper_bound(),
                                  " is not above bucket ", b - 1, "'s ", previous.upper_bound()));
    }
    if (bucket.cumulative_count() < previous.cumulative_count()) {
      return Invalid(
          index, series,
          absl::StrCat("histogram buckets are not cumulative: bucket ", b, " cumulative_count ",
                       bucket.cumulative_count(), " is less than bucket ", b - 1, "'s ",
                       previous.cumulative_count()));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateSeries(int index, v1::MetricSeries* series) {
  if (series->name().empty()) {
    return absl::InvalidArgumentError(absl::StrCat("series[", index, "]: name is empty"));
  }
  std::sort(series->mutable_tags()->begin(), series->mutable_tags()->end(),
            [](const v1::Tag& a, const v1::Tag& b) { return a.key() < b.key(); });
  for (int t = 1; t < series->tags_size(); ++t) {
    if (series->tags(t).key() == series->tags(t - 1).key()) {
      return Invalid(index, *series,
                     absl::StrCat("duplicate tag key '", series->tags(t).key(), "'"));
    }
  }
  switch (series->value_case()) {
    case v1::MetricSeries::kCounter:
      if (!std::isfinite(series->counter()) || series->counter() < 0) {
        return Invalid(
            index, *series,
            absl::StrCat("counter ", series->counter(), " is not a finite non-negative number"));
      }
      return absl::OkStatus();
    case v1::MetricSeries::kGauge:
      return absl::OkStatus();
    case v1::MetricSeries::kHistogram:
      return ValidateHistogram(index, *series);
    case v1::MetricSeries::VALUE_NOT_SET:
      break;
  }
  return Invalid(index, *series, "has no value (counter, gauge or histogram)");
}

// -1, 0 or 1 as a's name and (sorted) tags order before, like or after b's.
int CompareIdentity(const v1::MetricSeries& a, const v1::MetricSeries& b) {
  if (int c = a.name().compare(b.name()); c != 0) return c;
  const int common = std::min(a.tags_size(), b.tags_size());
  for (int t = 0; t < common; ++t) {
    if (int c = a.tags(t).key().compare(b.tags(t).key()); c != 0) return c;
    if (int c = a.tags(t).value().compare(b.tags(t).value()); c != 0) return c;
  }
  return a.tags_size() < b.tags_size() ? -1 : a.tags_size() > b.tags_size() ? 1 : 0;
}

// Among the first `count` series (tags sorted): the lowest index whose name and tags an earlier
// series has, with the first such earlier index. Sorts indices instead of building a key per
// series: no allocation but the index vector.
std::optional<std::pair<int, int>> FirstDuplicate(const v1::MetricsSnapshot& snapshot, int count) {
  std::vector<int> order(count);
  for (int i = 0; i < count; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    const int c = CompareIdentity(snapshot.series(a), snapshot.series(b));
    return c != 0 ? c < 0 : a < b;
  });
  std::optional<std::pair<int, int>> first;
  int run_start = 0;  // Within a run of equal series the indices ascend.
  for (int k = 1; k < count; ++k) {
    if (CompareIdentity(snapshot.series(order[k - 1]), snapshot.series(order[k])) != 0) {
      run_start = k;
    } else if (k == run_start + 1 && (!first || order[k] < first->first)) {
      first = std::make_pair(order[k], order[run_start]);
    }
  }
  return first;
}

}  // namespace

absl::Status ValidateInstanceId(absl::string_view instance_id) {
  if (absl::StripAsciiWhitespace(instance_id).empty()) {
    return absl::InvalidArgumentError("instance_id is blank");
  }
  if (instance_id.size() > kMaxInstanceIdLength) {
    return absl::InvalidArgumentError(absl::StrCat("instance_id '", instance_id.substr(0, 40),
                                                   "...' is longer than ", kMaxInstanceIdLength,
                                                   " characters (", instance_id.size(), ")"));
  }
  return absl::OkStatus();
}

absl::Status ValidateAndNormalize(v1::MetricsSnapshot* snapshot) {
  if (absl::Status status = ValidateInstanceId(snapshot->instance_id()); !status.ok()) {
    return status;
  }
  if (snapshot->series_size() > kMaxSeriesPerSnapshot) {
    return absl::InvalidArgumentError(
        absl::StrCat("snapshot of '", snapshot->instance_id(), "' has ", snapshot->series_size(),
                     " series; at most ", kMaxSeriesPerSnapshot, " are accepted"));
  }
  // Reports the same error as checking each series, then whether an earlier one has its name
  // and tags: the first invalid series, unless a duplicate comes before it.
  absl::Status invalid;
  int checked = 0;
  for (; checked < snapshot->series_size(); ++checked) {
    invalid = ValidateSeries(checked, snapshot->mutable_series(checked));
    if (!invalid.ok()) break;
  }
  if (std::optional<std::pair<int, int>> duplicate = FirstDuplicate(*snapshot, checked)) {
    const auto [later, earlier] = *duplicate;
    return Invalid(later, snapshot->series(later),
                   absl::StrCat("same name and tags as series[", earlier, "]"));
  }
  return invalid;
}

}  // namespace fleet_internal
}  // namespace dashboard
}  // namespace failover
