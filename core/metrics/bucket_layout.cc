#include "core/metrics/bucket_layout.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace failover {

absl::StatusOr<BucketLayout> BucketLayout::Create(std::vector<double> upper_bounds) {
  for (size_t i = 0; i < upper_bounds.size(); ++i) {
    if (!std::isfinite(upper_bounds[i])) {
      return absl::InvalidArgumentError(absl::StrCat("histogram bucket bound at index ", i, " is ",
                                                     upper_bounds[i], "; bounds must be finite"));
    }
    if (i > 0 && !(upper_bounds[i] > upper_bounds[i - 1])) {
      return absl::InvalidArgumentError(
          absl::StrCat("histogram bucket bound at index ", i, " (", upper_bounds[i],
                       ") must be greater than the one before (", upper_bounds[i - 1], ")"));
    }
  }
  return BucketLayout(std::move(upper_bounds));
}

absl::StatusOr<BucketLayout> BucketLayout::Exponential(double start, double factor, int count) {
  if (!(start > 0) || !std::isfinite(start)) {
    return absl::InvalidArgumentError(
        absl::StrCat("exponential histogram start must be positive and finite, got ", start));
  }
  if (!(factor > 1) || !std::isfinite(factor)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "exponential histogram factor must be finite and greater than 1, got ", factor));
  }
  if (count < 1 || count > 256) {
    return absl::InvalidArgumentError(
        absl::StrCat("exponential histogram bucket count must be in [1, 256], got ", count));
  }
  std::vector<double> bounds;
  bounds.reserve(count);
  double bound = start;
  for (int i = 0; i < count; ++i, bound *= factor) {
    if (!std::isfinite(bound) || (i > 0 && !(bound > bounds.back()))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "exponential histogram start ", start, " x factor ", factor, " ^ ", i,
          " is not a finite bound above the previous one; use a smaller start, factor or count (",
          count, ")"));
    }
    bounds.push_back(bound);
  }
  return Create(std::move(bounds));
}

const BucketLayout& BucketLayout::DefaultSeconds() {
  // Never destroyed, so it stays valid for meters used during static destruction.
  static const BucketLayout* const kLayout = new BucketLayout(*Exponential(0.001, 2.0, 16));
  return *kLayout;
}

size_t BucketLayout::BucketIndex(double value) const {
  return static_cast<size_t>(std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) -
                             upper_bounds_.begin());
}

}  // namespace failover
