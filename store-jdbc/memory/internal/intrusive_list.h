// A doubly linked list threaded through two pointer members of the elements themselves, so an
// element can sit in several lists (recency, namespace, expiry bucket) and be moved or unlinked
// in O(1) without allocating. The list owns nothing; elements must outlive their membership.
//
//   struct Node { Node* prev = nullptr; Node* next = nullptr; };
//   IntrusiveList<Node, &Node::prev, &Node::next> lru;
//   lru.PushFront(&a);
//   lru.MoveToFront(&b);
//   Node* oldest = lru.back();
//
// Thread-safety: none; the owner serialises access.
#ifndef FAILOVER_STORE_JDBC_MEMORY_INTERNAL_INTRUSIVE_LIST_H_
#define FAILOVER_STORE_JDBC_MEMORY_INTERNAL_INTRUSIVE_LIST_H_

#include <cstddef>

namespace failover {
namespace memory_internal {

template <typename Node, Node* Node::*kPrev, Node* Node::*kNext>
class IntrusiveList {
 public:
  IntrusiveList() = default;
  IntrusiveList(const IntrusiveList&) = delete;
  IntrusiveList& operator=(const IntrusiveList&) = delete;
  IntrusiveList(IntrusiveList&& other) noexcept
      : head_(other.head_), tail_(other.tail_), size_(other.size_) {
    other.head_ = other.tail_ = nullptr;
    other.size_ = 0;
  }

  Node* front() const { return head_; }
  Node* back() const { return tail_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  static Node* Next(const Node* n) { return n->*kNext; }

  void PushFront(Node* n) {
    n->*kPrev = nullptr;
    n->*kNext = head_;
    if (head_ != nullptr) {
      head_->*kPrev = n;
    } else {
      tail_ = n;
    }
    head_ = n;
    ++size_;
  }

  void Remove(Node* n) {
    Node* prev = n->*kPrev;
    Node* next = n->*kNext;
    if (prev != nullptr) {
      prev->*kNext = next;
    } else {
      head_ = next;
    }
    if (next != nullptr) {
      next->*kPrev = prev;
    } else {
      tail_ = prev;
    }
    n->*kPrev = n->*kNext = nullptr;
    --size_;
  }

  void MoveToFront(Node* n) {
    if (n == head_) return;
    Remove(n);
    PushFront(n);
  }

 private:
  Node* head_ = nullptr;
  Node* tail_ = nullptr;
  size_t size_ = 0;
};

}  // namespace memory_internal
}  // namespace failover

#endif  // FAILOVER_STORE_JDBC_MEMORY_INTERNAL_INTRUSIVE_LIST_H_
