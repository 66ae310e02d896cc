#include "store-jdbc/memory/internal/frequency_sketch.h"

#include <algorithm>

namespace failover {
namespace memory_internal {
namespace {

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

FrequencySketch::FrequencySketch(int64_t capacity, bool doorkeeper) : doorkeeper_(doorkeeper) {
  const int64_t cap = std::max<int64_t>(std::min<int64_t>(capacity, int64_t{1} << 30), 1);
  // One 64-bit counter word per entry of capacity (16 counters), as Caffeine sizes it.
  const uint64_t blocks = std::max<uint64_t>(CeilPowerOfTwo(cap) / kDepth, 1);
  blocks_.assign(blocks, Block{});
  block_mask_ = blocks - 1;
  sample_size_ = 10 * cap;
}

const FrequencySketch::Block& FrequencySketch::Locate(uint64_t item_hash, uint64_t* bits) const {
  const uint64_t h = Mix(item_hash);
  *bits = Mix(h);  // Independent of the block choice.
  return blocks_[h & block_mask_];
}

FrequencySketch::Block& FrequencySketch::Locate(uint64_t item_hash, uint64_t* bits) {
  return const_cast<Block&>(static_cast<const FrequencySketch&>(*this).Locate(item_hash, bits));
}

void FrequencySketch::Prefetch(uint64_t item_hash) const {
  uint64_t bits;
  __builtin_prefetch(&Locate(item_hash, &bits));
}

// Bits 0..15 of `bits` pick the counters (4 per row), bits 16..31 the two doorkeeper bits.
bool FrequencySketch::InDoorkeeper(const Block& block, uint64_t bits) {
  const unsigned a = (bits >> 16) & 0xFF;
  const unsigned b = (bits >> 24) & 0xFF;
  return (block.doorkeeper[a / 64] >> (a % 64) & 1) != 0 &&
         (block.doorkeeper[b / 64] >> (b % 64) & 1) != 0;
}

void FrequencySketch::Increment(uint64_t item_hash) {
  uint64_t bits;
  Block& block = Locate(item_hash, &bits);
  IncrementIn(block, bits);
}

void FrequencySketch::IncrementAll(const uint64_t* hashes, size_t n) {
  Block* blocks[kBatch];
  uint64_t bits[kBatch];
  for (size_t start = 0; start < n; start += kBatch) {
    const size_t count = std::min(kBatch, n - start);
    for (size_t i = 0; i < count; ++i) {
      blocks[i] = &Locate(hashes[start + i], &bits[i]);
      __builtin_prefetch(blocks[i], /*rw=*/1);
    }
    for (size_t i = 0; i < count; ++i) IncrementIn(*blocks[i], bits[i]);
  }
}

void FrequencySketch::IncrementIn(Block& block, uint64_t bits) {
  if (doorkeeper_ && !InDoorkeeper(block, bits)) {
    const unsigned a = (bits >> 16) & 0xFF;
    const unsigned b = (bits >> 24) & 0xFF;
    block.doorkeeper[a / 64] |= uint64_t{1} << (a % 64);
    block.doorkeeper[b / 64] |= uint64_t{1} << (b % 64);
    if (++additions_ >= sample_size_) Age();
    return;
  }
  bool added = false;
  for (int row = 0; row < kDepth; ++row) {
    const int shift = static_cast<int>((bits >> (row * 4)) & 15) * 4;
    uint64_t& word = block.counters[row];
    if (((word >> shift) & 0xF) < kMaxCounter) {
      word += uint64_t{1} << shift;
      added = true;
    }
  }
  if (added && ++additions_ >= sample_size_) Age();
}

int FrequencySketch::Frequency(uint64_t item_hash) const {
  uint64_t bits;
  const Block& block = Locate(item_hash, &bits);
  int frequency = kMaxCounter;
  for (int row = 0; row < kDepth; ++row) {
    const int shift = static_cast<int>((bits >> (row * 4)) & 15) * 4;
    frequency = std::min(frequency, static_cast<int>((block.counters[row] >> shift) & 0xF));
  }
  if (doorkeeper_ && InDoorkeeper(block, bits)) ++frequency;
  return frequency;
}

void FrequencySketch::Age() {
  for (Block& block : blocks_) {
    // Shifting the whole word halves all 16 counters; the mask drops the bit each counter would
    // otherwise receive from its neighbour.
    for (uint64_t& word : block.counters) word = (word >> 1) & 0x7777777777777777ULL;
    std::fill(std::begin(block.doorkeeper), std::end(block.doorkeeper), 0);
  }
  additions_ /= 2;
}

}  // namespace memory_internal
}  // namespace failover
