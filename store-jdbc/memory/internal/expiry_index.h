// Finds expired entries without scanning the live ones: elements are threaded into one bucket
// per second of their expiry time, buckets kept in time order. Removing the expired entries
// walks only the buckets up to `now` (checking each element individually only in the bucket of
// `now` itself). Adding is O(1) when the bucket is the same as the previous add's (the usual
// case: entries written now with the same time-to-live), O(log buckets) otherwise.
//
//   ExpiryIndex<Node, &Node::exp_prev, &Node::exp_next, &Node::expire_on> index;
//   index.Add(node);                  // uses node->expire_on
//   index.Remove(node);               // before changing node->expire_on or freeing it
//   index.TakeExpired(now, [&](Node* n) { Free(n); });  // every n with expire_on < now
//
// Thread-safety: none; the owner serialises access.
#ifndef FAILOVER_STORE_JDBC_MEMORY_INTERNAL_EXPIRY_INDEX_H_
#define FAILOVER_STORE_JDBC_MEMORY_INTERNAL_EXPIRY_INDEX_H_

#include <cstdint>
#include <limits>
#include <map>

#include "absl/time/time.h"
#include "store-jdbc/memory/internal/intrusive_list.h"

namespace failover {
namespace memory_internal {

template <typename Node, Node* Node::*kPrev, Node* Node::*kNext, absl::Time Node::*kExpire>
class ExpiryIndex {
 public:
  ExpiryIndex() = default;
  ExpiryIndex(const ExpiryIndex&) = delete;
  ExpiryIndex& operator=(const ExpiryIndex&) = delete;

  void Add(Node* n) { BucketFor(Second(n->*kExpire))->PushFront(n); }

  void Remove(Node* n) {
    const int64_t second = Second(n->*kExpire);
    auto it = buckets_.find(second);
    it->second.Remove(n);
    if (it->second.empty()) Erase(it);
  }

  // Unlinks every element whose expiry is before `now` (at most `limit` of them, earliest
  // buckets first) and passes it to `on_expired` (which may free it but must not touch this
  // index). Returns how many were taken. O(1) when nothing has expired.
  template <typename OnExpired>
  int64_t TakeExpired(absl::Time now, OnExpired on_expired,
                      int64_t limit = std::numeric_limits<int64_t>::max()) {
    const int64_t now_second = Second(now);
    int64_t taken = 0;
    while (!buckets_.empty() && buckets_.begin()->first <= now_second && taken < limit) {
      auto it = buckets_.begin();
      Bucket& bucket = it->second;
      const bool whole_bucket = it->first < now_second;  // All of it is before `now`.
      for (Node* n = bucket.front(); n != nullptr && taken < limit;) {
        Node* next = Bucket::Next(n);
        if (whole_bucket || n->*kExpire < now) {
          bucket.Remove(n);
          on_expired(n);
          ++taken;
        }
        n = next;
      }
      if (!bucket.empty()) break;  // The bucket of `now` with live entries, or the limit.
      Erase(it);
    }
    return taken;
  }

 private:
  using Bucket = IntrusiveList<Node, kPrev, kNext>;
  using BucketMap = std::map<int64_t, Bucket>;

  // ToUnixSeconds rounds toward the infinite past, so a bucket holds [second, second + 1).
  static int64_t Second(absl::Time t) { return absl::ToUnixSeconds(t); }

  Bucket* BucketFor(int64_t second) {
    if (has_last_ && last_->first == second) return &last_->second;
    last_ = buckets_.try_emplace(second).first;
    has_last_ = true;
    return &last_->second;
  }

  void Erase(typename BucketMap::iterator it) {
    if (has_last_ && it == last_) has_last_ = false;
    buckets_.erase(it);
  }

  BucketMap buckets_;
  typename BucketMap::iterator last_;
  bool has_last_ = false;
};

}  // namespace memory_internal
}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_MEMORY_INTERNAL_EXPIRY_INDEX_H_
