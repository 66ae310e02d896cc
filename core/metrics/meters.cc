#include "core/metrics/meters.h"

#include <cmath>
#include <limits>

namespace failover {
namespace {

void AtomicAdd(std::atomic<double>& target, double delta) {
  double current = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(current, current + delta, std::memory_order_relaxed)) {
  }
}

void AtomicMax(std::atomic<double>& target, double candidate) {
  double current = target.load(std::memory_order_relaxed);
  while (candidate > current &&
         !target.compare_exchange_weak(current, candidate, std::memory_order_relaxed)) {
  }
}

}  // namespace

void Gauge::Add(double delta) { AtomicAdd(value_, delta); }

Histogram::Histogram(const BucketLayout& layout)
    : layout_(layout),
      bucket_counts_(new std::atomic<uint64_t>[layout.bucket_count()]),
      max_(-std::numeric_limits<double>::infinity()) {
  for (size_t i = 0; i < layout_.bucket_count(); ++i) {
    bucket_counts_[i].store(0, std::memory_order_relaxed);
  }
}

void Histogram::Record(double value) {
  if (!std::isfinite(value)) return;
  bucket_counts_[layout_.BucketIndex(value)].fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, value);
  AtomicMax(max_, value);
}

void Histogram::Reset() {
  for (size_t i = 0; i < layout_.bucket_count(); ++i) {
    bucket_counts_[i].store(0, std::memory_order_relaxed);
  }
  sum_.store(0.0, std::memory_order_relaxed);
  max_.store(-std::numeric_limits<double>::infinity(), std::memory_order_relaxed);
}

HistogramValue Histogram::Read() const {
  HistogramValue value;
  value.upper_bounds = layout_.upper_bounds();
  value.bucket_counts.reserve(layout_.bucket_count());
  for (size_t i = 0; i < layout_.bucket_count(); ++i) {
    const uint64_t n = bucket_counts_[i].load(std::memory_order_relaxed);
    value.bucket_counts.push_back(n);
    value.count += n;
  }
  value.sum = sum_.load(std::memory_order_relaxed);
  value.max = value.count == 0 ? 0.0 : max_.load(std::memory_order_relaxed);
  // A reader can see a bucket increment before the max update that follows it.
  if (!std::isfinite(value.max)) value.max = 0.0;
  return value;
}

void Timer::Record(absl::Duration d) {
  if (d == absl::InfiniteDuration() || d == -absl::InfiniteDuration()) return;
  histogram_.Record(d < absl::ZeroDuration() ? 0.0 : absl::ToDoubleSeconds(d));
}

}  // namespace failover
