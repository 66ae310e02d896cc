// OTLP/HTTP transport: POSTs each export as a binary protobuf ExportMetricsServiceRequest to the
// collector's metrics URL (OpenTelemetry protocol specification, "OTLP/HTTP"), over http:// or
// https:// (certificates verified against the system's trust store), optionally gzip-compressed.
//
//   failover::OtlpHttpOptions options;
//   options.endpoint = "https://collector.example:4318/v1/metrics";
//   options.headers = *failover::ParseOtlpHeaders({"Authorization=Bearer abc"});
//   options.gzip = true;
//   absl::StatusOr<std::unique_ptr<failover::OtlpTransport>> transport =
//       failover::NewOtlpHttpTransport(options);
//
// Every request carries Content-Type: application/x-protobuf, User-Agent:
// failover-toolkit-otlp/1 (a configured User-Agent replaces it), the configured headers and, with
// gzip, Content-Encoding: gzip. The answer is mapped to an OtlpSendResult:
//   2xx                   -> kSuccess; a protobuf ExportMetricsServiceResponse body fills
//                            rejected_data_points / partial_error (a body that does not parse,
//                            or a non-protobuf Content-Type, is ignored);
//   429, 502, 503, 504    -> kRetryable, with retry_after from a Retry-After header in seconds
//                            form (the HTTP-date form is ignored: the exporter's back-off applies);
//   connection failures, timeouts, TLS errors -> kRetryable;
//   any other status      -> kPermanent.
// `detail` is "HTTP <code>" plus ": <first 200 bytes of the body>" (non-printable bytes shown as
// '?'), or "POST <url>: <what failed>" for connection errors.
//
// Thread-safe: each Send() uses its own connection (one export per interval does not need
// keep-alive); the transport's state is immutable.
#ifndef FAILOVER_CORE_METRICS_OTLP_OTLP_HTTP_TRANSPORT_H_
#define FAILOVER_CORE_METRICS_OTLP_OTLP_HTTP_TRANSPORT_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/metrics/otlp/otlp_transport.h"

namespace failover {

struct OtlpHttpOptions {
  // The full URL exports are POSTed to, e.g. "http://localhost:4318/v1/metrics". The path (and
  // query, if any) is used as given.
  std::string endpoint;
  // Extra request headers, e.g. {"Authorization", "Bearer ..."}. Content-Type, Content-Encoding,
  // Content-Length, Transfer-Encoding and Host are the transport's own and are refused.
  std::vector<std::pair<std::string, std::string>> headers;
  // Limit of connecting, and of each read or write of one request.
  absl::Duration timeout = absl::Seconds(10);
  // Compress request bodies with gzip (Content-Encoding: gzip).
  bool gzip = false;
};

// Splits "Name=value" entries (failover.observable.otlp.headers) into pairs at the first '='.
// Surrounding whitespace of the value is dropped. InvalidArgument naming the entry (by index and
// header name, never its value: values are secrets) when an entry has no '=', an empty or
// non-token name, or a control character in its value.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParseOtlpHeaders(
    const std::vector<std::string>& assignments);

// InvalidArgument naming the problem for a malformed endpoint URL (not http:// or https://, no
// host, user info, a fragment, a bad port, spaces or control characters) or a refused header.
absl::StatusOr<std::unique_ptr<OtlpTransport>> NewOtlpHttpTransport(const OtlpHttpOptions& options);

}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_OTLP_OTLP_HTTP_TRANSPORT_H_
