#include "core/config/config_problem.h"

#include <string>

#include "gtest/gtest.h"

namespace failover {
namespace {

TEST(ConfigProblemTest, ControlCharactersAndInvalidUtf8AreEscaped) {
  ConfigProblem problem{
      "failover.store.type", std::string("jdbc\r\n\0\t\x7f", 9), "is bad", 3, 9, ""};
  EXPECT_EQ(problem.ToString(),
            "failover.store.type: 'jdbc\\r\\n\\0\\t\\x7F' is bad (line 3, column 9)");
  // Valid UTF-8 stays as written; stray, truncated, overlong and surrogate sequences do not.
  EXPECT_EQ(EscapeForMessage("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  EXPECT_EQ(EscapeForMessage("a\xFF"
                             "b\xC3"),
            "a\\xFFb\\xC3");
  EXPECT_EQ(EscapeForMessage("\xC0\xAF \xED\xA0\x80"), "\\xC0\\xAF \\xED\\xA0\\x80");
}

TEST(ConfigProblemTest, KeysAndVariableNamesAreEscapedToo) {
  ConfigProblem problem{"failover.a\rb", std::nullopt, "unknown property", 0, 0, "FAILOVER_A\rB"};
  EXPECT_EQ(problem.ToString(),
            "failover.a\\rb: unknown property (from environment variable FAILOVER_A\\rB)");
}

}  // namespace
}  // namespace failover
