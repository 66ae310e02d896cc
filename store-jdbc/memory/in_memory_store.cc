#include "store-jdbc/memory/in_memory_store.h"

#include <string>
#include <utility>

#include "absl/container/node_hash_map.h"
#include "store-jdbc/memory/internal/expiry_index.h"
#include "store-jdbc/memory/internal/intrusive_list.h"
#include "store-jdbc/memory/internal/store_key.h"

namespace failover {

using memory_internal::ExpiryIndex;
using memory_internal::IntrusiveList;
using memory_internal::StoredPayload;
using memory_internal::StoreKey;
using memory_internal::StoreKeyEq;
using memory_internal::StoreKeyHash;
using memory_internal::StoreKeyView;

namespace {

struct Namespace;

// One entry, threaded into the recency list, its namespace's list and an expiry bucket. Lives in
// a node_hash_map, so its address is stable until erased.
struct Node {
  const StoreKey* key = nullptr;
  std::shared_ptr<const StoredPayload> payload;
  absl::Time expire_on;
  Namespace* ns = nullptr;
  Node* prev = nullptr;
  Node* next = nullptr;
  Node* ns_prev = nullptr;
  Node* ns_next = nullptr;
  Node* exp_prev = nullptr;
  Node* exp_next = nullptr;
};

struct Namespace {
  IntrusiveList<Node, &Node::ns_prev, &Node::ns_next> entries;
};

}  // namespace

// Everything the mutex guards. Not thread-safe by itself.
struct InMemoryStore::Index {
  absl::node_hash_map<StoreKey, Node, StoreKeyHash, StoreKeyEq> entries;
  absl::node_hash_map<std::string, Namespace> namespaces;
  IntrusiveList<Node, &Node::prev, &Node::next> recency;  // Front: most recently accessed.
  ExpiryIndex<Node, &Node::exp_prev, &Node::exp_next, &Node::expire_on> expiry;

  Node* Lookup(StoreKeyView view) {
    auto it = entries.find(view);
    return it == entries.end() ? nullptr : &it->second;
  }

  // Inserts or overwrites; the replaced payload, if any, goes to *replaced.
  void Upsert(StoreKeyView view, std::shared_ptr<const StoredPayload> payload,
              std::shared_ptr<const StoredPayload>* replaced) {
    if (Node* node = Lookup(view)) {
      if (node->expire_on != payload->expire_on) {
        expiry.Remove(node);
        node->expire_on = payload->expire_on;
        expiry.Add(node);
      }
      replaced->swap(node->payload);
      node->payload = std::move(payload);
      recency.MoveToFront(node);
      return;
    }
    auto [it, inserted] = entries.try_emplace(StoreKey(view));
    Node* node = &it->second;
    node->key = &it->first;
    node->expire_on = payload->expire_on;
    node->payload = std::move(payload);
    auto ns = namespaces.find(view.name);
    if (ns == namespaces.end()) ns = namespaces.try_emplace(std::string(view.name)).first;
    node->ns = &ns->second;
    node->ns->entries.PushFront(node);
    recency.PushFront(node);
    expiry.Add(node);
  }

  // Removes a node already taken out of the expiry index.
  void EraseUnindexed(Node* node) {
    recency.Remove(node);
    node->ns->entries.Remove(node);
    if (node->ns->entries.empty()) namespaces.erase(node->key->name);
    entries.erase(entries.find(node->key->view()));
  }

  void Erase(Node* node) {
    expiry.Remove(node);
    EraseUnindexed(node);
  }
};

InMemoryStore::InMemoryStore(int64_t max_entries)
    : max_entries_(max_entries), index_(std::make_unique<Index>()) {}

InMemoryStore::~InMemoryStore() = default;

absl::Status InMemoryStore::Store(const FailoverStoreEntry& entry) {
  std::shared_ptr<const StoredPayload> payload = memory_internal::ToPayload(entry);
  std::shared_ptr<const StoredPayload> replaced;  // Freed after the lock is released.
  MutexLock lock(&mu_);
  index_->Upsert(StoreKeyView{entry.name, entry.key}, std::move(payload), &replaced);
  if (max_entries_ > 0) {
    while (index_->entries.size() > static_cast<size_t>(max_entries_)) {
      index_->Erase(index_->recency.back());
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<FailoverStoreEntry>> InMemoryStore::Find(absl::string_view name,
                                                                      absl::string_view key) {
  std::shared_ptr<const StoredPayload> payload;
  {
    MutexLock lock(&mu_);
    Node* node = index_->Lookup(StoreKeyView{name, key});
    if (node == nullptr) return std::nullopt;
    index_->recency.MoveToFront(node);
    payload = node->payload;
  }
  return memory_internal::ToEntry(StoreKeyView{name, key}, *payload);
}

absl::StatusOr<std::vector<FailoverStoreEntry>> InMemoryStore::FindAll(absl::string_view name) {
  std::vector<std::pair<std::string, std::shared_ptr<const StoredPayload>>> found;
  {
    MutexLock lock(&mu_);
    auto ns = index_->namespaces.find(name);
    if (ns == index_->namespaces.end()) return std::vector<FailoverStoreEntry>();
    const auto& list = ns->second.entries;
    found.reserve(list.size());
    for (Node* n = list.front(); n != nullptr; n = list.Next(n)) {
      found.emplace_back(n->key->key, n->payload);
    }
  }
  std::vector<FailoverStoreEntry> entries;
  entries.reserve(found.size());
  for (const auto& [key, payload] : found) {
    entries.push_back(memory_internal::ToEntry(StoreKeyView{name, key}, *payload));
  }
  return entries;
}

absl::Status InMemoryStore::Delete(absl::string_view name, absl::string_view key) {
  std::shared_ptr<const StoredPayload> payload;  // Freed after the lock is released.
  MutexLock lock(&mu_);
  if (Node* node = index_->Lookup(StoreKeyView{name, key})) {
    payload = std::move(node->payload);
    index_->Erase(node);
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> InMemoryStore::CleanByExpiry(absl::Time now) {
  MutexLock lock(&mu_);
  Index& index = *index_;
  return index.expiry.TakeExpired(now, [&index](Node* n) { index.EraseUnindexed(n); });
}

size_t InMemoryStore::size() const {
  MutexLock lock(&mu_);
  return index_->entries.size();
}

std::unique_ptr<FailoverStore> NewInMemoryStore(int64_t max_entries) {
  return std::make_unique<InMemoryStore>(max_entries);
}

}  // namespace failover
