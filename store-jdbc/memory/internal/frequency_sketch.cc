#include "store-jdbc/memory/internal/frequency_sketch.h"

#include <algorithm>

namespace failover {
namespace memory_internal {
namespace {

// Per-row seeds (odd 64-bit constants) so the four positions are independent.
constexpr uint64_t kSeeds[4] = {0x9E3779B97F4A7C15ULL, 0xC2B2AE3D27D4EB4FULL, 0x165667B19E3779F9ULL,
                                0xD6E8FEB86659FD93ULL};

// Smallest power of two >= n (n >= 1).
uint64_t CeilPowerOfTwo(int64_t n) {
  uint64_t p = 1;
  while (p < static_cast<uint64_t>(n)) p <<= 1;
  return p;
}

constexpr int kDoorkeeperProbes = 2;

}  // namespace

FrequencySketch::FrequencySketch(int64_t capacity, bool doorkeeper) {
  const int64_t cap = std::max<int64_t>(std::min<int64_t>(capacity, int64_t{1} << 30), 1);
  table_.assign(std::max<uint64_t>(CeilPowerOfTwo(cap), 8), 0);
  mask_ = table_.size() - 1;
  sample_size_ = 10 * cap;
  if (doorkeeper) {
    // 8 to 16 bits per distinct item of a sample (at most 1 byte per 10 increments): a few
    // percent false positives with two probes.
    const uint64_t bits = std::max<uint64_t>(CeilPowerOfTwo(8 * sample_size_), 64);
    doorkeeper_.assign(bits / 64, 0);
    doorkeeper_mask_ = bits - 1;
  }
}

uint64_t FrequencySketch::DoorkeeperBit(uint64_t item_hash, int probe) const {
  uint64_t h = item_hash + kSeeds[probe + 2];  // splitmix64's finaliser.
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
  h ^= h >> 31;
  return h & doorkeeper_mask_;
}

bool FrequencySketch::DoorkeeperContains(uint64_t item_hash) const {
  for (int probe = 0; probe < kDoorkeeperProbes; ++probe) {
    const uint64_t bit = DoorkeeperBit(item_hash, probe);
    if ((doorkeeper_[bit / 64] & (uint64_t{1} << (bit % 64))) == 0) return false;
  }
  return true;
}

bool FrequencySketch::DoorkeeperTestAndSet(uint64_t item_hash) {
  bool all_set = true;
  for (int probe = 0; probe < kDoorkeeperProbes; ++probe) {
    const uint64_t bit = DoorkeeperBit(item_hash, probe);
    uint64_t& word = doorkeeper_[bit / 64];
    const uint64_t mask = uint64_t{1} << (bit % 64);
    if ((word & mask) == 0) {
      all_set = false;
      word |= mask;
    }
  }
  return all_set;
}

void FrequencySketch::Locate(uint64_t item_hash, int row, uint64_t* word, int* shift) const {
  // A multiply-xorshift mix per row; the low bits pick the word, the top four the counter.
  uint64_t h = (item_hash + kSeeds[row]) * kSeeds[(row + 1) % kDepth];
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 29;
  *word = h & mask_;
  *shift = static_cast<int>(h >> 60) * 4;
}

void FrequencySketch::Increment(uint64_t item_hash) {
  if (!doorkeeper_.empty() && !DoorkeeperTestAndSet(item_hash)) {
    if (++additions_ >= sample_size_) Age();
    return;
  }
  bool added = false;
  for (int row = 0; row < kDepth; ++row) {
    uint64_t word;
    int shift;
    Locate(item_hash, row, &word, &shift);
    const uint64_t counter = (table_[word] >> shift) & 0xF;
    if (counter < kMaxCounter) {
      table_[word] += uint64_t{1} << shift;
      added = true;
    }
  }
  if (added && ++additions_ >= sample_size_) Age();
}

int FrequencySketch::Frequency(uint64_t item_hash) const {
  int frequency = kMaxCounter;
  for (int row = 0; row < kDepth; ++row) {
    uint64_t word;
    int shift;
    Locate(item_hash, row, &word, &shift);
    frequency = std::min(frequency, static_cast<int>((table_[word] >> shift) & 0xF));
  }
  if (!doorkeeper_.empty() && DoorkeeperContains(item_hash)) ++frequency;
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
