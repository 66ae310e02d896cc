#include "dashboard/fleet/internal/snapshot_validation.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "dashboard/fleet/internal/series_key.h"

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
  absl::flat_hash_map<std::string, int> seen;
  seen.reserve(snapshot->series_size());
  for (int i = 0; i < snapshot->series_size(); ++i) {
    v1::MetricSeries* series = snapshot->mutable_series(i);
    if (absl::Status status = ValidateSeries(i, series); !status.ok()) return status;
    auto [it, inserted] = seen.emplace(IdentityKey(*series), i);
    if (!inserted) {
      return Invalid(i, *series, absl::StrCat("same name and tags as series[", it->second, "]"));
    }
  }
  return absl::OkStatus();
}

}  // namespace fleet_internal
}  // namespace dashboard
}  // namespace failover
