// SnapshotProtoEncoder: turns a MetricsSnapshot into the wire message
// failover::v1::MetricsSnapshot (proto/metrics_snapshot.proto) that processes push to the
// dashboard. Kept in its own target so code that never exports need not link protobuf.
//
//   failover::SnapshotProtoEncoder encoder(clock, policy.instance_id(), process_start);
//   failover::v1::MetricsSnapshot message = encoder.Encode(registry.Snapshot());
//   // message.sequence() is 1, then 2 for the next Encode(), ...
#ifndef FAILOVER_CORE_METRICS_SNAPSHOT_PROTO_H_
#define FAILOVER_CORE_METRICS_SNAPSHOT_PROTO_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "core/clock.h"
#include "core/metrics/metrics_snapshot.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {

// Writes one series into `out` (cleared first): name, tags in the snapshot's sorted order, unit,
// and the counter, gauge or histogram value. Histogram buckets become cumulative, the last one
// with upper_bound +Inf and cumulative_count == count.
void SeriesToProto(const SeriesSnapshot& series, v1::MetricSeries* out);

// Thread-safe: Encode() may run concurrently; each call takes the next sequence number.
class SnapshotProtoEncoder {
 public:
  // `clock` must outlive the encoder; `process_start` is the wall time the process started (a
  // new value tells the server that counters restarted).
  SnapshotProtoEncoder(const Clock& clock, std::string instance_id, absl::Time process_start);

  // The envelope (instance id, clock.WallNow(), process start, sequence starting at 1) around
  // every series of `snapshot`, in the snapshot's order.
  v1::MetricsSnapshot Encode(const MetricsSnapshot& snapshot);

 private:
  const Clock& clock_;
  const std::string instance_id_;
  const int64_t process_start_unix_nanos_;
  std::atomic<uint64_t> sequence_{0};
};

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_SNAPSHOT_PROTO_H_
