#include "dashboard/grpc/internal/call_auth.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

namespace failover {
namespace dashboard {
namespace grpc_internal {

std::string PeerAddress(absl::string_view grpc_peer) {
  absl::string_view rest = grpc_peer;
  if (absl::ConsumePrefix(&rest, "ipv4:")) {
    const size_t colon = rest.rfind(':');
    return std::string(colon == absl::string_view::npos ? rest : rest.substr(0, colon));
  }
  if (absl::ConsumePrefix(&rest, "ipv6:")) {
    const std::string host = absl::StrReplaceAll(rest, {{"%5B", "["}, {"%5D", "]"}});
    const size_t close = host.rfind(']');
    if (!host.empty() && host[0] == '[' && close != std::string::npos) {
      return host.substr(1, close - 1);
    }
    return host;
  }
  return std::string(grpc_peer);
}

grpc::Status ToGrpcStatus(const AuthResult& result) {
  switch (result.outcome) {
    case AuthOutcome::kOk:
      return grpc::Status::OK;
    case AuthOutcome::kUnauthenticated:
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, result.message);
    case AuthOutcome::kForbidden:
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, result.message);
    case AuthOutcome::kLockedOut:
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          absl::StrCat(result.message, " (retry after ",
                                       absl::FormatDuration(result.retry_after), ")"));
  }
  return grpc::Status(grpc::StatusCode::INTERNAL, "unknown authentication outcome");
}

grpc::Status AuthorizeCall(Authenticator* auth, CallRole role, const grpc::ServerContext& context) {
  if (auth == nullptr) return grpc::Status::OK;
  absl::string_view authorization;
  const auto& metadata = context.client_metadata();
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    authorization = absl::string_view(it->second.data(), it->second.size());
  }
  const std::string address = PeerAddress(context.peer());
  return ToGrpcStatus(role == CallRole::kAdmin ? auth->CheckAdmin(authorization, address)
                                               : auth->CheckIngest(authorization, address));
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

}  // namespace grpc_internal
}  // namespace dashboard
}  // namespace failover
