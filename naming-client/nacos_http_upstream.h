// NacosHttpUpstream: asks Nacos servers for a service's instances over the Nacos HTTP Open API
// (v1 or v2 instance list), with a circuit breaker per server and a retry over the whole server
// list. What the Java client's NamingHttpClientProxy.queryInstancesOfService does, plus breakers.
//
//   failover::naming::NacosHttpUpstreamOptions options;
//   options.server_addresses = {"10.0.0.1:8848", "http://10.0.0.2:8848"};
//   options.api_version = failover::naming::NacosApiVersion::kV2;
//   options.nacos_namespace = "dev";  // NewHttplibClient() is in httplib_client.h
//   auto upstream = failover::naming::NacosHttpUpstream::Create(
//       options, failover::naming::NewHttplibClient(), failover::SystemClock(),
//       failover::SystemRandom());
//   if (!upstream.ok()) return upstream.status();  // e.g. "nacos upstream: server address ..."
//   absl::StatusOr<failover::v1::ServiceInfo> info =
//       (*upstream)->Query({"DEFAULT_GROUP", "orders", ""}, /*healthy_only=*/false);
//
// Requests:
//   v1: GET {context}/v1/ns/instance/list?serviceName=GROUP@@SERVICE&groupName=GROUP
//       &namespaceId=NS&clusters=C1,C2&healthyOnly=false  -> a bare ServiceInfo JSON
//   v2: GET {context}/v2/ns/instance/list?namespaceId=NS&groupName=GROUP&serviceName=SERVICE
//       &clusterName=C1,C2&healthyOnly=false  -> {"code":0,"message":"success","data":{...}}
// The result's identity is the queried key's (`name` without the group, `groupName`,
// `clusters`), whatever the server wrote.
//
// Failures are of two kinds:
//   - The server is not working: no connection, no answer within the timeout, HTTP 5xx, a 200
//     whose body cannot be read. Counted as a failure by that server's breaker; the query moves
//     on to the next server. When every server failed (or has its breaker open) the attempt
//     fails with UNAVAILABLE or DEADLINE_EXCEEDED, which the retry may repeat after its wait.
//   - Nacos answered and refused: HTTP 4xx, or v2 "code" != 0. Returned at once (no other
//     server, no retry) with Nacos's code and message, and counted by the breaker as a success
//     (the server is up). NOT_FOUND for 404 / code 20004 (resource not found), 21008 (service
//     not exist) and 22001 (namespace not exist); INVALID_ARGUMENT for 400 and the parameter
//     codes; PERMISSION_DENIED for 401 / 403 / 10001; FAILED_PRECONDITION otherwise.
//     GetNacosError() returns the HTTP status and Nacos code.
//   A service that Nacos does not know is, with Nacos 2.x, a normal answer with no hosts.
//
// Thread-safe: Query() may be called from any number of threads at once.
#ifndef FAILOVER_NAMING_CLIENT_NACOS_HTTP_UPSTREAM_H_
#define FAILOVER_NAMING_CLIENT_NACOS_HTTP_UPSTREAM_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/breaker/circuit_breaker.h"
#include "core/clock.h"
#include "core/random.h"
#include "core/retry/retry.h"
#include "naming-client/http_client.h"
#include "naming-client/naming_upstream.h"
#include "naming-client/service_key.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {

enum class NacosApiVersion {
  kV1,  // /nacos/v1/ns/instance/list: every Nacos 1.x and 2.x; planned for removal in 3.2.
  kV2,  // /nacos/v2/ns/instance/list: Nacos >= 2.2; an admin API (off by default) in 3.x.
};

// A server breaker for a registry polled every few seconds: opens after 3 failures in a row (or
// half of the last 20 calls, once 10 were made), stays open 10 s, then lets one trial call through.
CircuitBreakerOptions DefaultNacosServerBreakerOptions();
// One more pass over the server list after 500 ms; 10 s for the whole query, waits included.
RetryOptions DefaultNacosRetryOptions();

// Plain value type; validated by NacosHttpUpstream::Create().
struct NacosHttpUpstreamOptions {
  // The Nacos servers: "host:port", "http://host:port", "[::1]:8848", or "host" (port 8848, as
  // the Java client). At least one. https is not supported.
  std::vector<std::string> server_addresses;
  NacosApiVersion api_version = NacosApiVersion::kV1;
  // Sent as namespaceId; blank means "public".
  std::string nacos_namespace = "public";
  // Nacos's web context path (server.servlet.contextPath).
  std::string context_path = "/nacos";
  // Per request: time to connect, and time to wait for the answer once connected.
  absl::Duration connect_timeout = absl::Seconds(2);
  absl::Duration request_timeout = absl::Seconds(5);
  // One breaker per server, each named "nacos HOST:PORT".
  CircuitBreakerOptions breaker = DefaultNacosServerBreakerOptions();
  // Repeats a query when no server answered. Each attempt is one pass over the servers.
  RetryOptions retry = DefaultNacosRetryOptions();
};

// One server as the upstream sees it, for dashboards and tests.
struct NacosServerState {
  std::string address;  // "host:port"
  CircuitBreakerState breaker_state = CircuitBreakerState::kClosed;
  int64_t requests = 0;  // Requests sent (breaker permitting).
  int64_t failures = 0;  // Of those, server failures (the kind the breaker counts).
};

// Why Nacos refused a request (see the header comment).
struct NacosError {
  int http_status = 0;
  int code = 0;  // v2 "code"; for v1, the HTTP status.
};
// The Nacos error behind a status Query() returned; nullopt when Nacos did not refuse (e.g. no
// server answered).
std::optional<NacosError> GetNacosError(const absl::Status& status);

class NacosHttpUpstream final : public NamingUpstream {
 public:
  // INVALID_ARGUMENT naming the bad option (no servers, a malformed address, bad breaker or retry
  // options, timeouts <= 0). `clock` and `random` must outlive the upstream.
  static absl::StatusOr<std::unique_ptr<NacosHttpUpstream>> Create(NacosHttpUpstreamOptions options,
                                                                   std::unique_ptr<HttpClient> http,
                                                                   Clock& clock,
                                                                   RandomSource& random);
  ~NacosHttpUpstream() override;

  // See NamingUpstream. INVALID_ARGUMENT for an empty group or service. Each call starts at the
  // server after the one the previous call started at, so load spreads over the servers.
  absl::StatusOr<v1::ServiceInfo> Query(const ServiceKey& key, bool healthy_only) override;

  std::vector<NacosServerState> Servers() const;
  const NacosHttpUpstreamOptions& options() const { return options_; }

 private:
  struct Server;
  NacosHttpUpstream(NacosHttpUpstreamOptions options, std::unique_ptr<HttpClient> http,
                    Clock& clock);

  absl::StatusOr<v1::ServiceInfo> QueryOnce(const ServiceKey& key, const HttpQuery& query,
                                            MonotonicTime deadline);
  HttpQuery BuildQuery(const ServiceKey& key, bool healthy_only) const;

  const NacosHttpUpstreamOptions options_;
  const std::unique_ptr<HttpClient> http_;
  Clock& clock_;
  std::string path_;
  std::string namespace_id_;
  std::vector<std::unique_ptr<Server>> servers_;
  std::unique_ptr<Retry> retry_;
  std::atomic<uint64_t> next_server_{0};
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_NACOS_HTTP_UPSTREAM_H_
