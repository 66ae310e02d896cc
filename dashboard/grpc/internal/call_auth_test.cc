#include "dashboard/grpc/internal/call_auth.h"

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace grpc_internal {
namespace {

TEST(PeerAddressTest, DropsTheSchemeAndPort) {
  EXPECT_EQ(PeerAddress("ipv4:10.0.0.7:5123"), "10.0.0.7");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:5123"), "::1");
  EXPECT_EQ(PeerAddress("ipv6:%5B2001:db8::2%5D:443"), "2001:db8::2");
  EXPECT_EQ(PeerAddress("unix:/tmp/failoverd.sock"), "unix:/tmp/failoverd.sock");
}

TEST(ToGrpcStatusTest, MapsEveryOutcome) {
  EXPECT_TRUE(ToGrpcStatus(AuthResult{AuthOutcome::kOk, "admin", ""}).ok());
  EXPECT_EQ(
      ToGrpcStatus(AuthResult{AuthOutcome::kUnauthenticated, "", "no credentials"}).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  grpc::Status forbidden = ToGrpcStatus(AuthResult{AuthOutcome::kForbidden, "bob", "no role"});
  EXPECT_EQ(forbidden.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(forbidden.error_message(), "no role");
  grpc::Status locked =
      ToGrpcStatus(AuthResult{AuthOutcome::kLockedOut, "", "locked out", absl::Seconds(30)});
  EXPECT_EQ(locked.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(locked.error_message(), "locked out (retry after 30s)");
}

TEST(ToGrpcStatusTest, KeepsAbslCodesAndMessages) {
  grpc::Status status = ToGrpcStatus(absl::InvalidArgumentError("instance_id is blank"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "instance_id is blank");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

}  // namespace
}  // namespace grpc_internal
}  // namespace dashboard
}  // namespace failover
