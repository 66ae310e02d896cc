// How the dashboard's gRPC services authenticate a call: the `authorization` metadata entry and
// the peer's address, checked by the Authenticator, the outcome mapped onto a gRPC status.
// Thread-safe (pure functions; the Authenticator is thread-safe).
#ifndef FAILOVER_DASHBOARD_GRPC_INTERNAL_CALL_AUTH_H_
#define FAILOVER_DASHBOARD_GRPC_INTERNAL_CALL_AUTH_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "dashboard/security/authenticator.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace failover {
namespace dashboard {
namespace grpc_internal {

// The address of a gRPC peer string without its port, as the Authenticator tracks failures per
// address: "ipv4:10.0.0.7:5123" -> "10.0.0.7", "ipv6:[::1]:5123" (or its %5B/%5D-escaped form)
// -> "::1". Anything else (e.g. "unix:/tmp/s") is returned as is.
std::string PeerAddress(absl::string_view grpc_peer);

// OK for AuthOutcome::kOk; else UNAUTHENTICATED, PERMISSION_DENIED or, locked out,
// RESOURCE_EXHAUSTED, with the result's message.
grpc::Status ToGrpcStatus(const AuthResult& result);

// Which check a call needs.
enum class CallRole { kAdmin, kIngest };

// Checks the call's credentials; OK at once when `auth` is null (no security).
grpc::Status AuthorizeCall(Authenticator* auth, CallRole role, const grpc::ServerContext& context);

// absl and gRPC share their status code numbering.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace grpc_internal
}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_GRPC_INTERNAL_CALL_AUTH_H_
