// InMemoryFailoverDataServer: a failover.v1.FailoverData gRPC server (proto/failover_data.proto)
// on 127.0.0.1 and a free port, serving a FailoverDataStore held in memory, for testing the
// "grpc" failover data source (and anything else that speaks the protocol) against the real wire
// protocol. The store logic lives in failover_data_store.h, so the dashboard can serve the same
// store; this class is only the gRPC glue plus the faults tests need: stop and restart on the
// same port, fail every call, lose the history.
//
//   auto server = InMemoryFailoverDataServer::Start();
//   (*server)->store().SetSwitch("public", true, "drill");
//   options.target = (*server)->target();  // "127.0.0.1:PORT"
//   (*server)->Stop();     // clients lose their streams
//   (*server)->Restart();  // same port, same store
//
// Watch streams: a snapshot (split into responses of at most max_snapshot_events events) or the
// changes after the client's revision, then every batch of changes as it happens, and a
// heartbeat when the client asked for one and nothing changed. Handlers check for cancellation
// and Stop() every 20 ms.
#ifndef FAILOVER_NAMING_CLIENT_TESTING_IN_MEMORY_FAILOVER_DATA_SERVER_H_
#define FAILOVER_NAMING_CLIENT_TESTING_IN_MEMORY_FAILOVER_DATA_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/sync.h"
#include "naming-client/failover_data_store.h"

namespace grpc {
class Server;
}  // namespace grpc

namespace failover {
namespace naming {

struct InMemoryFailoverDataServerOptions {
  FailoverDataStoreOptions store;
  // A snapshot is sent in responses of at most this many events.
  size_t max_snapshot_events = 1000;
};

// Thread-safe. store() may be used from any thread while clients are connected.
class InMemoryFailoverDataServer {
 public:
  // Listening on 127.0.0.1 and a port the system picked.
  static absl::StatusOr<std::unique_ptr<InMemoryFailoverDataServer>> Start(
      InMemoryFailoverDataServerOptions options = InMemoryFailoverDataServerOptions());
  ~InMemoryFailoverDataServer();
  InMemoryFailoverDataServer(const InMemoryFailoverDataServer&) = delete;
  InMemoryFailoverDataServer& operator=(const InMemoryFailoverDataServer&) = delete;

  // Valid until ReplaceStore().
  FailoverDataStore& store() ABSL_LOCKS_EXCLUDED(mu_);
  int port() const { return port_; }
  std::string target() const;  // "127.0.0.1:PORT"

  // Ends every call (open watches end with UNAVAILABLE) and stops listening; the store is kept.
  // Returns once no handler runs. No-op when stopped.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);
  // Listens on the same port again. No-op when running.
  absl::Status Restart() ABSL_LOCKS_EXCLUDED(mu_);
  // A new, empty store with a new epoch, as a server that restarted without persistence. Only
  // while stopped (FailedPrecondition otherwise).
  absl::Status ReplaceStore() ABSL_LOCKS_EXCLUDED(mu_);

  // While `status` is not OK, every call fails with it, and open watches end with it.
  void FailCalls(absl::Status status) ABSL_LOCKS_EXCLUDED(mu_);

  int active_watches() const ABSL_LOCKS_EXCLUDED(mu_);
  int watch_calls() const ABSL_LOCKS_EXCLUDED(mu_);  // Started since Start().

 private:
  class Service;
  friend class Service;

  explicit InMemoryFailoverDataServer(InMemoryFailoverDataServerOptions options);
  absl::Status Listen(const std::string& address) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // For the handlers: the store, or an error when calls must fail (also when stopping).
  absl::StatusOr<std::shared_ptr<FailoverDataStore>> StoreForCall() const ABSL_LOCKS_EXCLUDED(mu_);
  // OK while a watch may go on.
  absl::Status WatchMayContinue() const ABSL_LOCKS_EXCLUDED(mu_);
  void WatchStarted() ABSL_LOCKS_EXCLUDED(mu_);
  void WatchEnded() ABSL_LOCKS_EXCLUDED(mu_);

  const InMemoryFailoverDataServerOptions options_;
  std::unique_ptr<Service> service_;
  int port_ = 0;

  Mutex lifecycle_mu_;  // Serialises Stop(), Restart() and the destructor; held around mu_.
  mutable Mutex mu_;
  std::shared_ptr<FailoverDataStore> store_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<grpc::Server> server_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status fail_with_ ABSL_GUARDED_BY(mu_);
  int active_watches_ ABSL_GUARDED_BY(mu_) = 0;
  int watch_calls_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_TESTING_IN_MEMORY_FAILOVER_DATA_SERVER_H_
