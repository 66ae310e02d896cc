#include "naming-client/internal/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace failover {
namespace naming_internal {
namespace {

TEST(IsValidUtf8Test, AcceptsAsciiAndWellFormedSequences) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("DEFAULT_GROUP@@orders"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9"));               // U+00E9
  EXPECT_TRUE(IsValidUtf8("\xE6\x9C\x8D\xE5\x8A\xA1"));  // 服务
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));          // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));          // U+10FFFF
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));      // NUL is a code point
}

TEST(IsValidUtf8Test, RejectsMalformedSequences) {
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\x80"));              // Continuation without a lead byte.
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // Truncated.
  EXPECT_FALSE(IsValidUtf8("\xE6\x9C"));          // Truncated.
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // Overlong '/'.
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // Overlong.
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // Surrogate U+D800.
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // Above U+10FFFF.
  EXPECT_FALSE(IsValidUtf8("\xC3\x28"));          // Bad continuation.
}

}  // namespace
}  // namespace naming_internal
}  // namespace failover
