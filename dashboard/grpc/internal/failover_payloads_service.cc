#include "dashboard/grpc/internal/failover_payloads_service.h"

#include "absl/time/time.h"
#include "dashboard/grpc/internal/call_auth.h"

namespace failover {
namespace dashboard {
namespace grpc_internal {
namespace {

void ToProto(const FailoverStoreEntry& from, v1::PayloadEntry* to) {
  to->set_name(from.name);
  to->set_key(from.key);
  to->set_as_of_unix_nanos(absl::ToUnixNanos(from.as_of));
  to->set_expire_on_unix_nanos(absl::ToUnixNanos(from.expire_on));
  to->set_payload(from.payload);
  to->set_payload_class(from.payload_type);
}

}  // namespace

FailoverPayloadsService::FailoverPayloadsService(PayloadReader* reader, Authenticator* auth)
    : reader_(reader), auth_(auth) {}

grpc::Status FailoverPayloadsService::Admit(const grpc::ServerContext& context) {
  if (grpc::Status auth = AuthorizeCall(auth_, CallRole::kAdmin, context); !auth.ok()) {
    return auth;
  }
  if (reader_ == nullptr) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "this failoverd serves no payload store (failover.store.type is not jdbc, "
                        "or failover.dashboard.exposure.include does not list 'payloads')");
  }
  return grpc::Status::OK;
}

grpc::Status FailoverPayloadsService::GetPayload(grpc::ServerContext* context,
                                                 const v1::GetPayloadRequest* request,
                                                 v1::GetPayloadResponse* response) {
  if (grpc::Status admitted = Admit(*context); !admitted.ok()) return admitted;
  absl::StatusOr<FailoverStoreEntry> entry =
      reader_->Get(request->name(), request->key(), request->raw_key(), request->tenant());
  if (!entry.ok()) return ToGrpcStatus(entry.status());
  ToProto(*entry, response->mutable_entry());
  return grpc::Status::OK;
}

grpc::Status FailoverPayloadsService::ListPayloads(grpc::ServerContext* context,
                                                   const v1::ListPayloadsRequest* request,
                                                   v1::ListPayloadsResponse* response) {
  if (grpc::Status admitted = Admit(*context); !admitted.ok()) return admitted;
  absl::StatusOr<PayloadPage> page = reader_->List(request->name(), request->page_size(),
                                                   request->page_token(), request->tenant());
  if (!page.ok()) return ToGrpcStatus(page.status());
  for (const FailoverStoreEntry& entry : page->entries) ToProto(entry, response->add_entries());
  response->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

}  // namespace grpc_internal
}  // namespace dashboard
}  // namespace failover
