// FailoverDataService: the failover.v1.FailoverData gRPC service (proto/failover_data.proto) over a
// FailoverDataStore: GetSwitch, ListServices, GetService and Watch. The dashboard (failoverd)
// registers it on its gRPC server; the in-memory test server
// (testing/in_memory_failover_data_server.h) registers it too, so there is one implementation.
//
//   FailoverDataStore store;
//   FailoverDataService service(store);
//   grpc::ServerBuilder builder;
//   builder.RegisterService(&service);
//   ...
//   service.Stop();  // open watches end with UNAVAILABLE within watch_check_interval
//   server->Shutdown(deadline);
//
// Watch streams: a snapshot (split into responses of at most max_snapshot_events events) or the
// changes after the client's revision, then every batch of changes as it happens, and a
// heartbeat when the client asked for one and nothing changed for that long. A waiting handler
// checks for cancellation, Stop() and `availability` every watch_check_interval.
//
// Thread-safe: gRPC calls the handlers from many threads; Stop() may be called from any thread.
#ifndef FAILOVER_NAMING_CLIENT_FAILOVER_DATA_SERVICE_H_
#define FAILOVER_NAMING_CLIENT_FAILOVER_DATA_SERVICE_H_

#include <atomic>
#include <cstddef>
#include <functional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "naming-client/failover_data_store.h"
#include "proto/failover_data.grpc.pb.h"

namespace failover {
namespace naming {

struct FailoverDataServiceOptions {
  // A snapshot is sent in responses of at most this many events.
  size_t max_snapshot_events = 1000;
  // How often a waiting Watch handler checks for cancellation, Stop() and `availability`.
  absl::Duration watch_check_interval = absl::Milliseconds(20);
  // Consulted before every call and while a watch waits: a non-OK status fails the call (ends
  // the watch) with it, e.g. while the server that holds the store is not ready. Must be
  // thread-safe. Empty: always available.
  std::function<absl::Status()> availability;
};

class FailoverDataService final : public v1::FailoverData::Service {
 public:
  // `store` must outlive the service.
  explicit FailoverDataService(const FailoverDataStore& store,
                               FailoverDataServiceOptions options = FailoverDataServiceOptions());
  FailoverDataService(const FailoverDataService&) = delete;
  FailoverDataService& operator=(const FailoverDataService&) = delete;

  grpc::Status GetSwitch(grpc::ServerContext* context, const v1::GetSwitchRequest* request,
                         v1::GetSwitchResponse* response) override;
  grpc::Status ListServices(grpc::ServerContext* context, const v1::ListServicesRequest* request,
                            v1::ListServicesResponse* response) override;
  grpc::Status GetService(grpc::ServerContext* context, const v1::GetServiceRequest* request,
                          v1::GetServiceResponse* response) override;
  grpc::Status Watch(grpc::ServerContext* context, const v1::WatchRequest* request,
                     grpc::ServerWriter<v1::WatchResponse>* writer) override;

  // From now on every call fails with UNAVAILABLE and open watches end with it (within
  // watch_check_interval): call before shutting the gRPC server down, so its shutdown does not
  // wait for watches. Irreversible.
  void Stop() { stopped_.store(true, std::memory_order_release); }

  int active_watches() const { return active_watches_.load(std::memory_order_acquire); }
  int watch_calls() const { return watch_calls_.load(std::memory_order_acquire); }  // Started.

 private:
  // OK while calls may be served (not stopped, `availability` OK).
  absl::Status Available() const;
  grpc::Status Stream(grpc::ServerContext& context, const v1::WatchRequest& request,
                      grpc::ServerWriter<v1::WatchResponse>& writer);

  const FailoverDataStore& store_;
  const FailoverDataServiceOptions options_;
  std::atomic<bool> stopped_{false};
  std::atomic<int> active_watches_{0};
  std::atomic<int> watch_calls_{0};
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_FAILOVER_DATA_SERVICE_H_
