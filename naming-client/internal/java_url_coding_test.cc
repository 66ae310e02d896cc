#include "naming-client/internal/java_url_coding.h"

#include "gtest/gtest.h"

namespace failover {
namespace naming_internal {
namespace {

// Expected values are what java.net.URLEncoder.encode(s, "UTF-8") returns.
TEST(JavaUrlEncodeTest, MatchesJavaUrlEncoder) {
  EXPECT_EQ(JavaUrlEncode("DEFAULT_GROUP@@orders"), "DEFAULT_GROUP%40%40orders");
  EXPECT_EQ(JavaUrlEncode("g@@my svc:v1"), "g%40%40my+svc%3Av1");
  EXPECT_EQ(JavaUrlEncode("a.b-c*d_e"), "a.b-c*d_e");
  EXPECT_EQ(JavaUrlEncode("~!'()/%+"), "%7E%21%27%28%29%2F%25%2B");
  EXPECT_EQ(JavaUrlEncode("\xE6\x9C\x8D"), "%E6%9C%8D");
  EXPECT_EQ(JavaUrlEncode(""), "");
}

TEST(JavaUrlDecodeTest, MatchesJavaUrlDecoder) {
  EXPECT_EQ(*JavaUrlDecode("DEFAULT_GROUP%40%40orders"), "DEFAULT_GROUP@@orders");
  EXPECT_EQ(*JavaUrlDecode("g%40%40my+svc%3av1"), "g@@my svc:v1");  // Lower-case hex too.
  EXPECT_EQ(*JavaUrlDecode("DEFAULT_GROUP@@raw"), "DEFAULT_GROUP@@raw");
  EXPECT_EQ(*JavaUrlDecode("%E6%9C%8D"), "\xE6\x9C\x8D");
  EXPECT_EQ(*JavaUrlDecode("\xE6\x9C\x8D"), "\xE6\x9C\x8D");  // Raw UTF-8 stays.
}

TEST(JavaUrlDecodeTest, RoundTripsEveryByteThatFormsUtf8) {
  const std::string text = "G @@ s:v/1?x=%&y+z \xE6\x9C\x8D";
  EXPECT_EQ(*JavaUrlDecode(JavaUrlEncode(text)), text);
}

TEST(JavaUrlDecodeTest, BadEscapesAreErrorsWithTheOffset) {
  absl::StatusOr<std::string> r = JavaUrlDecode("ab%4G");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "'%' at offset 2 is not followed by two hex digits (\"%4G\")");

  EXPECT_EQ(JavaUrlDecode("50%").status().message(),
            "'%' at offset 2 is not followed by two hex digits (\"%\")");
  EXPECT_EQ(JavaUrlDecode("x%4").status().message(),
            "'%' at offset 1 is not followed by two hex digits (\"%4\")");
  EXPECT_FALSE(JavaUrlDecode("%-1").ok());
  EXPECT_FALSE(JavaUrlDecode("%%41").ok());
}

TEST(JavaUrlDecodeTest, ResultMustBeUtf8) {
  absl::StatusOr<std::string> r = JavaUrlDecode("svc%FF");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "decodes to bytes that are not UTF-8");
}

}  // namespace
}  // namespace naming_internal
}  // namespace failover
