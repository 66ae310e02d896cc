// OtlpTransport: the I/O boundary of the OTLP exporter. One Send() delivers one serialized
// ExportMetricsServiceRequest to a collector and says whether it arrived, may be retried, or
// must be dropped. The exporter (otlp_exporter.h) owns the queue, retries and back-off; a
// transport makes exactly one attempt per call.
//
//   std::unique_ptr<failover::OtlpTransport> transport = *failover::NewOtlpHttpTransport(options);
//   failover::OtlpSendResult result = transport->Send(request.SerializeAsString());
//   if (result.outcome == failover::OtlpSendResult::Outcome::kRetryable) { ... back off ... }
//
// Implementations: otlp_http_transport.h (OTLP/HTTP, protobuf body); tests use scripted doubles.
#ifndef FAILOVER_CORE_METRICS_OTLP_OTLP_TRANSPORT_H_
#define FAILOVER_CORE_METRICS_OTLP_OTLP_TRANSPORT_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"

namespace failover {

// What became of one export attempt.
struct OtlpSendResult {
  enum class Outcome {
    kSuccess,    // The collector accepted the request (perhaps partially: see below).
    kRetryable,  // Not delivered, but the same request may succeed later (503, timeout, ...).
    kPermanent,  // Not delivered and never will be (400, 401, ...): drop it.
  };
  Outcome outcome = Outcome::kSuccess;
  // Why it failed, for warnings: "HTTP 503: <body head>", or the connection error.
  std::string detail;
  // The server's Retry-After (seconds form), when it sent one with a retryable status.
  std::optional<absl::Duration> retry_after;
  // On success: partial_success.rejected_data_points and partial_success.error_message.
  int64_t rejected_data_points = 0;
  std::string partial_error;
};

// Thread-safety: the exporter calls Send() from one thread at a time; implementations need not
// be safe for concurrent Send() calls unless they say so.
class OtlpTransport {
 public:
  virtual ~OtlpTransport() = default;
  // Makes one attempt to deliver `body` (a serialized ExportMetricsServiceRequest). Blocks for
  // at most the transport's own timeout.
  virtual OtlpSendResult Send(const std::string& body) = 0;
};

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_OTLP_OTLP_TRANSPORT_H_
