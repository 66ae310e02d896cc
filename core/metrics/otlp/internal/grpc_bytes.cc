#include "core/metrics/otlp/internal/grpc_bytes.h"

#include <vector>

namespace failover {
namespace otlp_internal {

std::string GrpcBufferBytes(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

}  // namespace otlp_internal
}  // namespace failover
