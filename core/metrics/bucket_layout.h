// BucketLayout: the fixed upper bounds of a histogram's buckets. A value v falls into the first
// bucket whose bound is >= v (Prometheus `le` semantics); values above the last bound fall into an
// implicit +Inf overflow bucket. Bounds are finite and strictly increasing; Create() checks that.
//
//   absl::StatusOr<failover::BucketLayout> layout =
//       failover::BucketLayout::Create({0.01, 0.1, 1.0});       // 3 bounds + overflow
//   failover::BucketLayout::Exponential(0.001, 2.0, 16);       // 1 ms .. 32.768 s
//   const failover::BucketLayout& d = failover::BucketLayout::DefaultSeconds();
#ifndef FAILOVER_CORE_METRICS_BUCKET_LAYOUT_H_
#define FAILOVER_CORE_METRICS_BUCKET_LAYOUT_H_

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"

namespace failover {

// Immutable value type; thread-compatible.
class BucketLayout {
 public:
  // Fails (InvalidArgument) unless every bound is finite and each is greater than the one
  // before. An empty list is allowed: a single overflow bucket.
  static absl::StatusOr<BucketLayout> Create(std::vector<double> upper_bounds);
  // `count` bounds: start, start*factor, start*factor^2, ... Requires start > 0, factor > 1,
  // 1 <= count <= 256.
  static absl::StatusOr<BucketLayout> Exponential(double start, double factor, int count);
  // The default for durations in seconds: 1 ms doubling up to 32.768 s (16 bounds), which spans
  // a cache hit to a slow upstream timeout at a relative error of at most 2x.
  static const BucketLayout& DefaultSeconds();

  const std::vector<double>& upper_bounds() const { return upper_bounds_; }
  // Number of buckets including the overflow bucket: upper_bounds().size() + 1.
  size_t bucket_count() const { return upper_bounds_.size() + 1; }
  // Index of the bucket `value` falls into; bucket_count() - 1 for the overflow bucket. `value`
  // must not be NaN.
  size_t BucketIndex(double value) const;

  friend bool operator==(const BucketLayout& a, const BucketLayout& b) {
    return a.upper_bounds_ == b.upper_bounds_;
  }

 private:
  explicit BucketLayout(std::vector<double> upper_bounds)
      : upper_bounds_(std::move(upper_bounds)) {}

  std::vector<double> upper_bounds_;
};

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_BUCKET_LAYOUT_H_
