#include "core/metrics/export/internal/listen_address.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace failover {
namespace export_internal {
namespace {

using ::testing::HasSubstr;

constexpr char kProperty[] = "failover.observable.prometheus.listen";

TEST(ParseListenAddressTest, SplitsHostAndPort) {
  struct Case {
    const char* listen;
    const char* host;
    int port;
  };
  for (const Case& c :
       {Case{"127.0.0.1:9464", "127.0.0.1", 9464}, Case{"localhost:0", "localhost", 0},
        Case{"0.0.0.0:65535", "0.0.0.0", 65535}, Case{"[::1]:0", "::1", 0},
        Case{"[::]:9464", "::", 9464}, Case{"host:007", "host", 7}}) {
    absl::StatusOr<ListenAddress> address = ParseListenAddress(c.listen, kProperty);
    ASSERT_TRUE(address.ok()) << c.listen << ": " << address.status();
    EXPECT_EQ(address->host, c.host) << c.listen;
    EXPECT_EQ(address->port, c.port) << c.listen;
  }
}

TEST(ParseListenAddressTest, RefusesMalformedValuesNamingThem) {
  for (const char* listen :
       {"", "9464", "host:", "host:x", "host:+1", "host:-1", "host:65536", "host:999999", ":9464",
        "[]:9464", "::1:9464", "[::1:9464", "::1]:9464", "host: 80"}) {
    absl::StatusOr<ListenAddress> address = ParseListenAddress(listen, kProperty);
    ASSERT_FALSE(address.ok()) << listen;
    EXPECT_EQ(address.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(address.status().message(), HasSubstr(absl::StrCat(kProperty, ": '", listen, "'")));
  }
}

TEST(FormatHostPortTest, BracketsIpv6) {
  EXPECT_EQ(FormatHostPort("127.0.0.1", 80), "127.0.0.1:80");
  EXPECT_EQ(FormatHostPort("::1", 80), "[::1]:80");
}

TEST(DescribeBindFailureTest, NamesTheReason) {
  EXPECT_THAT(DescribeBindFailure("no-such-host.invalid", 80), HasSubstr("cannot be resolved"));
  // 192.0.2.1 (TEST-NET-1) is not configured on a test machine.
  EXPECT_EQ(DescribeBindFailure("192.0.2.1", 0), "is not an address of this machine");
}

}  // namespace
}  // namespace export_internal
}  // namespace failover
