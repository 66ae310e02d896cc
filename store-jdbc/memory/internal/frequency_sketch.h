// FrequencySketch: the popularity estimate behind W-TinyLFU admission. A count-min sketch of
// 4-bit counters, depth 4, with aging and a doorkeeper, laid out so that an update touches one
// 64-byte cache line: an item's hash picks a block, and in it one of 16 counters in each of the
// four rows (one 64-bit word per row). Increment() bumps those below 15, Frequency() is their
// minimum, so it never underestimates (until aging) and saturates. Aging keeps it recent: once
// the number of counted increments reaches the sample size (10 x capacity), every counter is
// halved, and so is the increment count. The doorkeeper (a 256-bit Bloom filter in the same
// block, two bits per item, cleared at each aging) takes an item's first occurrence in a
// sample, so one-off items (scans) add no noise to the counters; an item it holds counts one
// more. Memory: 64 bytes per 4 entries of capacity (rounded up to a power of two).
//
//   FrequencySketch sketch(/*capacity=*/1000);
//   sketch.Increment(hash);
//   sketch.IncrementAll(hashes, n);   // Same as n Increment()s in order, misses overlapped.
//   if (sketch.Frequency(candidate_hash) > sketch.Frequency(victim_hash)) { ... }
//
// Thread-safety: none; the owning cache serialises access.
#ifndef FAILOVER_STORE_JDBC_MEMORY_INTERNAL_FREQUENCY_SKETCH_H_
#define FAILOVER_STORE_JDBC_MEMORY_INTERNAL_FREQUENCY_SKETCH_H_

#include <cstddef>
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
  // Exactly the same as Increment(hashes[0]), ..., Increment(hashes[n - 1]) in that order, but
  // the blocks are fetched from memory together (up to kBatch at a time), so their cache misses
  // overlap instead of following one another.
  void IncrementAll(const uint64_t* hashes, size_t n);
  // Starts loading the item's block into the CPU cache, so that a later
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
  static constexpr size_t kBatch = 32;  // IncrementAll's prefetch distance.

  struct alignas(64) Block {
    uint64_t counters[kDepth] = {};  // Row r: 16 counters of 4 bits.
    uint64_t doorkeeper[4] = {};     // 256 Bloom filter bits.
  };

  // The item's block, and the bits that pick its counters and doorkeeper bits in it.
  const Block& Locate(uint64_t item_hash, uint64_t* bits) const;
  Block& Locate(uint64_t item_hash, uint64_t* bits);
  static bool InDoorkeeper(const Block& block, uint64_t bits);
  void IncrementIn(Block& block, uint64_t bits);
  void Age();

  const bool doorkeeper_;
  std::vector<Block> blocks_;
  uint64_t block_mask_;  // Blocks - 1.
  int64_t sample_size_;
  int64_t additions_ = 0;
};

}  // namespace memory_internal
}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_MEMORY_INTERNAL_FREQUENCY_SKETCH_H_
