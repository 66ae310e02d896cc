// InMemoryFailoverDataServer: a failover.v1.FailoverData gRPC server (proto/failover_data.proto)
// on 127.0.0.1 and a free port, serving a FailoverDataStore held in memory, for testing the
// "grpc" failover data source (and anything else that speaks the protocol) against the real wire
// protocol. The store logic lives in failover_data_store.h and the service in
// failover_data_service.h (the dashboard serves both too); this class only runs them on a port,
// with the faults tests need: stop and restart on the same port, fail every call, lose the
// history.
//
//   auto server = InMemoryFailoverDataServer::Start();
//   (*server)->store().SetSwitch("public", true, "drill");
//   options.target = (*server)->target();  // "127.0.0.1:PORT"
//   (*server)->Stop();     // clients lose their streams
//   (*server)->Restart();  // same port, same store
//
// Watch streams behave as FailoverDataService's; handlers check for cancellation, Stop() and
// FailCalls() every 20 ms.
#ifndef FAILOVER_NAMING_CLIENT_TESTING_IN_MEMORY_FAILOVER_DATA_SERVER_H_
#define FAILOVER_NAMING_CLIENT_TESTING_IN_MEMORY_FAILOVER_DATA_SERVER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/sync.h"
#include "naming-client/failover_data_service.h"
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
  explicit InMemoryFailoverDataServer(InMemoryFailoverDataServerOptions options);
  // Serves the current store on `address` with a new service.
  absl::Status Listen(const std::string& address) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // For the service: the FailCalls() status.
  absl::Status Availability() const ABSL_LOCKS_EXCLUDED(mu_);

  const InMemoryFailoverDataServerOptions options_;
  int port_ = 0;

  Mutex lifecycle_mu_;  // Serialises Stop(), Restart() and the destructor; held around mu_.
  mutable Mutex mu_;
  std::shared_ptr<FailoverDataStore> store_ ABSL_GUARDED_BY(mu_);
  // One per Listen(), over the store of that time; outlives server_.
  std::unique_ptr<FailoverDataService> service_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<grpc::Server> server_ ABSL_GUARDED_BY(mu_);
  absl::Status fail_with_ ABSL_GUARDED_BY(mu_);
  int earlier_watch_calls_ ABSL_GUARDED_BY(mu_) = 0;  // Of the services before service_.
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_TESTING_IN_MEMORY_FAILOVER_DATA_SERVER_H_
