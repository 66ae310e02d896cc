// FrequencySketch: the popularity estimate behind W-TinyLFU admission. A count-min sketch of
// 4-bit counters (16 per 64-bit word), depth 4: an item's hash picks one counter in each of four
// independently hashed positions, Increment() bumps those below 15, Frequency() is their
// minimum, so it never underestimates (until aging) and saturates at 15. Aging keeps it
// recent: once the number of counted increments reaches the sample size (10 x capacity), every
// counter is halved, and so is the increment count.
//
//   FrequencySketch sketch(/*capacity=*/1000);
//   sketch.Increment(hash);
//   if (sketch.Frequency(candidate_hash) > sketch.Frequency(victim_hash)) { ... }
//
// Thread-safety: none; the owning cache serialises access.
#ifndef FAILOVER_STORE_JDBC_MEMORY_INTERNAL_FREQUENCY_SKETCH_H_
#define FAILOVER_STORE_JDBC_MEMORY_INTERNAL_FREQUENCY_SKETCH_H_

#include <cstdint>
#include <vector>

namespace failover {
namespace memory_internal {

class FrequencySketch {
 public:
  // Largest counter value; Frequency() is at most this (+1 with the doorkeeper).
  static constexpr int kMaxCounter = 15;

  // capacity: the cache's maximum size (at least 1 is assumed); sizes the table and sample.
  explicit FrequencySketch(int64_t capacity, bool doorkeeper = true);

  // Counts one occurrence of the item with this hash (any well-mixed or not 64-bit hash).
  void Increment(uint64_t item_hash);
  // Estimated occurrences of the item since the last agings (0..15, or 0..16 with doorkeeper).
  int Frequency(uint64_t item_hash) const;

  // Increments counted since the last aging (those that raised at least one counter).
  int64_t additions() const { return additions_; }
  // Counted increments that trigger aging.
  int64_t sample_size() const { return sample_size_; }

 private:
  static constexpr int kDepth = 4;

  // Word index and nibble shift of the item's counter in row `row`.
  void Locate(uint64_t item_hash, int row, uint64_t* word, int* shift) const;
  void Age();
  // Sets the item's doorkeeper bits; returns whether they were all set already.
  bool DoorkeeperTestAndSet(uint64_t item_hash);
  bool DoorkeeperContains(uint64_t item_hash) const;
  // Bit index of the item's i-th doorkeeper probe.
  uint64_t DoorkeeperBit(uint64_t item_hash, int probe) const;

  std::vector<uint64_t> table_;
  uint64_t mask_;
  int64_t sample_size_;
  int64_t additions_ = 0;
  std::vector<uint64_t> doorkeeper_;  // Empty: no doorkeeper.
  uint64_t doorkeeper_mask_ = 0;      // Bits - 1.
};

}  // namespace memory_internal
}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_MEMORY_INTERNAL_FREQUENCY_SKETCH_H_
