// RandomSource: where jitter and sampling get their randomness, injected so that tests are
// repeatable.
//
//   failover::SeededRandom random(42);        // tests: same sequence every run
//   double u = random.Uniform01();             // in [0, 1)
//   failover::RandomSource& r = failover::SystemRandom();  // production
#ifndef FAILOVER_CORE_RANDOM_H_
#define FAILOVER_CORE_RANDOM_H_

#include <cstdint>
#include <random>

#include "absl/base/thread_annotations.h"
#include "core/sync.h"

namespace failover {

// Thread-safe.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // A uniformly distributed double in [0, 1).
  virtual double Uniform01() = 0;
};

// Deterministic sequence from a seed (std::mt19937_64). Thread-safe (internally locked).
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(uint64_t seed) : engine_(seed) {}
  double Uniform01() override;

 private:
  Mutex mu_;
  std::mt19937_64 engine_ ABSL_GUARDED_BY(mu_);
};

// Process-wide, non-deterministically seeded source. Thread-safe; lock-free (per-thread
// generators). Never destroyed.
RandomSource& SystemRandom();

}  // namespace failover

#endif  // FAILOVER_CORE_RANDOM_H_
