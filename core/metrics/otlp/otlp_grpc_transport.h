// OTLP/gRPC transport: sends each export as the OTLP call
// /opentelemetry.proto.collector.metrics.v1.MetricsService/Export (OpenTelemetry protocol
// specification, "OTLP/gRPC"), over plaintext (http://) or TLS (https://, certificates verified
// against gRPC's default roots: the system's trust store), optionally gzip-compressed.
//
//   failover::OtlpGrpcOptions options;
//   options.endpoint = "https://collector.example:4317";
//   options.headers = *failover::ParseOtlpHeaders({"Authorization=Bearer abc"});
//   absl::StatusOr<std::unique_ptr<failover::OtlpTransport>> transport =
//       failover::NewOtlpGrpcTransport(options);
//
// The request bytes go out unchanged as the call's message (a generic call: the service is not
// compiled in, so our failover.otlp.v1 messages never clash with another copy of the OTLP protos
// in the process). The configured headers become call metadata with lower-cased names; a
// configured User-Agent becomes the channel's user agent (gRPC appends its own), else
// "failover-toolkit-otlp/1". Each call's deadline is `timeout`. The outcome, as the
// specification maps gRPC status codes:
//   OK                                                   -> kSuccess; the response message
//       (ExportMetricsServiceResponse) fills rejected_data_points / partial_error (a response
//       that does not parse is ignored);
//   CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS -> kRetryable
//       (an unreachable collector is UNAVAILABLE);
//   RESOURCE_EXHAUSTED                                   -> kRetryable. The specification retries
//       it only when the server sends a google.rpc.RetryInfo; we always retry it, with the
//       exporter's back-off, since a collector that sheds load without RetryInfo still recovers;
//   any other code                                       -> kPermanent.
// A retryable failure whose grpc-status-details-bin (google.rpc.Status) carries a
// google.rpc.RetryInfo sets retry_after to its retry_delay (the exporter waits at least that,
// up to its max-backoff). `detail` is "gRPC <CODE_NAME>: <message>", e.g.
// "gRPC UNAVAILABLE: failed to connect to all addresses".
//
// Thread-safe: one channel per transport, shared by all calls (gRPC channels are thread-safe);
// each Send() has its own call context and completion queue.
#ifndef FAILOVER_CORE_METRICS_OTLP_OTLP_GRPC_TRANSPORT_H_
#define FAILOVER_CORE_METRICS_OTLP_OTLP_GRPC_TRANSPORT_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/metrics/otlp/otlp_transport.h"

namespace failover {

// The full method name of the OTLP metrics export call.
inline constexpr char kOtlpGrpcMetricsExportMethod[] =
    "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

struct OtlpGrpcOptions {
  // "http://host:port" (plaintext) or "https://host:port" (TLS); no path (a lone "/" is
  // accepted). Without a port, 4317 (OTLP/gRPC's default).
  std::string endpoint;
  // Call metadata, e.g. {"Authorization", "Bearer ..."}; names are sent lower-cased. Names
  // starting with "grpc-" and Content-Type, TE and Host are gRPC's own and are refused.
  std::vector<std::pair<std::string, std::string>> headers;
  // Deadline of each call (connecting included).
  absl::Duration timeout = absl::Seconds(10);
  // Compress request messages with gzip (grpc-encoding: gzip).
  bool gzip = false;
};

// InvalidArgument naming failover.observable.otlp.endpoint for a malformed endpoint (not
// http:// or https://, no host, a path, query, fragment or user info, a bad port, spaces or
// control characters), or failover.observable.otlp.headers[i] for a refused header.
absl::StatusOr<std::unique_ptr<OtlpTransport>> NewOtlpGrpcTransport(const OtlpGrpcOptions& options);

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_OTLP_OTLP_GRPC_TRANSPORT_H_
