// Payload-type allowlist matching: exact, package prefix, fail closed.
#include "store-jdbc/security/payload_allowlist.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(PayloadTypeAllowlistTest, ExactName) {
  PayloadTypeAllowlist allowlist({"org.example.Quote"});
  EXPECT_TRUE(allowlist.Allows("org.example.Quote"));
  EXPECT_FALSE(allowlist.Allows("org.example.QuoteX"));
  EXPECT_FALSE(allowlist.Allows("org.example.Trade"));
  EXPECT_FALSE(allowlist.Allows("org.example"));
}

TEST(PayloadTypeAllowlistTest, PackagePrefixStopsAtADot) {
  PayloadTypeAllowlist allowlist({"com.acme"});
  EXPECT_TRUE(allowlist.Allows("com.acme.Quote"));
  EXPECT_TRUE(allowlist.Allows("com.acme.fx.Rate"));
  EXPECT_TRUE(allowlist.Allows("com.acme"));
  EXPECT_FALSE(allowlist.Allows("com.acmex.Quote"));
  EXPECT_FALSE(allowlist.Allows("com.acme2"));
  EXPECT_FALSE(allowlist.Allows("com.ac"));
}

TEST(PayloadTypeAllowlistTest, TrailingDotEntryIsAPrefix) {
  PayloadTypeAllowlist allowlist({"com.acme."});
  EXPECT_TRUE(allowlist.Allows("com.acme.Quote"));
  EXPECT_FALSE(allowlist.Allows("com.acmex.Quote"));
  EXPECT_FALSE(allowlist.Allows("com.acme"));
}

TEST(PayloadTypeAllowlistTest, EmptyListDeniesEverything) {
  PayloadTypeAllowlist allowlist({});
  EXPECT_TRUE(allowlist.empty());
  for (absl::string_view type : {"", "com.acme.Quote", "java.lang.String"}) {
    EXPECT_FALSE(allowlist.Allows(type)) << type;
  }
  absl::Status status = allowlist.Check("com.acme.Quote");
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StrContains(status.message(), "list is empty")) << status;
}

TEST(PayloadTypeAllowlistTest, BlankEntriesAreIgnoredAndDoNotOpenTheList) {
  PayloadTypeAllowlist allowlist({"", "  ", " com.acme "});
  EXPECT_FALSE(allowlist.empty());
  EXPECT_TRUE(allowlist.Allows("com.acme.Quote"));
  EXPECT_FALSE(allowlist.Allows(".Quote"));
  EXPECT_FALSE(allowlist.Allows(""));
  EXPECT_TRUE(PayloadTypeAllowlist({"", " "}).empty());
}

TEST(PayloadTypeAllowlistTest, DenialNamesTheTypeAndTheProperty) {
  absl::Status status = PayloadTypeAllowlist({"com.acme"}).Check("com.acmex.Quote");
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(absl::StrContains(status.message(), "'com.acmex.Quote'")) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "failover.store.jdbc.allowed-payload-classes"));
  EXPECT_TRUE(PayloadTypeAllowlist({"com.acme"}).Check("com.acme.Quote").ok());
}

}  // namespace
}  // namespace failover
