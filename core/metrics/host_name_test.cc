#include "core/metrics/host_name.h"

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(HostNameTest, ReturnsANonEmptyNameWithoutTerminator) {
  const absl::StatusOr<std::string> host = LocalHostName();
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_FALSE(host->empty());
  EXPECT_EQ(host->find('\0'), std::string::npos);
}

}  // namespace
}  // namespace failover
