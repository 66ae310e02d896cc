#include "core/percent_encoding.h"

#include <string>

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(PercentEncodeComponentTest, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(PercentEncodeComponent("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(PercentEncodeComponent("DEFAULT_GROUP@@orders"), "DEFAULT_GROUP%40%40orders");
  EXPECT_EQ(PercentEncodeComponent("a b+c/d?e=f&g#h%"), "a%20b%2Bc%2Fd%3Fe%3Df%26g%23h%25");
  EXPECT_EQ(PercentEncodeComponent("up{job=\"x\"}"), "up%7Bjob%3D%22x%22%7D");
  EXPECT_EQ(PercentEncodeComponent(""), "");
}

TEST(PercentEncodeComponentTest, EncodesEveryByteWithUpperCaseHex) {
  EXPECT_EQ(PercentEncodeComponent("\xE6\x9C\x8D"), "%E6%9C%8D");
  EXPECT_EQ(PercentEncodeComponent(std::string("\0\n\x7f\xff", 4)), "%00%0A%7F%FF");
}

}  // namespace
}  // namespace failover
