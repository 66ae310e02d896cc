#include "store-jdbc/routing/internal/pending_writes.h"

#include <algorithm>

namespace failover {
namespace routing_internal {

uint64_t PendingWrites::Add(const std::string& name, const std::string& key, PendingValue value) {
  MutexLock lock(&mu_);
  const uint64_t seq = next_seq_++;
  keys_[{name, key}].versions[seq] = Version{std::move(value), /*visible=*/false};
  outstanding_.fetch_add(1, std::memory_order_acq_rel);
  return seq;
}

void PendingWrites::Publish(const std::string& name, const std::string& key, uint64_t seq) {
  MutexLock lock(&mu_);
  auto it = keys_.find({name, key});
  if (it == keys_.end()) return;
  auto version = it->second.versions.find(seq);
  if (version != it->second.versions.end()) version->second.visible = true;
}

void PendingWrites::Withdraw(const std::string& name, const std::string& key, uint64_t seq) {
  MutexLock lock(&mu_);
  auto it = keys_.find({name, key});
  if (it != keys_.end()) ForgetLocked(it, seq);
}

bool PendingWrites::BeginWrite(const std::string& name, const std::string& key, uint64_t seq) {
  MutexLock lock(&mu_);
  // The key's state outlives this wait: it holds version `seq`, which only this task forgets.
  auto it = keys_.find({name, key});
  if (it == keys_.end()) return false;
  KeyState& state = it->second;
  mu_.Await([&state]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !state.writing; });
  if (state.backend_seq > seq) {
    ForgetLocked(it, seq);
    return false;
  }
  state.writing = true;
  return true;
}

void PendingWrites::EndWrite(const std::string& name, const std::string& key, uint64_t seq,
                             bool succeeded) {
  MutexLock lock(&mu_);
  auto it = keys_.find({name, key});
  if (it == keys_.end()) return;
  it->second.writing = false;
  if (succeeded) it->second.backend_seq = std::max(it->second.backend_seq, seq);
  ForgetLocked(it, seq);
}

void PendingWrites::ForgetLocked(Keys::iterator it, uint64_t seq) {
  if (it->second.versions.erase(seq) > 0) outstanding_.fetch_sub(1, std::memory_order_acq_rel);
  if (it->second.versions.empty() && !it->second.writing) keys_.erase(it);
}

void PendingWrites::AddClean(absl::Time now) {
  MutexLock lock(&mu_);
  cleans_.insert(now);
  outstanding_.fetch_add(1, std::memory_order_acq_rel);
}

void PendingWrites::RemoveClean(absl::Time now) {
  MutexLock lock(&mu_);
  auto it = cleans_.find(now);
  if (it == cleans_.end()) return;
  cleans_.erase(it);
  outstanding_.fetch_sub(1, std::memory_order_acq_rel);
}

std::optional<PendingValue> PendingWrites::NewestVisibleLocked(const KeyState& state) const {
  for (auto it = state.versions.rbegin(); it != state.versions.rend(); ++it) {
    if (!it->second.visible) continue;
    // An older pending write than the backend's content is superseded: the backend answers.
    if (it->first < state.backend_seq) return std::nullopt;
    return it->second.value;
  }
  return std::nullopt;
}

std::optional<absl::Time> PendingWrites::CleanHorizonLocked() const {
  if (cleans_.empty()) return std::nullopt;
  return *cleans_.rbegin();
}

PendingWrites::KeyView PendingWrites::Lookup(const std::string& name,
                                             const std::string& key) const {
  if (outstanding_.load(std::memory_order_acquire) == 0) return KeyView{};
  MutexLock lock(&mu_);
  KeyView view;
  view.clean_horizon = CleanHorizonLocked();
  auto it = keys_.find({name, key});
  if (it != keys_.end()) view.write = NewestVisibleLocked(it->second);
  return view;
}

PendingWrites::NamespaceView PendingWrites::Namespace(const std::string& name) const {
  if (outstanding_.load(std::memory_order_acquire) == 0) return NamespaceView{};
  MutexLock lock(&mu_);
  NamespaceView view;
  view.clean_horizon = CleanHorizonLocked();
  for (auto it = keys_.lower_bound({name, std::string()});
       it != keys_.end() && it->first.first == name; ++it) {
    std::optional<PendingValue> newest = NewestVisibleLocked(it->second);
    if (newest.has_value()) view.writes.emplace(it->first.second, *std::move(newest));
  }
  return view;
}

}  // namespace routing_internal
}  // namespace failover
