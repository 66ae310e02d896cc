// ServiceInfoHolder: the naming client's service cache (the Java client's ServiceInfoHolder with
// its DiskCache). An upstream (server push or query) feeds it ServiceInfos; it keeps the latest
// per service as an immutable object, mirrors every change to the Nacos cache directory, tells
// listeners what changed, and answers lookups from memory.
//
//   ServiceInfoHolderOptions options;
//   options.cache_directory = *NamingCacheDirectory(*snapshot_path, "public");
//   options.load_cache_at_start = true;  // Java: namingLoadCacheAtStart
//   options.push_empty_protection = true;  // Java: namingPushEmptyProtection
//   absl::StatusOr<std::unique_ptr<ServiceInfoHolder>> holder =
//       ServiceInfoHolder::Create(options);
//   (*holder)->AddListener([](const ServiceInfoChangeEvent& e) { ... e.diff.added ... });
//   absl::StatusOr<ServiceUpdateResult> r = (*holder)->ProcessServiceInfo(info_from_server);
//   std::shared_ptr<const v1::ServiceInfo> info =
//       (*holder)->Get({"DEFAULT_GROUP", "orders", ""});  // nullptr: not cached
//
// Rules (docs/naming-client.md, "Service cache", compares them with Java):
//   - Identity: ServiceKeyOf(info), "GROUP@@SERVICE[@@CLUSTERS]", for the map, the cache file
//     name and events alike; the stored info's name, groupName and clusters are set from it.
//   - A push with valid == false (Java: hosts == null) is ignored, keeping the stored value;
//     with push_empty_protection, so is a push with no healthy instance of weight > 0 (unless
//     allIPs). With drop_out_of_date_pushes, so is a push whose lastRefTime is older than the
//     stored push's.
//   - Otherwise the push is stored. It is a change when an instance was added, removed or
//     modified, or a service-level field changed; lastRefTime and the order of hosts are not.
//     On a change the cache file is rewritten atomically and listeners get the old and new info
//     with the diff. A failed write is reported (ServiceUpdateResult::disk_status,
//     last_disk_error(), counters) and the stored value stays.
#ifndef FAILOVER_NAMING_CLIENT_SERVICE_INFO_HOLDER_H_
#define FAILOVER_NAMING_CLIENT_SERVICE_INFO_HOLDER_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/listener_list.h"
#include "core/sync.h"
#include "naming-client/disk_cache.h"
#include "naming-client/failover_data_source.h"
#include "naming-client/instances_diff.h"
#include "naming-client/service_key.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {

struct ServiceInfoHolderOptions {
  // The Nacos cache directory (NamingCacheDirectory()). Required when load_cache_at_start or
  // write_disk_cache is set.
  std::string cache_directory;
  // Java namingLoadCacheAtStart: Create() loads every cache file (with hosts) of the directory.
  bool load_cache_at_start = false;
  // Java namingPushEmptyProtection: ignore pushes with no usable instance, keeping the old value.
  bool push_empty_protection = false;
  // Mirror each changed service to its cache file.
  bool write_disk_cache = true;
  // Ignore a push older (lastRefTime) than the stored push: reordered delivery.
  bool drop_out_of_date_pushes = true;
  // Cache files larger than this are not loaded.
  size_t max_file_bytes = 16 << 20;
};

// What ProcessServiceInfo() did with a push.
enum class ServiceUpdateOutcome {
  kAdded,             // First value for the service: stored, written, sent.
  kChanged,           // Stored, written, sent.
  kUnchanged,         // Stored (a fresher lastRefTime); nothing written or sent.
  kIgnoredEmpty,      // Empty or error push: the stored value (if any) stays.
  kIgnoredOutOfDate,  // Older than the stored push: the stored value stays.
};

// "added", "changed", "unchanged", "ignored_empty", "ignored_out_of_date".
absl::string_view ServiceUpdateOutcomeName(ServiceUpdateOutcome outcome);

struct ServiceUpdateResult {
  ServiceKey key;
  ServiceUpdateOutcome outcome = ServiceUpdateOutcome::kUnchanged;
  // The value stored for `key` now; nullptr when a push was ignored and nothing was stored.
  std::shared_ptr<const v1::ServiceInfo> info;
  // The cache file write's status when one was due (kAdded, kChanged with write_disk_cache);
  // OK otherwise. A failure does not undo the in-memory update.
  absl::Status disk_status;
};

// A service's stored value changed (kAdded or kChanged).
struct ServiceInfoChangeEvent {
  ServiceKey key;
  std::shared_ptr<const v1::ServiceInfo> old_info;  // nullptr for the first value.
  std::shared_ptr<const v1::ServiceInfo> new_info;
  InstancesDiff diff;  // May be empty when only a service-level field changed.
};

// Monotonic counts since creation (e.g. for metrics).
struct ServiceInfoHolderCounters {
  uint64_t pushes = 0;   // ProcessServiceInfo() calls with a usable key.
  uint64_t changes = 0;  // kAdded + kChanged.
  uint64_t ignored_empty = 0;
  uint64_t ignored_out_of_date = 0;
  uint64_t disk_writes = 0;  // Successful cache file writes.
  uint64_t disk_write_errors = 0;
};

// The key a ServiceInfo from the upstream stands for: group and service from `name`
// ("GROUP@@SERVICE", or "SERVICE" with groupName, DEFAULT_GROUP when that is empty too), and
// `clusters` as given. InvalidArgument when the name is empty, has more than one "@@", or
// carries a group that groupName contradicts. Pure function; thread-safe.
absl::StatusOr<ServiceKey> ServiceKeyOf(const v1::ServiceInfo& info);

// Thread-safe. Get(), Keys(), size() and the other accessors may be called from any thread, never
// wait for I/O and never change stored data: the services are split into shards, each an
// immutable map behind a shared_ptr, and a lookup holds its shard's mutex only to copy that
// pointer. ProcessServiceInfo() and Remove() replace the shard's map (copy on write) under a
// per-shard update mutex, also held while the cache file is written, so updates of one service
// (and of its shard) are serialised and its file always ends with the latest change; updates of
// services in other shards run in parallel. Listeners run on the thread of the update that caused
// the event (or of a concurrent update delivering it), one event at a time, with no lock of the
// holder held, in the order of the changes of each service; they may call the holder, but must
// not destroy it.
class ServiceInfoHolder {
 public:
  // InvalidArgument when the cache directory is needed and empty, or max_file_bytes is 0. With
  // load_cache_at_start, loads the cache directory before returning; problems loading it are
  // not errors (load_problems(), load_status()).
  static absl::StatusOr<std::unique_ptr<ServiceInfoHolder>> Create(
      ServiceInfoHolderOptions options);

  ServiceInfoHolder(const ServiceInfoHolder&) = delete;
  ServiceInfoHolder& operator=(const ServiceInfoHolder&) = delete;

  // Takes a result from the upstream (see the rules in the file comment). An error
  // (InvalidArgument from ServiceKeyOf) means it has no usable identity and nothing was done.
  absl::StatusOr<ServiceUpdateResult> ProcessServiceInfo(v1::ServiceInfo info);

  // The stored value for exactly `key` (no cluster filtering, no fallback to the service
  // without clusters), or nullptr.
  std::shared_ptr<const v1::ServiceInfo> Get(const ServiceKey& key) const;

  // Forgets `key` in memory (unsubscribed); its cache file stays, as in Java. No event. False
  // when it was not stored.
  bool Remove(const ServiceKey& key);

  // The stored keys, sorted.
  std::vector<ServiceKey> Keys() const;
  size_t size() const;

  // Listeners see the changes processed after they were added (not the cache loaded at start).
  void AddListener(std::function<void(const ServiceInfoChangeEvent&)> listener);

  // Reading the cache directory at start (load_cache_at_start): files that could not be used,
  // and the directory's error if it could not be listed (OK otherwise, and without loading).
  const std::vector<FailoverFileProblem>& load_problems() const { return load_problems_; }
  const absl::Status& load_status() const { return load_status_; }

  // The latest cache file write's status: OK before any write and once a later write succeeds.
  absl::Status last_disk_error() const ABSL_LOCKS_EXCLUDED(disk_mu_);
  ServiceInfoHolderCounters counters() const;

  const ServiceInfoHolderOptions& options() const { return options_; }

 private:
  struct Entry {
    std::shared_ptr<const v1::ServiceInfo> info;
    // Loaded from the cache file at start: any push may replace it, whatever its lastRefTime.
    bool from_cache_file = false;
  };
  struct KeyHash {
    size_t operator()(const ServiceKey& key) const;
  };
  using ServiceMap = absl::flat_hash_map<ServiceKey, Entry, KeyHash>;
  struct Shard {
    Mutex update_mu;   // Serialises updates (and their cache file writes); readers never take it.
    mutable Mutex mu;  // Held only to copy or swap `services`.
    std::shared_ptr<const ServiceMap> services ABSL_GUARDED_BY(mu);
    // Unique in the process for each map `services` has held (Get()'s per-thread pins key on
    // it); written under `mu` with `services`, read without it.
    std::atomic<uint64_t> services_id{0};
  };
  static constexpr int kShardBits = 6;

  explicit ServiceInfoHolder(ServiceInfoHolderOptions options);

  Shard& ShardFor(size_t hash) { return shards_[hash >> (64 - kShardBits)]; }
  const Shard& ShardFor(size_t hash) const { return shards_[hash >> (64 - kShardBits)]; }
  static std::shared_ptr<const ServiceMap> Services(const Shard& shard)
      ABSL_LOCKS_EXCLUDED(shard.mu);
  // The shard's map for a lookup, through this thread's pin of it (see Get()). The reference is
  // valid until the thread's next call.
  const std::shared_ptr<const ServiceMap>& PinnedServices(const Shard& shard) const
      ABSL_LOCKS_EXCLUDED(shard.mu);
  // Why `info` is ignored instead of stored over `old`, if it is.
  std::optional<ServiceUpdateOutcome> Ignored(const v1::ServiceInfo& info, const Entry* old) const;
  // Copies the shard's map with `key` set to `entry` (or erased when null) and publishes it.
  static void Publish(Shard& shard, const ServiceKey& key, const Entry* entry)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(shard.update_mu);
  void LoadCacheFiles();
  absl::Status WriteCacheFile(const ServiceKey& key, const v1::ServiceInfo& info)
      ABSL_LOCKS_EXCLUDED(disk_mu_);

  const ServiceInfoHolderOptions options_;
  const DiskCache disk_cache_;
  std::array<Shard, 1 << kShardBits> shards_;
  ListenerList<ServiceInfoChangeEvent> listeners_;

  // Set in Create(), then immutable.
  std::vector<FailoverFileProblem> load_problems_;
  absl::Status load_status_;

  mutable Mutex disk_mu_;
  absl::Status last_disk_error_ ABSL_GUARDED_BY(disk_mu_);
  std::atomic<uint64_t> pushes_{0};
  std::atomic<uint64_t> changes_{0};
  std::atomic<uint64_t> ignored_empty_{0};
  std::atomic<uint64_t> ignored_out_of_date_{0};
  std::atomic<uint64_t> disk_writes_{0};
  std::atomic<uint64_t> disk_write_errors_{0};
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_SERVICE_INFO_HOLDER_H_
