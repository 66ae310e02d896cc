// The "grpc" failover data source: the switch and the failover data of one namespace from a
// central failover server (failover.v1.FailoverData, proto/failover_data.proto), kept current by
// a Watch stream, so a switch flipped centrally reaches every client in well under a second.
//
//   GrpcFailoverOptions options;
//   options.target = "failoverd.internal:9090";
//   options.nacos_namespace = "prod";
//   absl::StatusOr<std::unique_ptr<GrpcFailoverDataSource>> source =
//       GrpcFailoverDataSource::Create(options);
//   auto reactor = FailoverReactor::Create(*std::move(source), SystemClock());
//
// Or by name, from configuration (failover.naming.data-source: grpc, grpc.target: host:port):
// linking //naming-client:grpc_failover_data_source registers "grpc" in the global registry.
//
// A background thread watches the server: a snapshot replaces everything at once, then each
// batch of changes is applied and the change notifier is called once. When the stream breaks it
// watches again after a backoff (exponential, with jitter), resuming from the last revision it
// applied, so changes made meanwhile arrive as events, or as a new snapshot if the server no
// longer has them. GetSwitch() and GetData() answer from memory and never wait for the network:
// before the first snapshot they are UNAVAILABLE naming the target and the last error; after it,
// they serve the last state received, also while the server is unreachable.
#ifndef FAILOVER_NAMING_CLIENT_GRPC_FAILOVER_DATA_SOURCE_H_
#define FAILOVER_NAMING_CLIENT_GRPC_FAILOVER_DATA_SOURCE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/random.h"
#include "core/sync.h"
#include "naming-client/failover_data_source.h"
#include "naming-client/failover_data_source_params.h"
#include "naming-client/failover_data_source_registry.h"
#include "naming-client/failover_watch_state.h"

namespace grpc {
class ClientContext;
}  // namespace grpc

namespace failover {
namespace naming {

inline constexpr absl::string_view kGrpcFailoverDataSourceName = "grpc";

struct GrpcFailoverOptions {
  std::string target;  // host:port of the failover server (failover.naming.grpc.target).
  std::string nacos_namespace = "public";  // Blank means "public".
  // A watch that has not received its first response this long after it started is abandoned
  // (covers connecting); the next one waits for the backoff.
  absl::Duration connect_timeout = absl::Seconds(5);
  // Asked of the server: a heartbeat response when nothing changed for this long.
  absl::Duration heartbeat_interval = absl::Seconds(5);
  // A watch that received nothing (not even a heartbeat) for this long is taken as dead and
  // replaced. Must be longer than heartbeat_interval.
  absl::Duration idle_timeout = absl::Seconds(20);
  // Wait before watching again: initial_backoff after a watch that received something, then
  // multiplied by backoff_multiplier after each failed attempt up to max_backoff; each wait is
  // scaled by a random factor in [1 - backoff_jitter, 1 + backoff_jitter).
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(10);
  double backoff_multiplier = 2.0;
  double backoff_jitter = 0.2;       // In [0, 1].
  int max_message_bytes = 16 << 20;  // Largest response accepted.
  RandomSource* random = nullptr;    // For the jitter; nullptr: SystemRandom().
};

// How the watch is doing, for logs, metrics and tests.
struct GrpcWatchStatus {
  bool synced = false;      // A snapshot has been applied (GetSwitch/GetData answer).
  bool streaming = false;   // A watch is open and has received a response.
  uint64_t revision = 0;    // Last applied revision (0 before the first snapshot).
  std::string epoch;        // Of that revision.
  absl::Status last_error;  // Why the last watch ended; OK while the first one is open.
  uint64_t watches = 0;     // Watch calls started.
  uint64_t batches = 0;     // Snapshots and event batches applied.
};

// Thread-safe: every method may be called from any thread, concurrently. GetSwitch() and
// GetData() copy a pointer to the immutable current state under a mutex held only for that. The
// change notifier runs on the watch thread, with no lock held. The destructor cancels the watch
// and joins the thread (promptly: it does not wait for network timeouts).
class GrpcFailoverDataSource final : public FailoverDataSource {
 public:
  // InvalidArgument for a blank target, a bad namespace or inconsistent durations. Starts the
  // watch thread; does not wait for the server.
  static absl::StatusOr<std::unique_ptr<GrpcFailoverDataSource>> Create(
      GrpcFailoverOptions options);
  ~GrpcFailoverDataSource() override;
  GrpcFailoverDataSource(const GrpcFailoverDataSource&) = delete;
  GrpcFailoverDataSource& operator=(const GrpcFailoverDataSource&) = delete;

  // Unavailable until the first snapshot has arrived.
  absl::StatusOr<FailoverSwitch> GetSwitch() override;
  absl::StatusOr<FailoverData> GetData() override;
  void SetChangeNotifier(std::function<void()> changed) override;

  GrpcWatchStatus watch_status() const;
  const std::string& target() const { return options_.target; }

 private:
  struct Connection;  // The gRPC channel and stub; defined in the .cc, as gRPC headers stay there.

  GrpcFailoverDataSource(GrpcFailoverOptions options, std::unique_ptr<Connection> connection);

  void Run();  // The watch thread.
  // One Watch call, until it ends; returns why. `received` tells whether a response came.
  absl::Status WatchOnce(bool& received);
  // Sleeps `d` unless stopping; false when stopping.
  bool SleepUnlessStopping(absl::Duration d) ABSL_LOCKS_EXCLUDED(mu_);
  // Makes the watch state current for readers, then calls the change notifier.
  void Publish() ABSL_LOCKS_EXCLUDED(mu_, notifier_mu_);
  absl::Status Unsynced() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const GrpcFailoverOptions options_;
  std::unique_ptr<Connection> connection_;
  FailoverWatchState watch_state_;  // Watch thread only.

  mutable Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ClientContext* call_ ABSL_GUARDED_BY(mu_) = nullptr;  // The open watch, to cancel.
  std::shared_ptr<const FailoverWatchSnapshot> current_ ABSL_GUARDED_BY(mu_);
  GrpcWatchStatus status_ ABSL_GUARDED_BY(mu_);

  Mutex notifier_mu_;
  std::function<void()> notifier_ ABSL_GUARDED_BY(notifier_mu_);

  std::thread thread_;  // Last: starts after everything above exists.
};

// The "grpc" factory: target from params.grpc_target (InvalidArgument naming
// failover.naming.grpc.target when blank), namespace from params.nacos_namespace, the other
// options at their defaults.
absl::StatusOr<std::unique_ptr<FailoverDataSource>> NewGrpcFailoverDataSource(
    const FailoverDataSourceParams& params);

// Registers NewGrpcFailoverDataSource as "grpc" in `registry`. Linking this library already
// does so for the global registry; this is for other registries.
absl::Status RegisterGrpcFailoverDataSource(FailoverDataSourceRegistry& registry);

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_GRPC_FAILOVER_DATA_SOURCE_H_
