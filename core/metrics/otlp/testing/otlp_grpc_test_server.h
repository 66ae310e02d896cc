// OtlpGrpcTestServer: an in-process gRPC server on 127.0.0.1 (a free port) that plays an OTLP
// collector for tests. It accepts any method as raw bytes (a generic service: no generated
// code), records each call and answers it as the test's `answer` function says.
//
//   absl::StatusOr<std::unique_ptr<failover::OtlpGrpcTestServer>> server =
//       failover::OtlpGrpcTestServer::Start([](const failover::OtlpGrpcTestServer::Call&) {
//         return failover::OtlpGrpcTestServer::Reply{};  // OK with an empty response
//       });
//   options.endpoint = (*server)->endpoint();  // "http://127.0.0.1:<port>"
//   ... send ...
//   std::vector<failover::OtlpGrpcTestServer::Call> calls = (*server)->calls();
//
// Thread-safe. `answer` runs on gRPC's callback threads, possibly concurrently.
#ifndef FAILOVER_CORE_METRICS_OTLP_TESTING_OTLP_GRPC_TEST_SERVER_H_
#define FAILOVER_CORE_METRICS_OTLP_TESTING_OTLP_GRPC_TEST_SERVER_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/sync.h"

namespace failover {

class OtlpGrpcTestServer {
 public:
  // One received call.
  struct Call {
    std::string method;                                // "/package.Service/Method"
    std::multimap<std::string, std::string> metadata;  // as the server sees it
    std::string request;                               // the message, decompressed
    std::string peer;                                  // the client's address: "ipv4:ip:port"
  };
  // How to answer a call.
  struct Reply {
    // gRPC status code (absl::StatusCode has the same numbers) and message.
    absl::StatusCode code = absl::StatusCode::kOk;
    std::string message;
    std::string response;  // the response message (with code kOk)
    // Sent as grpc-status-details-bin (a serialized google.rpc.Status) with a failure.
    std::string status_details;
    // Never answer: the call ends only when the client cancels it (e.g. its deadline passes).
    bool hang = false;
  };

  // `accept_gzip` false: the server refuses gzip-compressed requests (UNIMPLEMENTED, before
  // `answer` sees them), which shows whether a client compressed.
  static absl::StatusOr<std::unique_ptr<OtlpGrpcTestServer>> Start(
      std::function<Reply(const Call&)> answer, bool accept_gzip = true);
  ~OtlpGrpcTestServer();

  int port() const { return port_; }
  std::string endpoint() const;  // http://127.0.0.1:<port>
  std::vector<Call> calls();     // in arrival order

  // Implementation details, public for the .cc's reactor.
  struct Impl;

 private:
  OtlpGrpcTestServer() = default;

  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_OTLP_TESTING_OTLP_GRPC_TEST_SERVER_H_
