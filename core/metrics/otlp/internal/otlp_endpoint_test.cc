#include "core/metrics/otlp/internal/otlp_endpoint.h"

#include <utility>

#include "gtest/gtest.h"

namespace failover {
namespace otlp_internal {
namespace {

TEST(SplitOtlpEndpointUrlTest, SplitsSchemeAuthorityAndPath) {
  absl::StatusOr<OtlpEndpointUrl> parts =
      SplitOtlpEndpointUrl("https://collector:4318/v1/metrics?tenant=a", "");
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_TRUE(parts->https);
  EXPECT_EQ(parts->authority, "collector:4318");
  EXPECT_EQ(parts->path, "/v1/metrics?tenant=a");

  parts = SplitOtlpEndpointUrl("http://[::1]:4317", "");
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_FALSE(parts->https);
  EXPECT_EQ(parts->authority, "[::1]:4317");
  EXPECT_EQ(parts->path, "");

  // The path starts at the first '/', '?' or '#'.
  parts = SplitOtlpEndpointUrl("http://collector?x=1/y", "");
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ(parts->authority, "collector");
  EXPECT_EQ(parts->path, "?x=1/y");
  parts = SplitOtlpEndpointUrl("http://collector#top", "");
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ(parts->path, "#top");
}

TEST(SplitOtlpEndpointUrlTest, RefusesOtherSchemesWithTheHint) {
  for (const char* url : {"", "grpc://collector:4317", "collector:4317", "HTTP://collector"}) {
    absl::StatusOr<OtlpEndpointUrl> parts = SplitOtlpEndpointUrl(url, " (see the manual)");
    ASSERT_FALSE(parts.ok()) << url;
    EXPECT_EQ(parts.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(parts.status().message(),
              std::string("failover.observable.otlp.endpoint: '") + url +
                  "' must start with http:// or https:// (see the manual)");
  }
}

TEST(SplitOtlpEndpointUrlTest, RefusesSpacesAndControlCharactersWithoutQuotingThem) {
  for (const char* url : {"http://coll ector", "http://collector\t", "http://collector\n",
                          "http://collector\x7f", "http://collector\x01"}) {
    absl::StatusOr<OtlpEndpointUrl> parts = SplitOtlpEndpointUrl(url, "");
    ASSERT_FALSE(parts.ok()) << url;
    EXPECT_EQ(parts.status().message(),
              "failover.observable.otlp.endpoint: must not contain spaces or control characters");
  }
}

TEST(ParseOtlpEndpointHostTest, ReadsHostAndPort) {
  absl::StatusOr<OtlpEndpointHost> host = ParseOtlpEndpointHost("u", "collector.example:4318");
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_EQ(host->host, "collector.example");
  EXPECT_FALSE(host->ipv6);
  EXPECT_EQ(host->port, 4318);

  host = ParseOtlpEndpointHost("u", "collector");
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_EQ(host->host, "collector");
  EXPECT_EQ(host->port, std::nullopt);

  host = ParseOtlpEndpointHost("u", "[::1]:65535");
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_EQ(host->host, "::1");
  EXPECT_TRUE(host->ipv6);
  EXPECT_EQ(host->port, 65535);

  host = ParseOtlpEndpointHost("u", "[fe80::1]");
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_EQ(host->host, "fe80::1");
  EXPECT_TRUE(host->ipv6);
  EXPECT_EQ(host->port, std::nullopt);

  host = ParseOtlpEndpointHost("u", "collector:1");
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_EQ(host->port, 1);
}

TEST(ParseOtlpEndpointHostTest, RefusesBadAuthoritiesNamingTheUrlAndTheProblem) {
  const std::pair<const char*, const char*> cases[] = {
      {"user:pw@collector:4317", "must not have user info"},
      {"", "must name a host"},
      {":4317", "must name a host"},
      {"[]:4317", "must name a host"},
      {"collector:", "has an invalid port (1-65535)"},
      {"[::1]:", "has an invalid port (1-65535)"},
      {"collector:0", "has an invalid port (1-65535)"},
      {"collector:65536", "has an invalid port (1-65535)"},
      {"collector:99999999999", "has an invalid port (1-65535)"},
      {"collector:+80", "has an invalid port (1-65535)"},
      {"collector:-1", "has an invalid port (1-65535)"},
      {"collector:abc", "has an invalid port (1-65535)"},
      {"[::1", "has an unclosed '['"},
      {"[::1]x", "has text after its IPv6 address"},
  };
  for (const auto& [authority, problem] : cases) {
    absl::StatusOr<OtlpEndpointHost> host = ParseOtlpEndpointHost("http://the-url", authority);
    ASSERT_FALSE(host.ok()) << authority;
    EXPECT_EQ(host.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(host.status().message(),
              std::string("failover.observable.otlp.endpoint: 'http://the-url' ") + problem)
        << authority;
  }
}

TEST(InvalidOtlpEndpointTest, NamesThePropertyAndQuotesTheUrl) {
  const absl::Status status = InvalidOtlpEndpoint("http://c/x#y", "must not have a fragment (#)");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "failover.observable.otlp.endpoint: 'http://c/x#y' must not have a fragment (#)");
}

}  // namespace
}  // namespace otlp_internal
}  // namespace failover
