#include "store-jdbc/memory/internal/frequency_sketch.h"

#include <algorithm>

namespace failover {
namespace memory_internal {
namespace {

constexpr uint64_t kWordsPerBlock = 8;  // 64 bytes: one cache line.

// splitmix64's finaliser: every output bit depends on every input bit.
uint64_t Mix(uint64_t h) {
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
  return h ^ (h >> 31);
}

// Smallest power of two >= n (n >= 1).
uint64_t CeilPowerOfTwo(int64_t n) {
  uint64_t p = 1;
  while (p < static_cast<uint64_t>(n)) p <<= 1;
  return p;
}

}  // namespace

FrequencySketch::FrequencySketch(int64_t capacity, bool doorkeeper) {
  const int64_t cap = std::max<int64_t>(std::min<int64_t>(capacity, int64_t{1} << 30), 1);
  const uint64_t words = std::max<uint64_t>(CeilPowerOfTwo(cap), kWordsPerBlock);
  table_.assign(words, 0);
  block_mask_ = words / kWordsPerBlock - 1;
  sample_size_ = 10 * cap;
  if (doorkeeper) {
    // 8 to 16 bits per increment of a sample (so per distinct item at most), two bits per item
    // in one word: a few percent false positives.
    const uint64_t words = std::max<uint64_t>(CeilPowerOfTwo(8 * sample_size_) / 64, 1);
    doorkeeper_.assign(words, 0);
    doorkeeper_mask_ = words - 1;
  }
}

void FrequencySketch::Locate(uint64_t item_hash, uint64_t* block, uint64_t* counter_bits) const {
  const uint64_t h = Mix(item_hash);
  *block = (h & block_mask_) * kWordsPerBlock;
  *counter_bits = Mix(h);  // Independent of the block choice.
}

uint64_t FrequencySketch::DoorkeeperBits(uint64_t item_hash, uint64_t* word) const {
  const uint64_t h = Mix(item_hash ^ 0xD6E8FEB86659FD93ULL);
  *word = h & doorkeeper_mask_;
  return (uint64_t{1} << ((h >> 52) & 63)) | (uint64_t{1} << (h >> 58));
}

void FrequencySketch::Prefetch(uint64_t item_hash) const {
  uint64_t block;
  uint64_t counter_bits;
  Locate(item_hash, &block, &counter_bits);
  __builtin_prefetch(&table_[block]);
  if (!doorkeeper_.empty()) {
    uint64_t word;
    DoorkeeperBits(item_hash, &word);
    __builtin_prefetch(&doorkeeper_[word]);
  }
}

void FrequencySketch::Increment(uint64_t item_hash) {
  if (!doorkeeper_.empty()) {
    uint64_t word;
    const uint64_t bits = DoorkeeperBits(item_hash, &word);
    if ((doorkeeper_[word] & bits) != bits) {
      doorkeeper_[word] |= bits;
      if (++additions_ >= sample_size_) Age();
      return;
    }
  }
  uint64_t block;
  uint64_t counter_bits;
  Locate(item_hash, &block, &counter_bits);
  bool added = false;
  for (int row = 0; row < kDepth; ++row) {
    // Row r owns words 2r and 2r+1 of the block; 5 bits of counter_bits pick one of their 32
    // counters.
    const uint64_t pick = counter_bits >> (row * 8);
    uint64_t& word = table_[block + 2 * row + (pick & 1)];
    const int shift = static_cast<int>((pick >> 1) & 15) * 4;
    if (((word >> shift) & 0xF) < kMaxCounter) {
      word += uint64_t{1} << shift;
      added = true;
    }
  }
  if (added && ++additions_ >= sample_size_) Age();
}

int FrequencySketch::Frequency(uint64_t item_hash) const {
  uint64_t block;
  uint64_t counter_bits;
  Locate(item_hash, &block, &counter_bits);
  int frequency = kMaxCounter;
  for (int row = 0; row < kDepth; ++row) {
    const uint64_t pick = counter_bits >> (row * 8);
    const uint64_t word = table_[block + 2 * row + (pick & 1)];
    const int shift = static_cast<int>((pick >> 1) & 15) * 4;
    frequency = std::min(frequency, static_cast<int>((word >> shift) & 0xF));
  }
  if (!doorkeeper_.empty()) {
    uint64_t word;
    const uint64_t bits = DoorkeeperBits(item_hash, &word);
    if ((doorkeeper_[word] & bits) == bits) ++frequency;
  }
  return frequency;
}

void FrequencySketch::Age() {
  // Shifting the whole word halves all 16 counters; the mask drops the bit each counter would
  // otherwise receive from its neighbour.
  for (uint64_t& word : table_) word = (word >> 1) & 0x7777777777777777ULL;
  additions_ /= 2;
  std::fill(doorkeeper_.begin(), doorkeeper_.end(), 0);
}

}  // namespace memory_internal
}  // namespace failover
