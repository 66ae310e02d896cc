// FrequencySketch: the popularity estimate behind W-TinyLFU admission. A count-min sketch of
// 4-bit counters (16 per 64-bit word), depth 4: an item's hash picks a 64-byte block (one cache
// line, so an update costs one cache miss) and in it one counter in each of four rows, Increment()
// bumps those below 15, Frequency() is their minimum, so it never underestimates (until aging) and
// saturates at 15. Aging keeps it recent: once the number of counted increments reaches the sample
// size (10 x capacity), every counter is halved, and so is the increment count.
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
  // Starts loading the item's counters and doorkeeper word into the CPU cache, so that a later
  // Increment/Frequency overlaps its memory latency with the caller's own lookups.
  void Prefetch(uint64_t item_hash) const;
  // Estimated occurrences of the item since the last agings (0..15, or 0..16 with doorkeeper).
  int Frequency(uint64_t item_hash) const;

  // Increments counted since the last aging (those that raised at least one counter).
  int64_t additions() const { return additions_; }
  // Counted increments that trigger aging.
  int64_t sample_size() const { return sample_size_; }

 private:
  static constexpr int kDepth = 4;

  // The item's block (index of its first word) and the bits that pick its counters in it.
  void Locate(uint64_t item_hash, uint64_t* block, uint64_t* counter_bits) const;
  // The item's doorkeeper word, and its (one or two) bits in that word.
  uint64_t DoorkeeperBits(uint64_t item_hash, uint64_t* word) const;
  void Age();

  std::vector<uint64_t> table_;
  uint64_t block_mask_;  // Blocks - 1.
  int64_t sample_size_;
  int64_t additions_ = 0;
  std::vector<uint64_t> doorkeeper_;  // Empty: no doorkeeper.
  uint64_t doorkeeper_mask_ = 0;      // Words - 1.
};

}  // namespace memory_internal
}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_MEMORY_INTERNAL_FREQUENCY_SKETCH_H_
