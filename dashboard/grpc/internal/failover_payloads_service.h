// FailoverPayloadsService: failover.v1.FailoverPayloads (proto/payload_store.proto) over a
// PayloadReader, for DashboardGrpcServer (whose header lists the status codes). Calls need the
// Authenticator's admin check (open when no users are configured).
// Thread-safe: gRPC calls the handlers from many threads.
#ifndef FAILOVER_DASHBOARD_GRPC_INTERNAL_FAILOVER_PAYLOADS_SERVICE_H_
#define FAILOVER_DASHBOARD_GRPC_INTERNAL_FAILOVER_PAYLOADS_SERVICE_H_

#include "dashboard/payloads/payload_reader.h"
#include "dashboard/security/authenticator.h"
#include "proto/payload_store.grpc.pb.h"

namespace failover {
namespace dashboard {
namespace grpc_internal {

class FailoverPayloadsService final : public v1::FailoverPayloads::Service {
 public:
  // `reader` nullptr: every call is FAILED_PRECONDITION. `auth` nullptr: open.
  FailoverPayloadsService(PayloadReader* reader, Authenticator* auth);

  grpc::Status GetPayload(grpc::ServerContext* context, const v1::GetPayloadRequest* request,
                          v1::GetPayloadResponse* response) override;
  grpc::Status ListPayloads(grpc::ServerContext* context, const v1::ListPayloadsRequest* request,
                            v1::ListPayloadsResponse* response) override;

 private:
  grpc::Status Admit(const grpc::ServerContext& context);

  PayloadReader* const reader_;
  Authenticator* const auth_;
};

}  // namespace grpc_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_GRPC_INTERNAL_FAILOVER_PAYLOADS_SERVICE_H_
