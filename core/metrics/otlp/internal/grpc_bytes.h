// The bytes of a gRPC ByteBuffer as one string, for the OTLP/gRPC transport and its test server,
// which both carry messages as raw bytes through gRPC's generic API:
//
//   otlp::v1::ExportMetricsServiceResponse parsed;
//   parsed.ParseFromString(otlp_internal::GrpcBufferBytes(response));
//
// Thread-safe for distinct buffers.
#ifndef FAILOVER_CORE_METRICS_OTLP_INTERNAL_GRPC_BYTES_H_
#define FAILOVER_CORE_METRICS_OTLP_INTERNAL_GRPC_BYTES_H_

#include <grpcpp/support/byte_buffer.h>

#include <string>

namespace failover {
namespace otlp_internal {

// The buffer's slices concatenated; "" when the buffer is empty or cannot be read.
std::string GrpcBufferBytes(const grpc::ByteBuffer& buffer);

}  // namespace otlp_internal
}  // namespace failover

#endif  // FAILOVER_CORE_METRICS_OTLP_INTERNAL_GRPC_BYTES_H_
