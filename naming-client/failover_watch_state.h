// FailoverWatchState: what a client of failover.v1.FailoverData (proto/failover_data.proto)
// knows after applying the responses of its Watch streams, as FailoverSwitch and FailoverData.
// The protocol logic of the "grpc" data source, without gRPC: snapshots replace everything at
// their end, events apply in revision order, a gap or a foreign epoch is an error that asks for
// a new snapshot, and a service whose key does not parse becomes a problem while the rest is
// served.
//
//   FailoverWatchState state("failover server 10.0.0.5:9090, namespace 'public'");
//   request.set_from_revision(state.revision());  // 0 until the first snapshot
//   request.set_epoch(state.epoch());
//   absl::StatusOr<bool> changed = state.Apply(response);
//   if (!changed.ok()) { state.Resynchronize(); /* and watch again */ }
//   if (*changed) Publish(state.Current());
//
// Not thread-safe: one thread (the watch thread) applies responses; Current() results are
// immutable and may be shared with any thread.
#ifndef FAILOVER_NAMING_CLIENT_FAILOVER_WATCH_STATE_H_
#define FAILOVER_NAMING_CLIENT_FAILOVER_WATCH_STATE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "naming-client/failover_data_source.h"
#include "proto/failover_data.pb.h"

namespace failover {
namespace naming {

// A consistent state: everything up to `revision` of `epoch` applied.
struct FailoverWatchSnapshot {
  std::string epoch;
  uint64_t revision = 0;
  FailoverSwitch switch_state;
  FailoverData data;
};

class FailoverWatchState {
 public:
  // `origin` names the server and namespace in switch reasons and problem messages.
  explicit FailoverWatchState(std::string origin);

  // Applies one response. True when it completed a snapshot or applied events, so that
  // Current() is new; false for heartbeats and the parts of a snapshot before its end.
  // FailedPrecondition on a protocol violation (events before any snapshot, a gap in the
  // revisions, another epoch without a snapshot): nothing of that response is applied; call
  // Resynchronize() and watch again.
  absl::StatusOr<bool> Apply(const v1::WatchResponse& response);

  // Asks for a snapshot on the next watch (revision() becomes 0) and drops a snapshot in
  // progress. Current() is kept until that snapshot ends.
  void Resynchronize();
  // Drops a snapshot in progress (the stream broke in the middle of it); revision() is kept.
  void AbandonPartialSnapshot();

  // Where to resume: the last applied revision and its epoch; 0 and "" ask for a snapshot.
  uint64_t revision() const { return revision_; }
  const std::string& epoch() const { return epoch_; }
  // Null until the first snapshot has ended.
  std::shared_ptr<const FailoverWatchSnapshot> Current() const { return current_; }

 private:
  struct Contents {
    bool enabled = false;
    std::string reason;
    uint64_t switch_revision = 0;
    std::map<std::string, FailoverServiceData> services;
    std::map<std::string, FailoverFileProblem> problems;  // By the key as the server sent it.
  };

  void ApplyEvent(const v1::WatchEvent& event, Contents& contents) const;
  void Upsert(const v1::FailoverServiceEntry& entry, Contents& contents) const;
  std::shared_ptr<const FailoverWatchSnapshot> Publish() const;

  const std::string origin_;
  bool synced_ = false;  // revision_/epoch_ name a state applied from a snapshot onwards.
  uint64_t revision_ = 0;
  std::string epoch_;
  Contents contents_;  // At revision_.
  bool in_snapshot_ = false;
  Contents building_;  // The snapshot in progress.
  std::shared_ptr<const FailoverWatchSnapshot> current_;
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_FAILOVER_WATCH_STATE_H_
