#include "naming-client/internal/switch_file.h"

#include <string>

#include "gtest/gtest.h"

namespace failover {
namespace naming_internal {
namespace {

bool On(absl::string_view content) {
  absl::StatusOr<naming::FailoverSwitch> s = ParseSwitchFile(content);
  EXPECT_TRUE(s.ok()) << "'" << content << "': " << s.status();
  return s.ok() && s->enabled;
}

std::string Error(absl::string_view content) {
  absl::StatusOr<naming::FailoverSwitch> s = ParseSwitchFile(content);
  EXPECT_FALSE(s.ok()) << "'" << content << "' was accepted";
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(s.status().message());
}

TEST(ParseSwitchFileTest, OneOrZero) {
  EXPECT_TRUE(On("1"));
  EXPECT_TRUE(On("1\n"));
  EXPECT_FALSE(On("0"));
  EXPECT_FALSE(On("0\n"));
  EXPECT_EQ(ParseSwitchFile("1\n")->reason, "line 1 is '1'");
}

TEST(ParseSwitchFileTest, WhitespaceAndCrlfAreTrimmedAsJavaTrims) {
  EXPECT_TRUE(On("1\r\n"));
  EXPECT_TRUE(On("  1 \t\r\n"));
  EXPECT_FALSE(On("\t0\r\n"));
  EXPECT_TRUE(
      On("\x0b"
         "1\x0c"));  // Java's trim() strips every control character.
}

TEST(ParseSwitchFileTest, ByteOrderMarkIsIgnored) {
  EXPECT_TRUE(
      On("\xEF\xBB\xBF"
         "1\r\n"));
  EXPECT_FALSE(
      On("\xEF\xBB\xBF"
         "0"));
}

TEST(ParseSwitchFileTest, FirstDecisiveLineWinsOthersAreSkipped) {
  EXPECT_TRUE(On("# failover for the deploy\n\n1\n0\n"));
  EXPECT_FALSE(On("0\n1\n"));
  EXPECT_EQ(ParseSwitchFile("# note\r\n\r\n1\r\n")->reason, "line 3 is '1'");
}

TEST(ParseSwitchFileTest, OnlyTheExactDigitCounts) {
  EXPECT_EQ(Error("true"), "has no line that is '1' (on) or '0' (off); it starts with 'true'");
  EXPECT_EQ(Error("on\n"), "has no line that is '1' (on) or '0' (off); it starts with 'on'");
  EXPECT_EQ(Error("11\n"), "has no line that is '1' (on) or '0' (off); it starts with '11'");
  EXPECT_EQ(Error("1 0"), "has no line that is '1' (on) or '0' (off); it starts with '1 0'");
  EXPECT_EQ(Error(std::string(50, 'x')),
            "has no line that is '1' (on) or '0' (off); it starts with '" + std::string(40, 'x') +
                "...'");
}

// An empty file states nothing (it may be half written); the caller keeps its state.
TEST(ParseSwitchFileTest, EmptyContentDecidesNothing) {
  EXPECT_EQ(Error(""), "is empty (expected a line '1' for on or '0' for off)");
  EXPECT_EQ(Error(" \r\n\n"), "is empty (expected a line '1' for on or '0' for off)");
  EXPECT_EQ(Error("\xEF\xBB\xBF"), "is empty (expected a line '1' for on or '0' for off)");
}

}  // namespace
}  // namespace naming_internal
}  // namespace failover
