// The SnapshotTransport over HTTP(S): POSTs binary protobuf (Content-Type application/x-protobuf)
// to {publish-url}/api/cluster/snapshot and {publish-url}/api/cluster/heartbeat, where
// publish-url is failoverd's base URL including its base path, e.g.
// "http://dash:8080/failover-dashboard".
//
//   HttpSnapshotTransportOptions options;
//   options.publish_url = "https://dash.example:8443/failover-dashboard";
//   options.auth = *ResolvePublisherAuth(config.dashboard.cluster.snapshot, nullptr);
//   absl::StatusOr<std::unique_ptr<SnapshotTransport>> transport =
//       NewHttpSnapshotTransport(std::move(options));
//
// Any 2xx answer is success. Otherwise the error names the status and the URL: 401 and 403 map
// to Unauthenticated / PermissionDenied, 404 to NotFound (failoverd does not expose `cluster`),
// other 4xx to InvalidArgument (the body, which says what was refused, is quoted briefly), 5xx
// to Unavailable; connection failures to Unavailable, timeouts to DeadlineExceeded. Credentials
// never appear in errors.
#ifndef FAILOVER_DASHBOARD_PUBLISHER_HTTP_SNAPSHOT_TRANSPORT_H_
#define FAILOVER_DASHBOARD_PUBLISHER_HTTP_SNAPSHOT_TRANSPORT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dashboard/publisher/snapshot_transport.h"

namespace failover {
namespace dashboard {

struct HttpSnapshotTransportOptions {
  // http://host[:port][/base-path] or https://...; no query, no user info.
  std::string publish_url;
  PublisherAuth auth;                                 // credentials sent with every request
  absl::Duration connect_timeout = absl::Seconds(5);  // TCP (and TLS) connect
  absl::Duration timeout = absl::Seconds(10);         // each read and each write
};

// InvalidArgument naming publish-url when it is not an http(s) URL as above.
// The transport is thread-safe; every request uses its own connection.
absl::StatusOr<std::unique_ptr<SnapshotTransport>> NewHttpSnapshotTransport(
    HttpSnapshotTransportOptions options);

}  // namespace dashboard
}  // namespace failover

#endif  // FAILOVER_DASHBOARD_PUBLISHER_HTTP_SNAPSHOT_TRANSPORT_H_
