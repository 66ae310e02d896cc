// WTinyLfuCache: a bounded cache with the W-TinyLFU policy of Java's Caffeine, plus per-entry
// expiry. New entries enter an admission window (an LRU of ~1% of the capacity). An entry
// pushed out of the window is a candidate for the main space, a segmented LRU (probation ~20%,
// protected ~80%): it is admitted only if its estimated access frequency (a FrequencySketch over
// every Get and Put, hits and misses) beats that of the main space's victim (the probation
// LRU); the loser is evicted. Accesses reach the sketch in batches of kPendingAccesses (their
// blocks prefetched as they are recorded), always before the sketch is consulted, so the
// admission decisions are exactly those of counting every access at once. A probation entry read
// again moves to protected; protected overflow falls back to probation. One-off scans thus pass
// through the window without displacing the frequently used entries. A max_size of 0 or less means
// unbounded (only expiry removes entries, and no frequencies are kept).
//
// Each entry carries an expiry time: once `now` is past it, Get() treats the entry as absent
// and drops it; each Put() reclaims up to kReclaimPerPut expired entries (before evicting live
// ones), and RemoveExpired(now) reclaims them all, via a per-second index, never scanning live
// entries.
//
//   WTinyLfuCache<std::string, int> cache(/*max_size=*/1000);
//   cache.Put("a", 1, /*expire_on=*/now + absl::Hours(1), now);
//   if (const int* v = cache.Get("a", now)) { ... }   // valid until the next mutation
//   cache.RemoveExpired(now);
//
// Hash and Eq may be transparent (define is_transparent), then Get/Put/Remove take any key type
// they accept, and Put builds the stored K from it (K must be explicitly constructible from
// it) only when the key is new. V must be default-constructible and movable.
//
// Thread-safety: not thread-safe (even Get reorders the lists); the owner serialises access.
#ifndef FAILOVER_STORE_JDBC_MEMORY_W_TINY_LFU_CACHE_H_
#define FAILOVER_STORE_JDBC_MEMORY_W_TINY_LFU_CACHE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/container/node_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/time/time.h"
#include "store-jdbc/memory/internal/expiry_index.h"
#include "store-jdbc/memory/internal/frequency_sketch.h"
#include "store-jdbc/memory/internal/intrusive_list.h"

namespace failover {

template <typename K, typename V, typename Hash = absl::Hash<K>, typename Eq = std::equal_to<K>>
class WTinyLfuCache {
 public:
  // Values a Put() replaced or evicted, handed back so the caller can free them later.
  using Displaced = absl::InlinedVector<V, 2>;
  // Expired entries a Put() reclaims at most, bounding its latency.
  static constexpr int64_t kReclaimPerPut = 16;

  explicit WTinyLfuCache(int64_t max_size)
      : max_size_(std::max<int64_t>(max_size, 0)),
        window_max_(max_size_ > 0 ? std::max<int64_t>(1, max_size_ / 100) : 0),
        protected_max_((max_size_ - window_max_) * 8 / 10),
        sketch_(max_size_ > 0 ? std::optional<memory_internal::FrequencySketch>(max_size_)
                              : std::nullopt) {}
  WTinyLfuCache(const WTinyLfuCache&) = delete;
  WTinyLfuCache& operator=(const WTinyLfuCache&) = delete;

  // The value stored under `key` if present and not expired at `now` (an expired one is dropped),
  // else nullptr. Counts as an access. The pointer is valid until the next mutating call.
  template <typename L>
  const V* Get(const L& key, absl::Time now) {
    return GetWithHash(key, Hash{}(key), now);
  }

  // As Get(), with `hash` == Hash{}(key) computed by the caller (e.g. before taking a lock).
  template <typename L>
  const V* GetWithHash(const L& key, size_t hash, absl::Time now) {
    auto it = map_.find(key, hash);
    RecordAccess(hash);
    if (it == map_.end()) return nullptr;
    Node* node = &it->second;
    if (now > node->expire_on) {
      Erase(node);
      return nullptr;
    }
    OnHit(node);
    return &node->value;
  }

  // Inserts or overwrites `key`, live until `expire_on`. A value already expired at `now` is not
  // stored (and replaces, i.e. removes, any previous one). Reclaims a few expired entries and may
  // evict one. Returns the replaced, reclaimed or evicted values through `displaced` if given
  // (so the caller can free them later).
  template <typename L>
  void Put(const L& key, V value, absl::Time expire_on, absl::Time now,
           Displaced* displaced = nullptr) {
    PutWithHash(key, Hash{}(key), std::move(value), expire_on, now, displaced);
  }

  // As Put(), with `hash` == Hash{}(key) computed by the caller (e.g. before taking a lock).
  template <typename L>
  void PutWithHash(const L& key, size_t hash, V value, absl::Time expire_on, absl::Time now,
                   Displaced* displaced = nullptr) {
    expiry_.TakeExpired(
        now,
        [this, displaced](Node* n) {
          if (displaced != nullptr) displaced->push_back(std::move(n->value));
          EraseUnindexed(n);
        },
        kReclaimPerPut);
    auto it = map_.find(key, hash);
    RecordAccess(hash);
    if (it != map_.end()) {
      Node* node = &it->second;
      if (displaced != nullptr) displaced->push_back(std::move(node->value));
      if (now > expire_on) {
        Erase(node);
        return;
      }
      node->value = std::move(value);
      Reschedule(node, expire_on);
      OnHit(node);
      return;
    }
    if (now > expire_on) return;
    it = map_.emplace(std::piecewise_construct, std::forward_as_tuple(key), std::tuple<>()).first;
    Node* node = &it->second;
    node->key = &it->first;
    node->hash = hash;
    node->value = std::move(value);
    node->expire_on = expire_on;
    expiry_.Add(node);
    node->segment = Segment::kWindow;
    window_.PushFront(node);
    if (max_size_ > 0) EvictIfNeeded(displaced);
  }

  // Removes `key`; returns whether it was present (expired or not).
  template <typename L>
  bool Remove(const L& key) {
    auto it = map_.find(key);
    if (it == map_.end()) return false;
    Erase(&it->second);
    return true;
  }

  // Removes every entry whose expiry is before `now`; returns how many.
  int64_t RemoveExpired(absl::Time now) {
    return expiry_.TakeExpired(now, [this](Node* n) { EraseUnindexed(n); });
  }

  // Calls fn(const K&, const V&) for every entry live at `now`, in no particular order.
  template <typename Fn>
  void ForEachLive(absl::Time now, Fn fn) const {
    for (const auto& [key, node] : map_) {
      if (now <= node.expire_on) fn(key, node.value);
    }
  }

  // Entries held, including expired ones not yet reclaimed.
  size_t size() const { return map_.size(); }
  int64_t max_size() const { return max_size_; }

 private:
  enum class Segment : uint8_t { kWindow, kProbation, kProtected };
  // Accesses buffered before they are counted in the sketch.
  static constexpr size_t kPendingAccesses = 16;

  // What a hit touches (its own and its list neighbours' links, segment, expiry, value) comes
  // first, so that it shares one cache line; the rest is for eviction and expiry.
  struct Node {
    Node* prev = nullptr;
    Node* next = nullptr;
    Segment segment = Segment::kWindow;
    absl::Time expire_on;
    V value{};
    const K* key = nullptr;
    size_t hash = 0;
    Node* exp_prev = nullptr;
    Node* exp_next = nullptr;
  };
  using List = memory_internal::IntrusiveList<Node, &Node::prev, &Node::next>;

  // Accesses are counted in the sketch in batches (Caffeine's read buffer), so that the batch's
  // cache misses in the sketch overlap. Every pending access is applied, in order, before the
  // sketch is consulted, so admission decisions are exactly those of counting each one at once.
  void RecordAccess(size_t hash) {
    if (!sketch_.has_value()) return;
    sketch_->Prefetch(hash);  // Loaded by the time the batch is applied.
    pending_[pending_count_++] = hash;
    if (pending_count_ == kPendingAccesses) FlushAccesses();
  }

  void FlushAccesses() {
    sketch_->IncrementAll(pending_, pending_count_);
    pending_count_ = 0;
  }

  List& ListOf(const Node* node) {
    switch (node->segment) {
      case Segment::kWindow:
        return window_;
      case Segment::kProbation:
        return probation_;
      case Segment::kProtected:
        break;
    }
    return protected_;
  }

  void OnHit(Node* node) {
    if (max_size_ == 0) return;  // Unbounded: recency is never consulted.
    if (node->segment != Segment::kProbation) {
      ListOf(node).MoveToFront(node);
      return;
    }
    probation_.Remove(node);
    node->segment = Segment::kProtected;
    protected_.PushFront(node);
    if (static_cast<int64_t>(protected_.size()) > protected_max_) {
      Node* demoted = protected_.back();
      protected_.Remove(demoted);
      demoted->segment = Segment::kProbation;
      probation_.PushFront(demoted);
    }
  }

  // Moves the window's overflow into the main space, where it duels the probation victim.
  void EvictIfNeeded(Displaced* displaced) {
    while (static_cast<int64_t>(window_.size()) > window_max_) {
      Node* candidate = window_.back();
      window_.Remove(candidate);
      const int64_t main_size = static_cast<int64_t>(probation_.size() + protected_.size());
      Node* loser = nullptr;
      if (main_size >= max_size_ - window_max_) {
        Node* victim = !probation_.empty() ? probation_.back() : protected_.back();
        if (victim == nullptr) {
          loser = candidate;
        } else {
          FlushAccesses();
          loser = sketch_->Frequency(candidate->hash) > sketch_->Frequency(victim->hash)
                      ? victim
                      : candidate;
        }
      }
      if (loser != candidate) {
        candidate->segment = Segment::kProbation;
        probation_.PushFront(candidate);
      }
      if (loser != nullptr) {
        if (loser != candidate) ListOf(loser).Remove(loser);
        if (displaced != nullptr) displaced->push_back(std::move(loser->value));
        expiry_.Remove(loser);
        map_.erase(map_.find(*loser->key, loser->hash));
      }
    }
  }

  void Reschedule(Node* node, absl::Time expire_on) {
    if (node->expire_on == expire_on) return;
    expiry_.Remove(node);
    node->expire_on = expire_on;
    expiry_.Add(node);
  }

  void EraseUnindexed(Node* node) {
    ListOf(node).Remove(node);
    map_.erase(map_.find(*node->key, node->hash));
  }

  void Erase(Node* node) {
    expiry_.Remove(node);
    EraseUnindexed(node);
  }

  const int64_t max_size_;  // 0: unbounded.
  const int64_t window_max_;
  const int64_t protected_max_;
  absl::node_hash_map<K, Node, Hash, Eq> map_;
  List window_;
  List probation_;
  List protected_;
  memory_internal::ExpiryIndex<Node, &Node::exp_prev, &Node::exp_next, &Node::expire_on> expiry_;
  std::optional<memory_internal::FrequencySketch> sketch_;
  uint64_t pending_[kPendingAccesses];  // Hashes of accesses not yet counted in sketch_.
  size_t pending_count_ = 0;
};

}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_MEMORY_W_TINY_LFU_CACHE_H_
