// FailoverDataStore: the state a central failover server keeps for its clients, per Nacos
// namespace: the failover switch and one failover ServiceInfo per service key, every change
// numbered with the namespace's next revision, and the recent changes kept so a client that
// lost its stream can catch up with what it missed instead of reloading everything. It is the
// logic behind the failover.v1.FailoverData gRPC service (proto/failover_data.proto), kept apart
// from gRPC so the dashboard (failoverd) can serve it too; the test server
// (testing/in_memory_failover_data_server.h) is only the gRPC glue around it.
//
//   FailoverDataStore store;
//   store.SetSwitch("public", true, "registry maintenance");   // revision 1
//   store.UpsertService("public", "DEFAULT_GROUP@@orders", info);  // revision 2
//   absl::StatusOr<StoreCatchUp> c = store.CatchUp("public", /*from_revision=*/1, store.epoch());
//   // c->changes: the upsert at revision 2 (or c->snapshot when revision 1 is too old).
//   store.AwaitRevisionAbove("public", 2, absl::Seconds(1));  // until the next change
//   store.SetChangeListener([](const std::string& ns, const StoreChange& c) { /* persist */ });
//
// Names are checked as the protocol says: a namespace is NormalizeNamespace()'s (blank means
// "public"), a key is ServiceKey::ToString()'s form. Changes that change nothing (the same switch
// state, an equal ServiceInfo) take no revision.
#ifndef FAILOVER_NAMING_CLIENT_FAILOVER_DATA_STORE_H_
#define FAILOVER_NAMING_CLIENT_FAILOVER_DATA_STORE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/sync.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {

struct StoredSwitch {
  bool enabled = false;
  std::string reason;
  uint64_t revision = 0;  // When it was last set; 0: never.
};

struct StoredService {
  std::string key;                              // "GROUP@@SERVICE[@@CLUSTERS]".
  std::shared_ptr<const v1::ServiceInfo> info;  // Immutable; nullptr only for removals.
  uint64_t revision = 0;                        // When it was last upserted.
};

// One numbered change of a namespace.
struct StoreChange {
  enum class Kind { kSwitch, kUpsert, kRemove };
  Kind kind = Kind::kSwitch;
  uint64_t revision = 0;
  StoredSwitch switch_state;  // kSwitch.
  StoredService service;      // kUpsert; kRemove: only `key`.
};

// Everything a namespace holds at `revision`.
struct StoreSnapshot {
  uint64_t revision = 0;
  StoredSwitch switch_state;
  std::vector<StoredService> services;  // In key order.
};

// What a client at some revision needs to be current: a snapshot, or the changes after its
// revision (possibly none).
struct StoreCatchUp {
  std::string epoch;
  uint64_t revision = 0;  // Where the client is once it applied this.
  bool is_snapshot = false;
  StoreSnapshot snapshot;            // When is_snapshot.
  std::vector<StoreChange> changes;  // Otherwise, consecutive revisions, oldest first.
};

struct StoreServicePage {
  std::vector<StoredService> services;  // In key order.
  std::string next_after_key;           // Pass as `after_key` for the next page; "" at the end.
  uint64_t revision = 0;
};

struct FailoverDataStoreOptions {
  // Names this store's history of revisions; "" picks a random one. A store that starts empty
  // after a restart must use a new one, so clients do not resume into a different history.
  std::string epoch;
  // Changes kept per namespace for clients catching up; older ones get a snapshot instead.
  size_t history_limit = 1024;
};

// Called with a namespace (normalised) and one change it recorded.
using StoreChangeListener =
    std::function<void(const std::string& nacos_namespace, const StoreChange& change)>;

// Thread-safe: every method may be called from any thread. One mutex guards the data; it is
// held for the map operations only (ServiceInfo objects are shared, not copied, when read).
// Changes (SetSwitch, UpsertService, RemoveService) are also serialised with one another by a
// second mutex, held while the change listener runs, so the listener sees them in revision order;
// reads never wait for it.
class FailoverDataStore {
 public:
  explicit FailoverDataStore(FailoverDataStoreOptions options = FailoverDataStoreOptions());
  FailoverDataStore(const FailoverDataStore&) = delete;
  FailoverDataStore& operator=(const FailoverDataStore&) = delete;

  const std::string& epoch() const { return epoch_; }

  // `listener` is called after each recorded change (not for calls that change nothing), on the
  // changing thread, outside the data mutex (it may read the store), one change at a time in
  // revision order; the change is already served when it runs. It must not change the store
  // (that would deadlock). Replaces any previous listener; an empty function removes it.
  void SetChangeListener(StoreChangeListener listener) ABSL_LOCKS_EXCLUDED(change_mu_);

  // The revision of the change, or the current revision when nothing changed. InvalidArgument
  // for a bad namespace or key; RemoveService: NotFound when there is no such entry.
  absl::StatusOr<uint64_t> SetSwitch(absl::string_view nacos_namespace, bool enabled,
                                     absl::string_view reason);
  absl::StatusOr<uint64_t> UpsertService(absl::string_view nacos_namespace, absl::string_view key,
                                         v1::ServiceInfo info);
  absl::StatusOr<uint64_t> RemoveService(absl::string_view nacos_namespace, absl::string_view key);

  // An unknown namespace is empty, at revision 0, switch off.
  absl::StatusOr<StoredSwitch> GetSwitch(absl::string_view nacos_namespace) const;
  // NotFound when the namespace has no entry for `key`.
  absl::StatusOr<StoredService> GetService(absl::string_view nacos_namespace,
                                           absl::string_view key) const;
  // At most `page_size` (> 0) services with keys after `after_key` ("" for the first page).
  absl::StatusOr<StoreServicePage> ListServices(absl::string_view nacos_namespace, size_t page_size,
                                                absl::string_view after_key) const;
  absl::StatusOr<uint64_t> Revision(absl::string_view nacos_namespace) const;

  // What a client that applied `from_revision` under `epoch` needs: the changes after it, or a
  // snapshot when from_revision is 0, the epoch is another one, the revision is ahead of the
  // store, or its successors have left the history.
  absl::StatusOr<StoreCatchUp> CatchUp(absl::string_view nacos_namespace, uint64_t from_revision,
                                       absl::string_view epoch) const;

  // Blocks until the namespace's revision is above `revision` (true) or `timeout` passes
  // (false).
  bool AwaitRevisionAbove(absl::string_view nacos_namespace, uint64_t revision,
                          absl::Duration timeout) const;

  // Stores an entry under `key` as given, without checking it: for testing how clients cope
  // with bad keys from a server.
  uint64_t UpsertUncheckedForTest(absl::string_view nacos_namespace, absl::string_view key,
                                  v1::ServiceInfo info);

 private:
  struct Namespace {
    uint64_t revision = 0;
    StoredSwitch switch_state;
    std::map<std::string, StoredService, std::less<>> services;
    std::deque<StoreChange> history;  // The last changes, consecutive revisions.
  };

  // Namespace (normalised) and the key checked.
  static absl::StatusOr<std::string> CheckNamespace(absl::string_view nacos_namespace);
  static absl::Status CheckKey(absl::string_view key);

  // Numbers `change`, keeps it in the history and copies it to `recorded` for the listener.
  uint64_t Record(Namespace& ns, StoreChange change, StoreChange& recorded)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Tells the listener about `recorded` when it holds a change (revision != 0).
  void Notify(const std::string& nacos_namespace, const StoreChange& recorded)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(change_mu_) ABSL_LOCKS_EXCLUDED(mu_);
  uint64_t Upsert(const std::string& nacos_namespace, absl::string_view key, v1::ServiceInfo info)
      ABSL_LOCKS_EXCLUDED(mu_, change_mu_);
  const Namespace* Find(const std::string& nacos_namespace) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const FailoverDataStoreOptions options_;
  const std::string epoch_;
  // Taken before mu_ by every change, and held while the listener runs.
  Mutex change_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  StoreChangeListener listener_ ABSL_GUARDED_BY(change_mu_);
  mutable Mutex mu_;
  std::map<std::string, Namespace, std::less<>> namespaces_ ABSL_GUARDED_BY(mu_);
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_FAILOVER_DATA_STORE_H_
