// SnapshotTransport: how a PeerPublisher (peer_publisher.h) delivers a metrics snapshot or a
// heartbeat to failoverd, and PublisherAuth, the credentials it presents. The HTTP transport
// (http_snapshot_transport.h) and the gRPC one (grpc_snapshot_transport.h, a separate target so
// HTTP users do not link gRPC) implement it; tests record calls instead.
//
//   absl::StatusOr<PublisherAuth> auth = ResolvePublisherAuth(config.dashboard.cluster.snapshot,
//                                                             /*token_provider=*/nullptr);
//   absl::StatusOr<std::string> header = AuthorizationHeaderValue(*auth);  // "Basic dXNl..."
//
// OAuth2: this toolkit has no OAuth2 client. A non-empty oauth2-client-registration-id means
// "send `Authorization: Bearer <token>`, with the token from a TokenProvider the application
// supplies" (its own OAuth2 client, a file it refreshes, ...); the id itself only selects that
// mode and is not sent anywhere.
#ifndef FAILOVER_DASHBOARD_PUBLISHER_SNAPSHOT_TRANSPORT_H_
#define FAILOVER_DASHBOARD_PUBLISHER_SNAPSHOT_TRANSPORT_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/config/dashboard_config.h"
#include "proto/metrics_snapshot.pb.h"

namespace failover {
namespace dashboard {

// Returns the current bearer token (without "Bearer "). Called once per request, from the
// publisher's worker thread; must be thread-safe and should return promptly (cache the token).
using TokenProvider = std::function<absl::StatusOr<std::string>()>;

// The credentials a peer presents. Plain value; copyable.
struct PublisherAuth {
  enum class Kind {
    kNone,    // no Authorization header (failoverd must accept open ingest)
    kBasic,   // "Basic base64(username:password)"
    kBearer,  // "Bearer <token_provider()>"
  };
  Kind kind = Kind::kNone;
  std::string username;
  std::string password;  // Secret: never printed.
  TokenProvider token_provider;
};

// The credentials failover.dashboard.cluster.snapshot.* asks for: Bearer when
// oauth2-client-registration-id is set (takes priority over Basic, as in the reference), else
// Basic when username is set, else none. InvalidArgument naming the key when the id is set but
// `token_provider` is empty, or when only one of username / password is set.
absl::StatusOr<PublisherAuth> ResolvePublisherAuth(const SnapshotConfig& config,
                                                   TokenProvider token_provider);

// The Authorization header's value for `auth` ("" for kNone). Fails with the token provider's
// error (prefixed "bearer token: ") or InvalidArgument for an empty token.
absl::StatusOr<std::string> AuthorizationHeaderValue(const PublisherAuth& auth);

// Implementations are thread-safe. Each call makes one attempt, bounded by the transport's own
// timeouts (a PeerPublisher relies on that to bound its shutdown), and returns OK when failoverd
// accepted the message, else an error naming the server's answer and the URL (never a secret).
class SnapshotTransport {
 public:
  virtual ~SnapshotTransport() = default;

  virtual absl::Status Push(const v1::MetricsSnapshot& snapshot) = 0;
  virtual absl::Status Heartbeat(const v1::HeartbeatRequest& request) = 0;
};

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_PUBLISHER_SNAPSHOT_TRANSPORT_H_
