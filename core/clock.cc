#include "core/clock.h"

#include <limits>

namespace failover {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

}  // namespace

MonotonicTime operator+(MonotonicTime t, absl::Duration d) {
  if (t.nanos_ == kMax || t.nanos_ == kMin) return t;
  if (d == absl::InfiniteDuration()) return MonotonicTime::InfiniteFuture();
  if (d == -absl::InfiniteDuration()) return MonotonicTime::InfinitePast();
  // ToInt64Nanoseconds saturates for durations beyond +-292 years.
  const int64_t dn = absl::ToInt64Nanoseconds(d);
  int64_t sum;
  if (__builtin_add_overflow(t.nanos_, dn, &sum)) {
    return dn > 0 ? MonotonicTime::InfiniteFuture() : MonotonicTime::InfinitePast();
  }
  return MonotonicTime(sum);
}

absl::Duration operator-(MonotonicTime a, MonotonicTime b) {
  if (a.nanos_ == b.nanos_) return absl::ZeroDuration();
  if (a.nanos_ == kMax && b.nanos_ != kMax) return absl::InfiniteDuration();
  if (a.nanos_ == kMin && b.nanos_ != kMin) return -absl::InfiniteDuration();
  if (b.nanos_ == kMax || b.nanos_ == kMin) {
    return b.nanos_ == kMax ? -absl::InfiniteDuration() : absl::InfiniteDuration();
  }
  int64_t diff;
  if (__builtin_sub_overflow(a.nanos_, b.nanos_, &diff)) {
    return a.nanos_ > b.nanos_ ? absl::InfiniteDuration() : -absl::InfiniteDuration();
  }
  return absl::Nanoseconds(diff);
}

}  // namespace failover
