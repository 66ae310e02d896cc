// FakeNacosServer: a Nacos naming server for tests, over real HTTP on a free 127.0.0.1 port. It
// serves the v1 and v2 instance-list endpoints in Nacos 2.x's response shapes, errors included,
// from services the test sets, records every request, and misbehaves on demand.
//
//   auto server = failover::naming::FakeNacosServer::Start();
//   ASSERT_TRUE(server.ok());
//   failover::v1::ServiceInfo info;  // name "orders", group_name "DEFAULT_GROUP", hosts ...
//   (*server)->SetService("public", info);
//   options.server_addresses = {(*server)->address()};   // "127.0.0.1:PORT"
//   (*server)->SetFault(failover::naming::FakeNacosFault::kHttp500);
//   (*server)->Stop();           // connections refused from now on
//   (*server)->Restart();        // same port again
//   (*server)->Requests()[0].params.at("serviceName");   // "DEFAULT_GROUP@@orders"
//
// Responses, as Nacos 2.x writes them:
//   v1 GET /nacos/v1/ns/instance/list: 200 with a bare ServiceInfo, name "GROUP@@SERVICE"
//      (serviceName may be grouped, or bare with groupName, default DEFAULT_GROUP); a missing or
//      malformed serviceName is 400 with a text body ("caused: Param 'serviceName' is ...;").
//   v2 GET /nacos/v2/ns/instance/list: 200 {"code":0,"message":"success","data":{ServiceInfo}};
//      no serviceName is 400 {"code":10000,"message":"parameter missing","data":"Required ..."}.
//   Hosts are filtered by the clusters asked for (v1 clusters, v2 clusterName; comma-separated),
//   by healthyOnly, and disabled hosts are left out, as Nacos does. An unknown service is a 200
//   with no hosts (Nacos 2.x), or, after SetUnknownServiceNotFound(true), 404 with v2 body
//   {"code":20004,"message":"resource not found","data":"service not found: ..."} (v1: text).
//   Anything else is 404.
//
// Thread-safe: every method may be called from any thread while requests are served.
#ifndef FAILOVER_NAMING_CLIENT_TESTING_FAKE_NACOS_SERVER_H_
#define FAILOVER_NAMING_CLIENT_TESTING_FAKE_NACOS_SERVER_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/naming.pb.h"

namespace failover {
namespace naming {

enum class FakeNacosFault {
  kNone,
  kHttp500,        // 500 (v1: text body; v2: {"code":30000,"message":"server error",...}).
  kHang,           // Waits SetFault's `hang` before answering normally (Stop() cuts it short).
  kMalformedJson,  // 200 with a truncated JSON body.
};

struct FakeNacosRequest {
  std::string path;
  std::map<std::string, std::string> params;  // Decoded; the last value wins.
};

class FakeNacosServer {
 public:
  // Listens on 127.0.0.1 on a port the kernel picks.
  static absl::StatusOr<std::unique_ptr<FakeNacosServer>> Start();
  ~FakeNacosServer();
  FakeNacosServer(const FakeNacosServer&) = delete;
  FakeNacosServer& operator=(const FakeNacosServer&) = delete;

  // "127.0.0.1:PORT".
  std::string address() const;
  int port() const { return port_; }

  // Serves `info` for namespace `nacos_namespace`, keyed by info.group_name() and info.name()
  // (a bare service name). Replaces an earlier one.
  void SetService(const std::string& nacos_namespace, const v1::ServiceInfo& info);
  void RemoveService(const std::string& nacos_namespace, const std::string& group,
                     const std::string& service);
  // cacheMillis written for unknown services (Nacos's default: 10000).
  void SetDefaultCacheMillis(int64_t millis);
  void SetUnknownServiceNotFound(bool not_found);
  void SetFault(FakeNacosFault fault, absl::Duration hang = absl::Seconds(30));

  // Closes the listening socket (new connections are refused) and ends requests in progress.
  void Stop();
  // Listens again on the same port.
  absl::Status Restart();

  std::vector<FakeNacosRequest> Requests() const;
  void ClearRequests();

 private:
  class Impl;
  explicit FakeNacosServer(std::unique_ptr<Impl> impl, int port);

  std::unique_ptr<Impl> impl_;
  const int port_;
};

}  // namespace naming
}  // namespace failover

#endif  // FAILOVER_NAMING_CLIENT_TESTING_FAKE_NACOS_SERVER_H_
