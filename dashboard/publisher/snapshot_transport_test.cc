#include "dashboard/publisher/snapshot_transport.h"

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace failover {
namespace dashboard {
namespace {

TEST(ResolvePublisherAuthTest, NoneWhenNothingIsConfigured) {
  absl::StatusOr<PublisherAuth> auth = ResolvePublisherAuth(SnapshotConfig(), nullptr);
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_EQ(auth->kind, PublisherAuth::Kind::kNone);
  EXPECT_EQ(*AuthorizationHeaderValue(*auth), "");
}

TEST(ResolvePublisherAuthTest, BasicEncodesUserAndPassword) {
  SnapshotConfig config;
  config.username = "peer";
  config.password = "s3:cret";
  absl::StatusOr<PublisherAuth> auth = ResolvePublisherAuth(config, nullptr);
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_EQ(*AuthorizationHeaderValue(*auth), "Basic " + absl::Base64Escape("peer:s3:cret"));
}

TEST(ResolvePublisherAuthTest, OnlyOneOfUserAndPasswordIsRefused) {
  SnapshotConfig config;
  config.username = "peer";
  absl::StatusOr<PublisherAuth> auth = ResolvePublisherAuth(config, nullptr);
  EXPECT_EQ(auth.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(auth.status().message().find("username is set without password"), std::string::npos);
}

TEST(ResolvePublisherAuthTest, OAuth2NeedsATokenProviderAndWinsOverBasic) {
  SnapshotConfig config;
  config.username = "peer";
  config.password = "pw";
  config.oauth2_client_registration_id = "dashboard";
  EXPECT_EQ(ResolvePublisherAuth(config, nullptr).status().code(),
            absl::StatusCode::kInvalidArgument);
  int calls = 0;
  absl::StatusOr<PublisherAuth> auth =
      ResolvePublisherAuth(config, [&]() -> absl::StatusOr<std::string> {
        return ++calls == 1 ? absl::StatusOr<std::string>("tok-1")
                            : absl::UnavailableError("token endpoint down");
      });
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_EQ(auth->kind, PublisherAuth::Kind::kBearer);
  EXPECT_EQ(*AuthorizationHeaderValue(*auth), "Bearer tok-1");
  absl::StatusOr<std::string> failed = AuthorizationHeaderValue(*auth);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(failed.status().message(), "bearer token: token endpoint down");
}

}  // namespace
}  // namespace dashboard
}  // namespace failover
