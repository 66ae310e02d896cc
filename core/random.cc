#include "core/random.h"

#include "absl/random/random.h"

namespace failover {

double SeededRandom::Uniform01() {
  MutexLock lock(&mu_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
}

namespace {

class SystemRandomSource final : public RandomSource {
 public:
  double Uniform01() override {
    thread_local absl::BitGen gen;
    return absl::Uniform<double>(gen, 0.0, 1.0);
  }
};

}  // namespace

RandomSource& SystemRandom() {
  static SystemRandomSource* const source = new SystemRandomSource();
  return *source;
}

}  // namespace failover
