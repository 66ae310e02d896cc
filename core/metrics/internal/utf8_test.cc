#include "core/metrics/internal/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace failover {
namespace metrics_internal {
namespace {

TEST(Utf8Test, ValidTextIsUnchanged) {
  for (const char* text : {"", "quotes", "caf\xC3\xA9", "\xE2\x82\xAC 5", "\xF0\x9F\x98\x80",
                           "\xF4\x8F\xBF\xBF", "\xED\x9F\xBF"}) {
    EXPECT_TRUE(IsValidUtf8(text)) << text;
    EXPECT_EQ(ToValidUtf8(text), text);
  }
}

TEST(Utf8Test, InvalidSequencesBecomeReplacementCharacters) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(ToValidUtf8("\xFF\xFE"), r + r);
  EXPECT_EQ(ToValidUtf8("a\x80"
                        "b"),
            "a" + r + "b");                                   // Lone continuation byte.
  EXPECT_EQ(ToValidUtf8("\xC0\xAF"), r + r);                  // Overlong '/'.
  EXPECT_EQ(ToValidUtf8("\xED\xA0\x80"), r + r + r);          // Surrogate U+D800.
  EXPECT_EQ(ToValidUtf8("\xF4\x90\x80\x80"), r + r + r + r);  // Above U+10FFFF.
  EXPECT_EQ(ToValidUtf8("\xE2\x82"
                        "x"),
            r + "x");                            // Truncated: one maximal subpart.
  EXPECT_EQ(ToValidUtf8("caf\xC3"), "caf" + r);  // Truncated at the end.
  EXPECT_EQ(ToValidUtf8("\xF0\x9F\x98"), r);
  for (const char* bad : {"\xFF", "\xC3", "\xE0\x80\x80", "\xF5\x80\x80\x80"}) {
    EXPECT_FALSE(IsValidUtf8(bad)) << bad;
    EXPECT_TRUE(IsValidUtf8(ToValidUtf8(bad))) << bad;
  }
}

}  // namespace
}  // namespace metrics_internal
}  // namespace failover
