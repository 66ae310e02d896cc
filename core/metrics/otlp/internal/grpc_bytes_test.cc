#include "core/metrics/otlp/internal/grpc_bytes.h"

#include <grpcpp/support/slice.h>

#include <string>

#include "gtest/gtest.h"

namespace failover {
namespace otlp_internal {
namespace {

TEST(GrpcBufferBytesTest, ConcatenatesEverySliceKeepingBinaryBytes) {
  const std::string binary("\0\xff\x01", 3);
  grpc::Slice slices[] = {grpc::Slice("head-"), grpc::Slice(binary), grpc::Slice("-tail")};
  const grpc::ByteBuffer buffer(slices, 3);
  EXPECT_EQ(GrpcBufferBytes(buffer), "head-" + binary + "-tail");
}

TEST(GrpcBufferBytesTest, EmptyForAnEmptyOrUnsetBuffer) {
  grpc::Slice empty("");
  EXPECT_EQ(GrpcBufferBytes(grpc::ByteBuffer(&empty, 1)), "");
  EXPECT_EQ(GrpcBufferBytes(grpc::ByteBuffer()), "");
}

}  // namespace
}  // namespace otlp_internal
}  // namespace failover
